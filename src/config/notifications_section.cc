// `notifications`: Alertmanager's configuration, inline in hastewatch.yml or named by
// path, and LoadAlertmanagerConfigFile/String for a standalone alertmanager.yml. Keys,
// defaults and checks follow Alertmanager's config and timeinterval packages
// (0.25-0.27): the same files pass and fail as under `amtool check-config`, except
// where a message says hastewatch does not support a receiver type yet.
//
// Reading happens in one pass; references between parts (receivers and time
// intervals named by routes) are collected with their positions and checked at the
// end, so each error still points at the line that names the missing thing.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <re2/re2.h>

#include "base/text_file.h"
#include "config/sections.h"

namespace hw::config {
namespace {

// A name used somewhere that must be defined elsewhere, with where it was used.
struct Reference {
  std::string name;
  YAML::Mark mark;
  std::string path;
};

struct AmContext {
  YamlContext& ctx;
  std::string base_dir;  // relative files and template globs resolve here
  std::vector<Reference> receivers_used;
  std::vector<Reference> intervals_used;
};

// model.LabelNameRE: what match / match_re keys, group_by and equal accept.
bool IsLabelName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!(std::isalpha(c) || c == '_' || (i > 0 && std::isdigit(c)))) return false;
  }
  return true;
}

// Compiles as Alertmanager does (anchored); "" when valid, else the problem.
std::string CheckRegex(const std::string& value) {
  re2::RE2 re("^(?:" + value + ")$", re2::RE2::Quiet);
  if (re.ok()) return "";
  return fmt::format("invalid regex \"{}\": {}", value, re.error());
}

// Alertmanager's labels.ParseMatcher: `name op value`, the value optionally quoted
// with OpenMetrics escapes (\" \n \\). Returns "" or the problem.
std::string ParseMatcher(std::string_view s, AmMatcher* out) {
  static const re2::RE2 kMatcher(
      R"(^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*((?s).*?)\s*$)");
  std::string name, op, raw;
  if (!re2::RE2::FullMatch(s, kMatcher, &name, &op, &raw)) {
    return fmt::format("bad matcher format: {}", s);
  }
  std::string_view v = raw;
  bool expect_trailing_quote = false;
  if (v.starts_with('"')) {
    v.remove_prefix(1);
    expect_trailing_quote = true;
  }
  std::string value;
  bool escaped = false;
  for (size_t i = 0; i < v.size(); ++i) {
    char ch = v[i];
    if (escaped) {
      escaped = false;
      if (ch == 'n') {
        value += '\n';
      } else if (ch == '"' || ch == '\\') {
        value += ch;
      } else {  // a spurious escape: the backslash is literal
        value += '\\';
        value += ch;
      }
      continue;
    }
    if (ch == '\\') {
      if (i + 1 < v.size()) {
        escaped = true;
      } else {
        value += '\\';
      }
    } else if (ch == '"') {
      if (!expect_trailing_quote || i + 1 < v.size()) {
        return fmt::format("matcher value contains unescaped double quote: {}", raw);
      }
      expect_trailing_quote = false;
    } else {
      value += ch;
    }
  }
  if (expect_trailing_quote) {
    return fmt::format("matcher value contains unescaped double quote: {}", raw);
  }
  out->name = name;
  out->op = op == "="    ? AmMatcher::Op::kEqual
            : op == "!=" ? AmMatcher::Op::kNotEqual
            : op == "=~" ? AmMatcher::Op::kRegex
                         : AmMatcher::Op::kNotRegex;
  out->value = value;
  if (out->op == AmMatcher::Op::kRegex || out->op == AmMatcher::Op::kNotRegex) {
    return CheckRegex(value);
  }
  return "";
}

// labels.ParseMatchers: one `matchers` entry may hold several, comma-separated outside
// quotes, optionally in braces ("{a=\"b\", c=~d}").
std::string ParseMatcherList(std::string_view s, std::vector<AmMatcher>* out) {
  if (s.starts_with('{')) s.remove_prefix(1);
  if (s.ends_with('}')) s.remove_suffix(1);
  std::vector<std::string> tokens;
  std::string token;
  bool inside_quotes = false, escaped = false;
  for (char ch : s) {
    if (ch == ',' && !inside_quotes) {
      tokens.push_back(token);
      token.clear();
      continue;
    }
    if (ch == '"') {
      if (!escaped) {
        inside_quotes = !inside_quotes;
      } else {
        escaped = false;
      }
    } else if (ch == '\\') {
      escaped = !escaped;
    } else {
      escaped = false;
    }
    token += ch;
  }
  if (token.find_first_not_of(" \t\r\n\f\v") != std::string::npos) tokens.push_back(token);
  for (const std::string& t : tokens) {
    AmMatcher m;
    if (std::string problem = ParseMatcher(t, &m); !problem.empty()) return problem;
    out->push_back(std::move(m));
  }
  return "";
}

// `matchers` (strings) of a route or inhibit rule.
void ReadMatcherStrings(MapReader& r, std::string_view key, std::vector<AmMatcher>* out) {
  r.List(key, [&](const YAML::Node& item, const std::string& p) {
    std::string s;
    if (!ReadScalarString(r.ctx(), item, p, &s)) return;
    if (std::string problem = ParseMatcherList(s, out); !problem.empty()) {
      r.ctx().Error(item, p, problem);
    }
  });
}

// The deprecated `match` (op =) and `match_re` (op =~) maps. A match_re value is kept
// as Alertmanager converts it (its compiled regexp's String(): "^(?:v)$"), so route
// keys and `amtool config routes` output match; matching is unchanged by the anchors.
void ReadMatchMap(MapReader& r, std::string_view key, AmMatcher::Op op,
                  std::vector<AmMatcher>* out) {
  YAML::Node n = r.Take(key);
  if (!n.IsDefined() || n.IsNull()) return;
  std::string path = JoinPath(r.path(), key);
  MapReader m(r.ctx(), n, path);
  if (!m.is_map()) return;
  for (const auto& kv : n) {
    if (!kv.first.IsScalar()) continue;
    const std::string& name = kv.first.Scalar();
    std::string value;
    if (!m.String(name, &value)) continue;
    if (!IsLabelName(name)) {
      r.ctx().Error(kv.first, JoinPath(path, name), fmt::format("invalid label name \"{}\"", name));
      continue;
    }
    if (op == AmMatcher::Op::kRegex) {
      if (std::string problem = CheckRegex(value); !problem.empty()) {
        r.ctx().Error(kv.second, JoinPath(path, name), problem);
        continue;
      }
      value = "^(?:" + value + ")$";
    }
    out->push_back(AmMatcher{name, op, value});
  }
}

// A list of names (time intervals on a route), each remembered as a reference.
void ReadNameRefs(MapReader& r, std::string_view key, std::vector<std::string>* out,
                  std::vector<Reference>* refs) {
  r.List(key, [&](const YAML::Node& item, const std::string& p) {
    std::string s;
    if (!ReadScalarString(r.ctx(), item, p, &s)) return;
    out->push_back(s);
    refs->push_back(Reference{s, item.Mark(), p});
  });
}

// A duration that must not be zero when given (group_interval, repeat_interval).
void ReadRouteDuration(MapReader& r, std::string_view key, bool nonzero,
                       std::optional<Duration>* out) {
  Duration d{0};
  if (!r.Duration(key, &d)) return;
  if (nonzero && d.count() == 0) {
    r.ctx().Error(r.Take(key), JoinPath(r.path(), key), fmt::format("{} cannot be zero", key));
  }
  *out = d;
}

void ReadRoute(const YAML::Node& node, const std::string& path, bool root, AmContext& am,
               RouteConfig* c) {
  YamlContext& ctx = am.ctx;
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  c->line = node.Mark().line + 1;
  c->column = node.Mark().column + 1;
  if (r.String("receiver", &c->receiver) && !c->receiver.empty()) {
    am.receivers_used.push_back(
        Reference{c->receiver, r.Take("receiver").Mark(), JoinPath(path, "receiver")});
  }
  std::set<std::string> seen;
  c->group_by_set = r.List("group_by", [&](const YAML::Node& item, const std::string& p) {
    std::string l;
    if (!ReadScalarString(ctx, item, p, &l)) return;
    if (l == "...") {
      c->group_by_all = true;
    } else if (!IsLabelName(l)) {
      ctx.Error(item, p, fmt::format("invalid label name \"{}\" in group_by list", l));
    } else if (!seen.insert(l).second) {
      ctx.Error(item, p, fmt::format("duplicated label \"{}\" in group_by", l));
    } else {
      c->group_by.push_back(l);
    }
  });
  if (c->group_by_all && !c->group_by.empty()) {
    ctx.Error(r.Take("group_by"), JoinPath(path, "group_by"),
              "cannot have wildcard group_by (`...`) and other labels at the same time");
  }
  // Alertmanager's order (dispatch.NewRoute): match, match_re, then matchers.
  ReadMatchMap(r, "match", AmMatcher::Op::kEqual, &c->matchers);
  ReadMatchMap(r, "match_re", AmMatcher::Op::kRegex, &c->matchers);
  ReadMatcherStrings(r, "matchers", &c->matchers);
  r.Bool("continue", &c->continue_matching);
  ReadRouteDuration(r, "group_wait", false, &c->group_wait);
  ReadRouteDuration(r, "group_interval", true, &c->group_interval);
  ReadRouteDuration(r, "repeat_interval", true, &c->repeat_interval);
  ReadNameRefs(r, "mute_time_intervals", &c->mute_time_intervals, &am.intervals_used);
  ReadNameRefs(r, "active_time_intervals", &c->active_time_intervals, &am.intervals_used);
  std::string outside;
  if (r.Enum("outside_active_intervals", {"hold", "drop"}, &outside)) {
    c->outside_active_intervals = outside;
  }
  r.List("routes", [&](const YAML::Node& item, const std::string& p) {
    ReadRoute(item, p, false, am, &c->routes.emplace_back());
  });

  if (root) {
    if (c->receiver.empty()) ctx.Error(node, path, "root route must specify a default receiver");
    if (!c->matchers.empty()) {
      YAML::Node at = r.Take(r.Has("matchers") ? "matchers"
                             : r.Has("match")  ? "match"
                                               : "match_re");
      ctx.Error(at, path, "root route must not have any matchers");
    }
    if (!c->mute_time_intervals.empty()) {
      ctx.Error(r.Take("mute_time_intervals"), path,
                "root route must not have any mute time intervals");
    }
    if (!c->active_time_intervals.empty()) {
      ctx.Error(r.Take("active_time_intervals"), path,
                "root route must not have any active time intervals");
    }
    if (c->continue_matching) {
      ctx.Error(r.Take("continue"), path, "cannot have continue in root route");
    }
    // Defaults settle at the root; children leave them unset and inherit.
    if (!c->group_wait) c->group_wait = Duration(30'000);
    if (!c->group_interval) c->group_interval = Duration(5 * 60'000);
    if (!c->repeat_interval) c->repeat_interval = Duration(4 * 3'600'000);
  }
  r.Finish();
}

void ReadInhibitRule(const YAML::Node& node, const std::string& path, YamlContext& ctx,
                     InhibitRuleConfig* c) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  ReadMatchMap(r, "source_match", AmMatcher::Op::kEqual, &c->source_matchers);
  ReadMatchMap(r, "source_match_re", AmMatcher::Op::kRegex, &c->source_matchers);
  ReadMatcherStrings(r, "source_matchers", &c->source_matchers);
  ReadMatchMap(r, "target_match", AmMatcher::Op::kEqual, &c->target_matchers);
  ReadMatchMap(r, "target_match_re", AmMatcher::Op::kRegex, &c->target_matchers);
  ReadMatcherStrings(r, "target_matchers", &c->target_matchers);
  r.List("equal", [&](const YAML::Node& item, const std::string& p) {
    std::string l;
    if (!ReadScalarString(ctx, item, p, &l)) return;
    if (!IsLabelName(l)) {
      ctx.Error(item, p, fmt::format("\"{}\" is not a valid label name", l));
      return;
    }
    c->equal.push_back(l);
  });
  r.Finish();
}

// --- time intervals (Alertmanager's timeinterval package) ---

enum class RangeKind { kWeekday, kDayOfMonth, kMonth, kYear };

constexpr std::string_view kWeekdays[] = {"sunday",   "monday", "tuesday", "wednesday",
                                          "thursday", "friday", "saturday"};
constexpr std::string_view kMonths[] = {"january",   "february", "march",    "april",
                                        "may",       "june",     "july",     "august",
                                        "september", "october",  "november", "december"};

bool ParseInt(std::string_view s, int* out) {
  if (s.starts_with('+')) s.remove_prefix(1);  // as Go's strconv.Atoi
  bool neg = s.starts_with('-');
  if (neg) s.remove_prefix(1);
  if (s.empty() || s.size() > 9) return false;
  int v = 0;
  for (char ch : s) {
    if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
    v = v * 10 + (ch - '0');
  }
  *out = neg ? -v : v;
  return true;
}

// One member of a range: a weekday or month name, or a number. "" or the problem.
std::string RangeMember(RangeKind kind, std::string_view s, int* out) {
  if (kind == RangeKind::kWeekday) {
    for (int i = 0; i < 7; ++i) {
      if (s == kWeekdays[i]) {
        *out = i;
        return "";
      }
    }
    return fmt::format("{} is not a valid weekday", s);
  }
  if (kind == RangeKind::kMonth) {
    for (int i = 0; i < 12; ++i) {
      if (s == kMonths[i]) {
        *out = i + 1;
        return "";
      }
    }
    if (!ParseInt(s, out)) return fmt::format("{} is not a valid month", s);
    return "";
  }
  if (!ParseInt(s, out)) return fmt::format("strconv.Atoi: parsing \"{}\": invalid syntax", s);
  return "";
}

// "begin:end" or a single member, checked per kind. "" or the problem.
std::string ParseRange(RangeKind kind, std::string in, TimeIntervalSpec::Range* out) {
  for (char& ch : in) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  size_t colon = in.find(':');
  std::string begin_s = in.substr(0, colon);
  std::string end_s = colon == std::string::npos ? begin_s : in.substr(colon + 1);
  if (end_s.find(':') != std::string::npos) {
    return fmt::format("couldn't parse range {}, invalid format", in);
  }
  int b = 0, e = 0;
  if (std::string p = RangeMember(kind, begin_s, &b); !p.empty()) return p;
  if (std::string p = RangeMember(kind, end_s, &e); !p.empty()) return p;
  switch (kind) {
    case RangeKind::kWeekday:
      if (b > e) return "start day cannot be before end day";
      break;
    case RangeKind::kDayOfMonth:
      if (b == 0 || b < -31 || b > 31) {
        return fmt::format("{} is not a valid day of the month: out of range", b);
      }
      if (e == 0 || e < -31 || e > 31) {
        return fmt::format("{} is not a valid day of the month: out of range", e);
      }
      if (b < 0 && e > 0) return "end day must be negative if start day is negative";
      // Always-empty ranges, judged on a 28-day month as Alertmanager does.
      if ((b < 0 ? 28 + b : b) > (e < 0 ? 28 + e : e)) {
        return fmt::format("end day {} is always before start day {}", e, b);
      }
      break;
    case RangeKind::kMonth:
      // Stricter than Alertmanager, which accepts 0 or 13 and then never matches.
      if (b < 1 || b > 12) return fmt::format("{} is not a valid month: out of range", b);
      if (e < 1 || e > 12) return fmt::format("{} is not a valid month: out of range", e);
      if (b > e) {
        return fmt::format("end month {} is before start month {}", kMonths[e - 1], kMonths[b - 1]);
      }
      break;
    case RangeKind::kYear:
      if (b > e) return fmt::format("end year {} is before start year {}", e, b);
      break;
  }
  out->begin = b;
  out->end = e;
  return "";
}

// "HH:MM" (00:00 .. 23:59, or 24:00) to minutes of the day; -1 if malformed.
int ParseClock(std::string_view s) {
  static const re2::RE2 kTime(R"(^((([01][0-9])|(2[0-3])):[0-5][0-9])$|(^24:00$))");
  if (!re2::RE2::FullMatch(s, kTime)) return -1;
  return ((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 + (s[4] - '0');
}

// IANA zone names as Go's time.LoadLocation finds them in the system's tzdata.
bool IsKnownLocation(const std::string& name) {
  if (name.empty() || name == "UTC" || name == "Local") return true;
  if (name.front() == '/' || name.find("..") != std::string::npos) return false;
  std::error_code ec;
  return std::filesystem::is_regular_file("/usr/share/zoneinfo/" + name, ec);
}

void ReadRanges(MapReader& r, std::string_view key, RangeKind kind,
                std::vector<TimeIntervalSpec::Range>* out) {
  r.List(key, [&](const YAML::Node& item, const std::string& p) {
    std::string s;
    if (!ReadScalarString(r.ctx(), item, p, &s)) return;
    TimeIntervalSpec::Range range;
    if (std::string problem = ParseRange(kind, s, &range); !problem.empty()) {
      r.ctx().Error(item, p, problem);
      return;
    }
    out->push_back(range);
  });
}

void ReadTimeIntervalSpec(const YAML::Node& node, const std::string& path, YamlContext& ctx,
                          TimeIntervalSpec* s) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  r.List("times", [&](const YAML::Node& item, const std::string& p) {
    MapReader tr(ctx, item, p);
    if (!tr.is_map()) return;
    std::string start, end;
    tr.String("start_time", &start);
    tr.String("end_time", &end);
    tr.Finish();
    if (start.empty() || end.empty()) {
      ctx.Error(item, p, "both start and end times must be provided");
      return;
    }
    TimeIntervalSpec::MinuteRange m{ParseClock(start), ParseClock(end)};
    for (auto [key, value, minutes] :
         {std::tuple{"start_time", start, m.start}, std::tuple{"end_time", end, m.end}}) {
      if (minutes < 0) {
        ctx.Error(item[key], JoinPath(p, key),
                  fmt::format("couldn't parse timestamp {}, invalid format", value));
        return;
      }
    }
    if (m.start >= m.end) {
      ctx.Error(item, p, "start time cannot be equal or greater than end time");
      return;
    }
    s->times.push_back(m);
  });
  ReadRanges(r, "weekdays", RangeKind::kWeekday, &s->weekdays);
  ReadRanges(r, "days_of_month", RangeKind::kDayOfMonth, &s->days_of_month);
  ReadRanges(r, "months", RangeKind::kMonth, &s->months);
  ReadRanges(r, "years", RangeKind::kYear, &s->years);
  if (r.String("location", &s->location)) {
    if (!IsKnownLocation(s->location)) {
      ctx.Error(r.Take("location"), JoinPath(path, "location"),
                fmt::format("unknown time zone {}", s->location));
    }
    if (s->location.empty()) s->location = "UTC";
  }
  r.Finish();
}

// `time_intervals` or the deprecated `mute_time_intervals` (same shape); names are
// unique across both.
void ReadTimeIntervals(MapReader& top, std::string_view key, YamlContext& ctx,
                       std::set<std::string>* names, std::vector<TimeIntervalConfig>* out) {
  bool deprecated = key == "mute_time_intervals";
  top.List(key, [&](const YAML::Node& item, const std::string& p) {
    MapReader r(ctx, item, p);
    if (!r.is_map()) return;
    TimeIntervalConfig c;
    if (!r.String("name", &c.name) || c.name.empty()) {
      ctx.Error(
          item, p,
          deprecated ? "missing name in mute time interval" : "missing name in time interval");
    } else if (!names->insert(c.name).second) {
      ctx.Error(
          r.Take("name"), JoinPath(p, "name"),
          fmt::format("{}time interval \"{}\" is not unique", deprecated ? "mute " : "", c.name));
    }
    r.List("time_intervals", [&](const YAML::Node& spec, const std::string& sp) {
      ReadTimeIntervalSpec(spec, sp, ctx, &c.intervals.emplace_back());
    });
    r.Finish();
    out->push_back(std::move(c));
  });
}

void ReadAmGlobal(const YAML::Node& node, const std::string& path, const std::string& base_dir,
                  YamlContext& ctx, AmGlobalConfig* g) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  r.Duration("resolve_timeout", &g->resolve_timeout);
  YAML::Node http = r.Take("http_config");
  if (http.IsDefined() && !http.IsNull()) {
    ReadAmHttpConfig(http, JoinPath(path, "http_config"), base_dir, ctx, &g->http_config);
  }
  r.String("smtp_from", &g->smtp_from);
  r.String("smtp_hello", &g->smtp_hello);
  if (r.String("smtp_smarthost", &g->smtp_smarthost) && !g->smtp_smarthost.empty()) {
    if (std::string p = CheckAmHostPort(g->smtp_smarthost); !p.empty()) {
      ctx.Error(r.Take("smtp_smarthost"), JoinPath(path, "smtp_smarthost"), p);
    }
  }
  r.String("smtp_auth_username", &g->smtp_auth_username);
  r.String("smtp_auth_password", &g->smtp_auth_password);
  if (r.String("smtp_auth_password_file", &g->smtp_auth_password_file)) {
    g->smtp_auth_password_file = ResolvePath(base_dir, g->smtp_auth_password_file);
  }
  if (!g->smtp_auth_password.empty() && !g->smtp_auth_password_file.empty()) {
    ctx.Error(r.Take("smtp_auth_password_file"), path,
              "at most one of smtp_auth_password & smtp_auth_password_file must be configured");
  }
  r.String("smtp_auth_identity", &g->smtp_auth_identity);
  r.String("smtp_auth_secret", &g->smtp_auth_secret);
  r.Bool("smtp_require_tls", &g->smtp_require_tls);
  if (r.String("slack_api_url", &g->slack_api_url) && g->slack_api_url != "<secret>") {
    if (std::string p = CheckAmUrl(g->slack_api_url); !p.empty()) {
      ctx.Error(r.Take("slack_api_url"), JoinPath(path, "slack_api_url"), p);
    }
  }
  if (r.String("slack_api_url_file", &g->slack_api_url_file)) {
    g->slack_api_url_file = ResolvePath(base_dir, g->slack_api_url_file);
  }
  if (!g->slack_api_url.empty() && !g->slack_api_url_file.empty()) {
    ctx.Error(r.Take("slack_api_url_file"), path,
              "at most one of slack_api_url & slack_api_url_file must be configured");
  }
  if (r.String("pagerduty_url", &g->pagerduty_url)) {
    if (std::string p = CheckAmUrl(g->pagerduty_url); !p.empty()) {
      ctx.Error(r.Take("pagerduty_url"), JoinPath(path, "pagerduty_url"), p);
    }
  }
  // Defaults for receiver types hastewatch does not have yet: they only take effect
  // through those receivers, which are rejected by name, so accepting them changes
  // nothing and keeps a shared alertmanager.yml loading.
  for (std::string_view key :
       {"opsgenie_api_url", "opsgenie_api_key", "opsgenie_api_key_file", "wechat_api_url",
        "wechat_api_secret", "wechat_api_corp_id", "victorops_api_url", "victorops_api_key",
        "victorops_api_key_file", "telegram_api_url", "webex_api_url"}) {
    std::string ignored;
    r.String(key, &ignored);
  }
  r.Finish();
}

// Go's filepath.Glob fails on a malformed pattern (ErrBadPattern): an unclosed
// character class or a trailing escape.
bool IsValidGlob(std::string_view s) {
  bool in_class = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      if (++i == s.size()) return false;
    } else if (s[i] == '[' && !in_class) {
      in_class = true;
      if (i + 1 < s.size() && s[i + 1] == '^') ++i;
      if (i + 1 < s.size() && s[i + 1] == ']') return false;  // empty class
    } else if (s[i] == ']' && in_class) {
      in_class = false;
    }
  }
  return !in_class;
}

// The whole configuration: `node` is the file's root map (prefix "") or the inline
// `notifications` map (prefix "notifications").
void ReadAm(const YAML::Node& node, const std::string& prefix, const std::string& base_dir,
            YamlContext& ctx, NotificationsConfig* out) {
  out->configured = true;
  AmContext am{ctx, base_dir, {}, {}};
  MapReader top(ctx, node, prefix);
  if (!top.is_map()) {
    if (!node.IsDefined() || node.IsNull()) ctx.Error(node, prefix, "no route provided in config");
    return;
  }
  ReadAmGlobal(top.Take("global"), JoinPath(prefix, "global"), base_dir, ctx, &out->global);
  YAML::Node route = top.Take("route");
  if (!route.IsDefined() || route.IsNull()) {
    ctx.Error(node, prefix, "no route provided in config");
  } else {
    ReadRoute(route, JoinPath(prefix, "route"), /*root=*/true, am, &out->route);
  }
  // References are checked only against sections that read cleanly: a receiver list
  // with errors would otherwise report every route naming one of its receivers too.
  size_t errors_before = ctx.errors().size();
  ReadAmReceivers(top.Take("receivers"), JoinPath(prefix, "receivers"), out->global, base_dir, ctx,
                  &out->receivers);
  bool receivers_clean = ctx.errors().size() == errors_before;
  top.List("inhibit_rules", [&](const YAML::Node& item, const std::string& p) {
    ReadInhibitRule(item, p, ctx, &out->inhibit_rules.emplace_back());
  });
  std::set<std::string> interval_names;
  errors_before = ctx.errors().size();
  ReadTimeIntervals(top, "mute_time_intervals", ctx, &interval_names, &out->time_intervals);
  ReadTimeIntervals(top, "time_intervals", ctx, &interval_names, &out->time_intervals);
  bool intervals_clean = ctx.errors().size() == errors_before;
  // Template globs; their files are parsed by the notifier (src/alerting), not here.
  top.List("templates", [&](const YAML::Node& item, const std::string& p) {
    std::string t;
    if (!ReadScalarString(ctx, item, p, &t)) return;
    if (!IsValidGlob(t)) {
      ctx.Error(item, p, fmt::format("invalid glob pattern \"{}\": syntax error in pattern", t));
      return;
    }
    out->templates.push_back(ResolvePath(base_dir, t));
  });
  YAML::Node flap = top.Take("flap_detection");
  if (flap.IsDefined() && !flap.IsNull()) {
    std::string path = JoinPath(prefix, "flap_detection");
    MapReader fr(ctx, flap, path);
    std::int64_t max_changes = out->flap_detection.max_changes;
    if (fr.Int("max_changes", &max_changes, 0, 1'000'000)) {
      out->flap_detection.max_changes = static_cast<int>(max_changes);
    }
    if (fr.Duration("window", &out->flap_detection.window) &&
        out->flap_detection.window.count() <= 0) {
      ctx.Error(fr.Take("window"), JoinPath(path, "window"), "must be greater than 0");
    }
    fr.Finish();
  }
  top.Finish();

  std::set<std::string> receiver_names;
  for (const ReceiverConfig& rc : out->receivers) receiver_names.insert(rc.name);
  for (const Reference& ref : am.receivers_used) {
    if (receivers_clean && !receiver_names.contains(ref.name)) {
      ctx.ErrorAt(ref.mark, ref.path,
                  fmt::format("undefined receiver \"{}\" used in route", ref.name));
    }
  }
  for (const Reference& ref : am.intervals_used) {
    if (intervals_clean && !interval_names.contains(ref.name)) {
      ctx.ErrorAt(ref.mark, ref.path,
                  fmt::format("undefined time interval \"{}\" used in route", ref.name));
    }
  }
}

std::string JoinErrors(const std::vector<std::string>& errors) {
  std::string all;
  for (const std::string& e : errors) {
    if (!all.empty()) all += '\n';
    all += e;
  }
  return all;
}

}  // namespace

void ReadNotifications(const YAML::Node& node, const std::string& base_dir, YamlContext& ctx,
                       NotificationsConfig* out, std::vector<std::string>* file_errors) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsScalar()) {
    ReadAm(node, "notifications", base_dir, ctx, out);
    return;
  }
  // The path form: an alertmanager.yml read unchanged, its errors in its own positions.
  std::string rel = node.Scalar();
  if (rel.empty()) {
    ctx.Error(node, "notifications", "must be a map or the path of an alertmanager.yml");
    return;
  }
  std::string path = ResolvePath(base_dir, rel);
  std::filesystem::path shown(rel);
  if (shown.is_relative()) {
    shown = (std::filesystem::path(ctx.file()).parent_path() / shown).lexically_normal();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ctx.Error(node, "notifications",
              fmt::format("cannot read \"{}\": {}", shown.string(), std::strerror(errno)));
    return;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  Result<NotificationsConfig> loaded = LoadAlertmanagerConfigString(ss.str(), shown.string());
  if (!loaded.ok()) {
    file_errors->push_back(loaded.status().message());
    return;
  }
  *out = std::move(*loaded);
  out->source_file = std::filesystem::path(path).lexically_normal().string();
}

Result<NotificationsConfig> LoadAlertmanagerConfigString(const std::string& text,
                                                         const std::string& file) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(file, ec);
  std::string base_dir = ec ? "." : abs.parent_path().string();
  YamlContext ctx(file);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    ctx.ErrorAt(e.mark, "", fmt::format("invalid YAML: {}", e.msg));
    return Status::BadData(ctx.errors().front());
  }
  NotificationsConfig cfg;
  ReadAm(root, "", base_dir, ctx, &cfg);
  if (!ctx.ok()) return Status::BadData(JoinErrors(ctx.errors()));
  cfg.source_file = ec ? file : abs.lexically_normal().string();
  return cfg;
}

Result<NotificationsConfig> LoadAlertmanagerConfigFile(const std::string& path) {
  Result<std::string> text = ReadTextFile(path, "config");
  if (!text.ok()) return text.status();
  return LoadAlertmanagerConfigString(*text, path);
}

}  // namespace hw::config
