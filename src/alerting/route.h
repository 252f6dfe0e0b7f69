// The notification route tree (Alertmanager's dispatch.Route): which receivers an
// alert reaches and how its notifications are grouped and timed.
//
// Matching is depth-first from the root: a route matches when all its matchers match
// the alert's labels; the deepest matching routes win, and siblings after a matching
// route are tried only when it has `continue: true`. A route none of whose children
// match is itself the result. The root matches every alert.
//
// Settings are inherited from the parent when unset (receiver, group_by, group_wait
// 30s, group_interval 5m, repeat_interval 4h at the root; mute/active time intervals
// are not inherited, as in Alertmanager; hastewatch's outside_active_intervals is).
// As in Alertmanager, `group_by: []` inherits, and `['...']` groups by all labels.
//
// Each route has a key used in group keys, as Alertmanager's Route.Key() builds it:
// the root "{}", a child "<parent key>/{<its matchers as Alertmanager prints them>}"
// (not unique in general, as in Alertmanager).
//
// Thread-safety: immutable after Build; safe to share.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/notifications.h"
#include "model/labels.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace hw::alerting {

// One compiled route matcher (Alertmanager's labels.Matcher). A missing label matches
// as the empty string; regexes are RE2, anchored as ^(?:value)$.
struct RouteMatcher {
  config::AmMatcher matcher;
  std::shared_ptr<const re2::RE2> re;  // set for =~ and !~

  // Fails on an invalid regex.
  static Result<RouteMatcher> Compile(const config::AmMatcher& m);
  bool Matches(std::string_view value) const;
  // As Alertmanager prints it: severity=~"crit.*" (OpenMetrics escaping of the value;
  // name and value Go-quoted when the name holds characters the classic matcher
  // syntax reserves).
  std::string ToString() const;
};

struct Route {
  std::string key;  // see the file comment
  // Sorted as Alertmanager sorts them (by name, value, then operator).
  std::vector<RouteMatcher> matchers;
  std::string receiver;
  std::vector<std::string> group_by;  // label names
  bool group_by_all = false;          // group_by: ['...']
  std::int64_t group_wait_ms = 30'000;
  std::int64_t group_interval_ms = 300'000;
  std::int64_t repeat_interval_ms = 4 * 3'600'000;
  std::vector<std::string> mute_time_intervals;
  std::vector<std::string> active_time_intervals;
  bool hold_outside_active = true;  // hastewatch: hold (default) or drop
  bool continue_matching = false;
  const config::RouteConfig* config = nullptr;  // owned by the RouteTree
  std::vector<std::unique_ptr<Route>> routes;

  // The labels an alert is grouped by on this route: its group_by labels (all labels
  // with group_by_all). Labels the alert lacks are left out.
  model::Labels GroupLabels(const model::Labels& alert) const;
  // Alertmanager's group key: "<route key>:<group labels as {a=\"1\", ...}>".
  std::string GroupKey(const model::Labels& group_labels) const;
  // Whether all of this route's matchers match (its children aside).
  bool MatchesLabels(const model::Labels& labels) const;
  // Alertmanager's Matchers.String(): {a="1",b=~"x|y"}; "{}" for none.
  std::string MatchersString() const;
};

class RouteTree {
 public:
  // Fails with the problem (an unknown receiver or time interval is checked by the
  // config loader, not here).
  static Result<RouteTree> Build(const config::RouteConfig& root);

  // The routes an alert reaches, in tree order; never empty.
  std::vector<const Route*> Match(const model::Labels& labels) const;
  const Route& root() const { return *root_; }

 private:
  std::shared_ptr<const config::RouteConfig> config_;
  std::shared_ptr<Route> root_;
};

}  // namespace hw::alerting
