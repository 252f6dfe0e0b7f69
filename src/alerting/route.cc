// The route tree: Alertmanager's dispatch.NewRoute (inheritance), Route.Match and
// Route.Key, labels.Matcher and its String(). See route.h.
#include "alerting/route.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <utility>

namespace hw::alerting {
namespace {

using Op = config::AmMatcher::Op;

std::string_view OpString(Op op) {
  switch (op) {
    case Op::kEqual:
      return "=";
    case Op::kNotEqual:
      return "!=";
    case Op::kRegex:
      return "=~";
    case Op::kNotRegex:
      return "!~";
  }
  return "=";
}

// Alertmanager's isReserved: names holding these are printed Go-quoted.
bool HasReserved(std::string_view name) {
  for (char c : name) {
    if (std::isspace(static_cast<unsigned char>(c)) ||
        std::string_view("{}!=~,\\\"'`").find(c) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

// Alertmanager's openMetricsEscape: \ -> \\, newline -> \n, " -> \".
void AppendOpenMetricsEscaped(std::string* out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '"':
        *out += "\\\"";
        break;
      default:
        *out += c;
    }
  }
}

// Alertmanager's Matchers.Less: by name, then value, then match type.
bool MatcherLess(const RouteMatcher& a, const RouteMatcher& b) {
  const config::AmMatcher& x = a.matcher;
  const config::AmMatcher& y = b.matcher;
  if (x.name != y.name) return x.name < y.name;
  if (x.value != y.value) return x.value < y.value;
  return x.op < y.op;
}

std::string Where(const config::RouteConfig& cfg) {
  if (cfg.line <= 0) return "route";
  return fmt::format("route at line {}:{}", cfg.line, cfg.column);
}

Result<std::unique_ptr<Route>> BuildRoute(const config::RouteConfig& cfg, const Route* parent) {
  auto route = std::make_unique<Route>();
  route->config = &cfg;
  if (parent != nullptr) {
    // dispatch.NewRoute: start from the parent's options (mute/active intervals and
    // `continue` are the route's own).
    route->receiver = parent->receiver;
    route->group_by = parent->group_by;
    route->group_by_all = parent->group_by_all;
    route->group_wait_ms = parent->group_wait_ms;
    route->group_interval_ms = parent->group_interval_ms;
    route->repeat_interval_ms = parent->repeat_interval_ms;
    route->hold_outside_active = parent->hold_outside_active;
  }
  if (!cfg.receiver.empty()) route->receiver = cfg.receiver;
  // As Alertmanager: a non-empty label list replaces the inherited one and clears
  // `...`; `...` alone sets group-by-all (keeping the inherited list, which it
  // supersedes); an empty list inherits.
  if (!cfg.group_by.empty()) {
    route->group_by.clear();
    for (const std::string& name : cfg.group_by) {
      if (std::find(route->group_by.begin(), route->group_by.end(), name) ==
          route->group_by.end()) {
        route->group_by.push_back(name);
      }
    }
    route->group_by_all = false;
  } else if (cfg.group_by_all) {
    route->group_by_all = true;
  }
  if (cfg.group_wait) route->group_wait_ms = cfg.group_wait->count();
  if (cfg.group_interval) route->group_interval_ms = cfg.group_interval->count();
  if (cfg.repeat_interval) route->repeat_interval_ms = cfg.repeat_interval->count();
  route->mute_time_intervals = cfg.mute_time_intervals;
  route->active_time_intervals = cfg.active_time_intervals;
  if (cfg.outside_active_intervals) {
    const std::string& v = *cfg.outside_active_intervals;
    if (v != "hold" && v != "drop") {
      return Status::BadData(fmt::format(
          "{}: outside_active_intervals must be \"hold\" or \"drop\", not \"{}\"", Where(cfg), v));
    }
    route->hold_outside_active = v == "hold";
  }
  route->continue_matching = cfg.continue_matching;

  for (const config::AmMatcher& m : cfg.matchers) {
    Result<RouteMatcher> compiled = RouteMatcher::Compile(m);
    if (!compiled.ok()) return compiled.status().Wrap(Where(cfg));
    route->matchers.push_back(std::move(*compiled));
  }
  std::sort(route->matchers.begin(), route->matchers.end(), MatcherLess);

  route->key =
      parent == nullptr ? route->MatchersString() : parent->key + "/" + route->MatchersString();

  for (const config::RouteConfig& child : cfg.routes) {
    Result<std::unique_ptr<Route>> built = BuildRoute(child, route.get());
    if (!built.ok()) return built.status();
    route->routes.push_back(std::move(*built));
  }
  return route;
}

void MatchInto(const Route& route, const model::Labels& labels, std::vector<const Route*>* out) {
  // dispatch.Route.Match: depth-first, left to right; a route none of whose children
  // match is itself the match; a matching child stops its siblings unless `continue`.
  std::size_t before = out->size();
  for (const auto& child : route.routes) {
    if (!child->MatchesLabels(labels)) continue;
    MatchInto(*child, labels, out);
    if (!child->continue_matching) break;
  }
  if (out->size() == before) out->push_back(&route);
}

}  // namespace

Result<RouteMatcher> RouteMatcher::Compile(const config::AmMatcher& m) {
  RouteMatcher out;
  out.matcher = m;
  if (m.op == Op::kRegex || m.op == Op::kNotRegex) {
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_shared<RE2>("^(?:" + m.value + ")$", options);
    if (!re->ok()) {
      // Name the user's pattern, not the anchored one, where it is at fault alone.
      RE2 raw(m.value, options);
      return Status::BadData(fmt::format("invalid regex in matcher {}: {}", out.ToString(),
                                         raw.ok() ? re->error() : raw.error()));
    }
    out.re = std::move(re);
  }
  return out;
}

bool RouteMatcher::Matches(std::string_view value) const {
  switch (matcher.op) {
    case Op::kEqual:
      return value == matcher.value;
    case Op::kNotEqual:
      return value != matcher.value;
    case Op::kRegex:
      return RE2::FullMatch(value, *re);
    case Op::kNotRegex:
      return !RE2::FullMatch(value, *re);
  }
  return false;
}

std::string RouteMatcher::ToString() const {
  std::string out;
  if (HasReserved(matcher.name)) {
    model::AppendQuoted(&out, matcher.name);
    out += OpString(matcher.op);
    model::AppendQuoted(&out, matcher.value);
    return out;
  }
  out += matcher.name;
  out += OpString(matcher.op);
  out += '"';
  AppendOpenMetricsEscaped(&out, matcher.value);
  out += '"';
  return out;
}

model::Labels Route::GroupLabels(const model::Labels& alert) const {
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  for (const model::Label& l : alert) {
    if (group_by_all || std::find(group_by.begin(), group_by.end(), l.name) != group_by.end()) {
      pairs.emplace_back(l.name, l.value);
    }
  }
  return model::Labels::FromPairs(std::move(pairs));
}

std::string Route::GroupKey(const model::Labels& group_labels) const {
  // dispatch.aggrGroup.GroupKey: fmt.Sprintf("%s:%s", routeKey, labels) with
  // model.LabelSet.String(), i.e. {a="1", b="2"}.
  return key + ":" + group_labels.ToString();
}

bool Route::MatchesLabels(const model::Labels& labels) const {
  for (const RouteMatcher& m : matchers) {
    if (!m.Matches(labels.Get(m.matcher.name))) return false;
  }
  return true;
}

std::string Route::MatchersString() const {
  std::string out = "{";
  for (std::size_t i = 0; i < matchers.size(); ++i) {
    if (i > 0) out += ',';
    out += matchers[i].ToString();
  }
  out += '}';
  return out;
}

Result<RouteTree> RouteTree::Build(const config::RouteConfig& root) {
  auto fail = [](std::string why) {
    return Status::BadData("cannot build route tree: " + std::move(why));
  };
  // Alertmanager's checks of the root route.
  if (root.receiver.empty()) return fail("root route must specify a default receiver");
  if (!root.matchers.empty()) return fail("root route must not have any matchers");
  if (root.continue_matching) return fail("cannot have continue in root route");
  if (!root.mute_time_intervals.empty()) {
    return fail("root route must not have any mute time intervals");
  }
  if (!root.active_time_intervals.empty()) {
    return fail("root route must not have any active time intervals");
  }
  RouteTree tree;
  tree.config_ = std::make_shared<const config::RouteConfig>(root);
  Result<std::unique_ptr<Route>> built = BuildRoute(*tree.config_, nullptr);
  if (!built.ok()) return built.status().Wrap("cannot build route tree");
  tree.root_ = std::shared_ptr<Route>(std::move(*built));
  return tree;
}

std::vector<const Route*> RouteTree::Match(const model::Labels& labels) const {
  std::vector<const Route*> out;
  MatchInto(*root_, labels, &out);
  return out;
}

}  // namespace hw::alerting
