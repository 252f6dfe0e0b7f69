// A rule group: its rules evaluated in order at aligned timestamps, each rule's output
// appended and committed before the next rule runs, so a recording rule's series are
// visible to the rules after it in the same iteration (Prometheus semantics).
//
// Scheduling is the caller's: Group::EvalTimestamp aligns a clock reading to the
// group's slot (an offset within the interval derived from the group's name and file,
// so groups spread out, as Prometheus), and Iterate(now) evaluates the slot at or
// before `now`, counting iterations missed since the last one. Series that a rule
// produced last iteration but not this one get a stale marker.
//
// Not thread-safe: one thread runs a group's iterations; ActiveAlerts() and the stats
// must be read from that thread (or with the caller's own lock).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "model/alert.h"
#include "rules/alerting_rule.h"
#include "rules/recording_rule.h"
#include "rules/rule.h"
#include "rules/rule_file.h"
#include "storage/interface.h"

namespace hw::rules {

// The stored activeAt (ms) of a rule's alerts at t_ms, by alert labels, as
// ALERTS_FOR_STATE recorded them before a restart.
using RestoreFunc =
    std::function<std::map<model::Labels, std::int64_t>(const Rule& rule, std::int64_t t_ms)>;
// Where firing and resolved alerts go (the server's alert sink).
using NotifyFunc = std::function<void(std::vector<model::Alert>)>;

struct GroupOptions {
  QueryFunc query;
  RestoreFunc restore;  // optional: used by the first iteration after RequestRestore()
  NotifyFunc notify;    // optional: alerts due are sent after each alerting rule
  std::int64_t resend_delay_ms = 60'000;
  storage::Appendable* appendable = nullptr;  // where outputs go; not owned
  RuleContext context;
  std::int64_t default_interval_ms = 60'000;  // global evaluation_interval
};

struct RuleHealth {
  std::string name;
  std::string last_error;  // "" when the last evaluation succeeded
  std::int64_t last_eval_ms = 0;
  std::int64_t samples = 0;  // appended by the last evaluation
  double eval_seconds = 0;   // how long the last evaluation took
};

class Group {
 public:
  static Result<std::unique_ptr<Group>> Create(RuleGroup spec, GroupOptions options);

  const std::string& name() const { return spec_.name; }
  const std::string& file() const { return spec_.file; }
  std::int64_t interval_ms() const { return interval_ms_; }

  // The latest aligned evaluation time <= now_ms.
  std::int64_t EvalTimestamp(std::int64_t now_ms) const;
  // Evaluates the slot EvalTimestamp(now_ms) unless it was already evaluated.
  // Returns the first rule error (every rule still runs).
  Status Iterate(std::int64_t now_ms);
  // Evaluates every rule at exactly t_ms (the unit-test runner's entry point).
  Status EvalAt(std::int64_t t_ms);

  // The next Iterate first restores alert state from storage (options.restore):
  // called for groups loaded at start-up.
  void RequestRestore() { restore_pending_ = true; }
  // Takes over the state of the rules of `old` that this group still has (same kind,
  // name and labels): alerts, the series for stale markers, health. For a reload that
  // changed the group.
  void CopyStateFrom(const Group& old);

  std::int64_t iterations() const { return iterations_; }
  std::int64_t missed_iterations() const { return missed_; }
  const std::vector<RuleHealth>& health() const { return health_; }
  // The group's alerting rules, in file order.
  std::vector<const AlertingRule*> AlertingRules() const;
  std::vector<AlertingRule*> MutableAlertingRules();

 private:
  Group() = default;
  using AnyRule = std::variant<RecordingRule, AlertingRule>;

  RuleGroup spec_;
  GroupOptions options_;
  std::int64_t interval_ms_ = 0;
  std::int64_t offset_ms_ = 0;  // slot within the interval
  std::vector<AnyRule> rules_;
  std::vector<RuleHealth> health_;
  std::vector<std::set<model::Labels>> last_series_;  // per rule, for stale markers
  std::int64_t last_eval_ = -1;
  bool restore_pending_ = false;
  std::int64_t iterations_ = 0;
  std::int64_t missed_ = 0;
};

}  // namespace hw::rules
