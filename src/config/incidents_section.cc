// `incidents`: severity mapping, response times, users, on-call schedules, escalation
// policies and the link-signing secret (see config/incidents.h for the shape).
//
// Names used inside the section (a layer's users, "schedule:NAME", a severity's policy)
// are collected with their positions and checked at the end, so each error points at
// the line that names the missing thing, whatever order the lists come in.
#include <fmt/format.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "config/incidents.h"
#include "config/yaml_reader.h"

namespace hw::config {
namespace {

struct Reference {
  std::string name;
  YAML::Mark mark;
  std::string path;
};

struct Refs {
  std::vector<Reference> users;
  std::vector<Reference> schedules;
  std::vector<Reference> policies;
};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t DaysFromCivil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int DaysInMonth(std::int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// IANA zone names as the system's tzdata has them (the check notifications' time
// intervals make; config may not include alerting/time_zone.h).
bool IsKnownZone(const std::string& name) {
  if (name.empty() || name == "UTC" || name == "Local") return true;
  if (name.front() == '/' || name.find("..") != std::string::npos) return false;
  std::error_code ec;
  return std::filesystem::is_regular_file("/usr/share/zoneinfo/" + name, ec);
}

// "P1".."P4" -> 1..4; 0 when not a severity.
int ParseSeverity(std::string_view s) {
  if (s.size() == 2 && (s[0] == 'P' || s[0] == 'p') && s[1] >= '1' && s[1] <= '4') {
    return s[1] - '0';
  }
  return 0;
}

// "HH:MM" -> minutes after midnight; -1 when malformed.
int ParseClock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':' || !std::isdigit(s[0]) || !std::isdigit(s[1]) ||
      !std::isdigit(s[3]) || !std::isdigit(s[4])) {
    return -1;
  }
  int h = (s[0] - '0') * 10 + (s[1] - '0');
  int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return -1;
  return h * 60 + m;
}

// "mon", "Monday" -> 1; -1 when not a weekday.
int ParseWeekday(std::string_view s) {
  static constexpr std::string_view kDays[] = {"sunday",   "monday", "tuesday", "wednesday",
                                               "thursday", "friday", "saturday"};
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (int i = 0; i < 7; ++i) {
    if (lower == kDays[i] || (lower.size() == 3 && kDays[i].starts_with(lower))) return i;
  }
  return -1;
}

bool ParseDigits(std::string_view s, std::size_t pos, std::size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// "YYYY-MM-DD" -> civil days since 1970-01-01.
std::optional<std::int64_t> ParseDate(std::string_view s) {
  int y, mo, d;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-' || !ParseDigits(s, 0, 4, &y) ||
      !ParseDigits(s, 5, 2, &mo) || !ParseDigits(s, 8, 2, &d)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo)) return std::nullopt;
  return DaysFromCivil(y, mo, d);
}

// RFC 3339: "2024-03-30T09:00:00Z", "2024-03-30T09:00:00+01:00" (seconds optional).
std::optional<std::int64_t> ParseRfc3339Millis(std::string_view s) {
  std::optional<std::int64_t> day = ParseDate(s);
  if (!day || s.size() < 16 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) {
    return std::nullopt;
  }
  int minutes = ParseClock(s.substr(11, 5));
  if (minutes < 0) return std::nullopt;
  std::size_t pos = 16;
  int sec = 0;
  if (pos < s.size() && s[pos] == ':') {
    if (!ParseDigits(s, pos + 1, 2, &sec) || sec > 60) return std::nullopt;
    pos += 3;
  }
  int offset_s = 0;
  std::string_view zone = s.substr(pos);
  if (zone == "Z" || zone == "z") {
    offset_s = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-')) {
    int off = ParseClock(zone.substr(1));
    if (off < 0) return std::nullopt;
    offset_s = (zone[0] == '-' ? -1 : 1) * off * 60;
  } else {
    return std::nullopt;
  }
  std::int64_t unix_s = *day * 86400 + minutes * 60 + sec - offset_s;
  return unix_s * 1000;
}

std::string ResolveFile(const std::string& base_dir, const std::string& p) {
  if (p.empty() || std::filesystem::path(p).is_absolute() || base_dir.empty()) return p;
  return (std::filesystem::path(base_dir) / p).lexically_normal().string();
}

void ReadNameList(MapReader& r, std::string_view key, std::vector<std::string>* out,
                  std::vector<Reference>* refs) {
  r.List(key, [&](const YAML::Node& item, const std::string& p) {
    std::string s;
    if (!ReadScalarString(r.ctx(), item, p, &s)) return;
    if (s.empty()) {
      r.ctx().Error(item, p, "must not be empty");
      return;
    }
    if (refs != nullptr) refs->push_back({s, item.Mark(), p});
    out->push_back(std::move(s));
  });
}

void ReadSeverityRule(const YAML::Node& node, const std::string& path, YamlContext& ctx,
                      SeverityRuleConfig* out) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  YAML::Node match = r.Take("match");
  MapReader m(ctx, match, JoinPath(path, "match"));
  if (m.is_map()) {
    for (const auto& kv : match) {
      std::string name = kv.first.Scalar();
      std::string value;
      if (ReadScalarString(ctx, kv.second, JoinPath(m.path(), name), &value)) {
        out->match[name] = value;
      }
      m.Take(name);
    }
  }
  m.Finish();
  if (out->match.empty()) ctx.Error(node, path, "match must name at least one label");
  std::string sev;
  if (r.String("severity", &sev)) {
    out->severity = ParseSeverity(sev);
    if (out->severity == 0) {
      ctx.Error(r.Take("severity"), JoinPath(path, "severity"),
                fmt::format("unknown severity \"{}\" (want P1, P2, P3 or P4)", sev));
    }
  } else if (r.is_map()) {
    ctx.Error(node, path, "severity is required");
  }
  r.Finish();
}

void ReadSeverities(const YAML::Node& node, YamlContext& ctx, Refs& refs, IncidentsConfig* out) {
  MapReader r(ctx, node, "incidents.severities");
  if (!r.is_map()) return;
  for (int sev = 1; sev <= kIncidentSeverities; ++sev) {
    std::string key = fmt::format("P{}", sev);
    if (!r.Has(key)) continue;
    std::string path = JoinPath(r.path(), key);
    YAML::Node item = r.Take(key);
    MapReader s(ctx, item, path);
    SeverityConfig& c = out->severities[sev - 1];
    if (s.Duration("response_time", &c.response_time) && c.response_time.count() <= 0) {
      ctx.Error(s.Take("response_time"), JoinPath(path, "response_time"), "must be greater than 0");
    }
    if (s.String("policy", &c.policy) && !c.policy.empty()) {
      refs.policies.push_back({c.policy, s.Take("policy").Mark(), JoinPath(path, "policy")});
    }
    s.Finish();
  }
  r.Finish();  // anything but P1..P4 is an unknown key
}

void ReadUser(const YAML::Node& node, const std::string& path, YamlContext& ctx,
              IncidentUserConfig* out) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  if (!r.String("name", &out->name) || out->name.empty()) {
    ctx.Error(node, path, "name is required");
  } else if (out->name.starts_with("schedule:")) {
    ctx.Error(r.Take("name"), JoinPath(path, "name"), "must not start with \"schedule:\"");
  }
  r.String("email", &out->email);
  ReadNameList(r, "receivers", &out->receivers, nullptr);
  r.Finish();
}

void ReadLayer(const YAML::Node& node, const std::string& path, YamlContext& ctx, Refs& refs,
               RotationLayerConfig* out) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  r.Enum("rotation", {"daily", "weekly"}, &out->rotation);
  std::string handoff;
  if (r.String("handoff", &handoff)) {
    std::string_view h = handoff;
    std::size_t space = h.find(' ');
    int weekday = out->handoff_weekday;
    bool ok = true;
    if (space != std::string_view::npos) {
      weekday = ParseWeekday(h.substr(0, space));
      h = h.substr(space + 1);
      ok = weekday >= 0;
    } else if (out->rotation == "weekly") {
      ok = false;  // a weekly handoff needs its day
    }
    int minute = ParseClock(h);
    if (!ok || minute < 0) {
      ctx.Error(r.Take("handoff"), JoinPath(path, "handoff"),
                fmt::format("invalid handoff \"{}\" (want \"Mon 09:00\" for weekly "
                            "rotations, \"09:00\" for daily ones)",
                            handoff));
    } else {
      out->handoff_weekday = weekday;
      out->handoff_minute = minute;
    }
  }
  std::string start;
  if (r.String("start", &start)) {
    std::optional<std::int64_t> day = ParseDate(start);
    if (!day) {
      ctx.Error(r.Take("start"), JoinPath(path, "start"),
                fmt::format("invalid date \"{}\" (want YYYY-MM-DD)", start));
    } else {
      out->start_day = *day;
    }
  }
  ReadNameList(r, "users", &out->users, &refs.users);
  if (out->users.empty() && r.is_map()) ctx.Error(node, path, "users must not be empty");
  r.Finish();
}

void ReadOverride(const YAML::Node& node, const std::string& path, YamlContext& ctx, Refs& refs,
                  ScheduleOverrideConfig* out) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  if (r.String("user", &out->user)) {
    refs.users.push_back({out->user, r.Take("user").Mark(), JoinPath(path, "user")});
  } else {
    ctx.Error(node, path, "user is required");
  }
  bool times_ok = true;
  for (auto [key, field] : {std::pair{"start", &out->start_ms}, std::pair{"end", &out->end_ms}}) {
    std::string s;
    if (!r.String(key, &s)) {
      if (r.is_map()) ctx.Error(node, path, fmt::format("{} is required", key));
      times_ok = false;
      continue;
    }
    std::optional<std::int64_t> ms = ParseRfc3339Millis(s);
    if (!ms) {
      ctx.Error(r.Take(key), JoinPath(path, key),
                fmt::format("invalid time \"{}\" (want RFC 3339, e.g. 2024-03-30T09:00:00Z)", s));
      times_ok = false;
    } else {
      *field = *ms;
    }
  }
  if (times_ok && out->end_ms <= out->start_ms) {
    ctx.Error(r.Take("end"), JoinPath(path, "end"), "must be after start");
  }
  r.Finish();
}

void ReadSchedule(const YAML::Node& node, const std::string& path, YamlContext& ctx, Refs& refs,
                  ScheduleConfig* out) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  if (!r.String("name", &out->name) || out->name.empty()) ctx.Error(node, path, "name is required");
  if (r.String("time_zone", &out->time_zone)) {
    if (!IsKnownZone(out->time_zone)) {
      ctx.Error(r.Take("time_zone"), JoinPath(path, "time_zone"),
                fmt::format("unknown time zone {}", out->time_zone));
    }
  }
  r.List("layers", [&](const YAML::Node& item, const std::string& p) {
    ReadLayer(item, p, ctx, refs, &out->layers.emplace_back());
  });
  if (out->layers.empty()) ctx.Error(node, path, "layers must not be empty");
  r.List("overrides", [&](const YAML::Node& item, const std::string& p) {
    ReadOverride(item, p, ctx, refs, &out->overrides.emplace_back());
  });
  r.Finish();
}

void ReadLevel(const YAML::Node& node, const std::string& path, YamlContext& ctx, Refs& refs,
               EscalationLevelConfig* out) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  r.List("notify", [&](const YAML::Node& item, const std::string& p) {
    std::string s;
    if (!ReadScalarString(ctx, item, p, &s)) return;
    if (s.starts_with("schedule:")) {
      refs.schedules.push_back({s.substr(9), item.Mark(), p});
    } else {
      refs.users.push_back({s, item.Mark(), p});
    }
    out->notify.push_back(std::move(s));
  });
  if (out->notify.empty()) ctx.Error(node, path, "notify must name at least one user or schedule");
  ReadNameList(r, "receivers", &out->receivers, nullptr);
  Duration timeout{0};
  if (r.Duration("timeout", &timeout)) {
    if (timeout.count() <= 0) {
      ctx.Error(r.Take("timeout"), JoinPath(path, "timeout"), "must be greater than 0");
    } else {
      out->timeout = timeout;
    }
  }
  r.Finish();
}

void ReadPolicy(const YAML::Node& node, const std::string& path, YamlContext& ctx, Refs& refs,
                EscalationPolicyConfig* out) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  if (!r.String("name", &out->name) || out->name.empty()) ctx.Error(node, path, "name is required");
  r.List("levels", [&](const YAML::Node& item, const std::string& p) {
    ReadLevel(item, p, ctx, refs, &out->levels.emplace_back());
  });
  if (out->levels.empty()) ctx.Error(node, path, "levels must not be empty");
  std::int64_t repeat = 0;
  if (r.Int("repeat", &repeat, 0, 100)) out->repeat = static_cast<int>(repeat);
  r.Finish();
}

template <typename T>
void CheckUnique(const YAML::Node& list, const std::vector<T>& items, const std::string& path,
                 YamlContext& ctx) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].name.empty() && !seen.insert(items[i].name).second) {
      ctx.Error(list[i], fmt::format("{}[{}].name", path, i),
                fmt::format("duplicate name \"{}\"", items[i].name));
    }
  }
}

}  // namespace

Duration DefaultResponseTime(int severity) {
  switch (severity) {
    case 1:
      return Duration(15 * 60'000);
    case 2:
      return Duration(30 * 60'000);
    case 3:
      return Duration(2 * 3600'000);
    default:
      return Duration(24 * 3600'000);
  }
}

IncidentsConfig::IncidentsConfig() {
  severity_rules.push_back({{{"severity", "critical"}, {"action", "page"}}, 1});
  for (int s = 1; s <= kIncidentSeverities; ++s) {
    severities[s - 1].response_time = DefaultResponseTime(s);
  }
}

std::size_t LinkSecretLength(std::string_view file_contents) {
  // Surrounding whitespace (the newline `openssl rand -hex 32 >file` writes) is not
  // part of the secret.
  const std::size_t first = file_contents.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return 0;
  const std::size_t last = file_contents.find_last_not_of(" \t\r\n");
  return last - first + 1;
}

const EscalationPolicyConfig* IncidentsConfig::FindPolicy(const std::string& name) const {
  for (const auto& p : escalation_policies) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const ScheduleConfig* IncidentsConfig::FindSchedule(const std::string& name) const {
  for (const auto& s : schedules) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const IncidentUserConfig* IncidentsConfig::FindUser(const std::string& name) const {
  for (const auto& u : users) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

void ReadIncidents(const YAML::Node& node, const std::string& base_dir, YamlContext& ctx,
                   IncidentsConfig* out) {
  if (!node.IsDefined() || node.IsNull()) return;
  out->configured = true;
  MapReader r(ctx, node, "incidents");
  if (!r.is_map()) return;
  Refs refs;
  if (r.Has("severity_rules")) out->severity_rules.clear();
  r.List("severity_rules", [&](const YAML::Node& item, const std::string& p) {
    ReadSeverityRule(item, p, ctx, &out->severity_rules.emplace_back());
  });
  ReadSeverities(r.Take("severities"), ctx, refs, out);
  if (r.Duration("ack_timeout", &out->ack_timeout) && out->ack_timeout.count() < 0) {
    ctx.Error(r.Take("ack_timeout"), "incidents.ack_timeout", "must not be negative");
  }
  r.String("business_hours", &out->business_hours);
  if (r.String("token_file", &out->token_file)) {
    out->token_file = ResolveFile(base_dir, out->token_file);
    // The secret signs one-click links: a missing or empty file fails here, at load
    // and in check-config, not at the first page.
    std::ifstream in(out->token_file, std::ios::binary);
    std::stringstream secret;
    secret << in.rdbuf();
    if (!in) {
      ctx.Error(r.Take("token_file"), "incidents.token_file",
                fmt::format("cannot read \"{}\"", out->token_file));
    } else if (std::size_t len = LinkSecretLength(secret.str()); len < kMinLinkSecretBytes) {
      ctx.Error(r.Take("token_file"), "incidents.token_file",
                fmt::format("\"{}\" holds a {}-byte secret; at least {} bytes are required "
                            "(generate one with: openssl rand -hex 32)",
                            out->token_file, len, kMinLinkSecretBytes));
    }
  }
  if (r.Duration("link_ttl", &out->link_ttl)) {
    // An unbounded TTL would overflow the links' expiry (now + ttl).
    if (out->link_ttl.count() <= 0) {
      ctx.Error(r.Take("link_ttl"), "incidents.link_ttl", "must be positive");
    } else if (out->link_ttl > kMaxLinkTtl) {
      ctx.Error(r.Take("link_ttl"), "incidents.link_ttl",
                "must be at most 30d (one-click links should not live longer)");
    }
  }
  r.List("users", [&](const YAML::Node& item, const std::string& p) {
    ReadUser(item, p, ctx, &out->users.emplace_back());
  });
  r.List("schedules", [&](const YAML::Node& item, const std::string& p) {
    ReadSchedule(item, p, ctx, refs, &out->schedules.emplace_back());
  });
  r.List("escalation_policies", [&](const YAML::Node& item, const std::string& p) {
    ReadPolicy(item, p, ctx, refs, &out->escalation_policies.emplace_back());
  });
  r.Finish();

  CheckUnique(node["users"], out->users, "incidents.users", ctx);
  CheckUnique(node["schedules"], out->schedules, "incidents.schedules", ctx);
  CheckUnique(node["escalation_policies"], out->escalation_policies,
              "incidents.escalation_policies", ctx);
  for (const Reference& ref : refs.users) {
    if (out->FindUser(ref.name) == nullptr) {
      ctx.ErrorAt(ref.mark, ref.path, fmt::format("unknown user \"{}\"", ref.name));
    }
  }
  for (const Reference& ref : refs.schedules) {
    if (out->FindSchedule(ref.name) == nullptr) {
      ctx.ErrorAt(ref.mark, ref.path, fmt::format("unknown schedule \"{}\"", ref.name));
    }
  }
  for (const Reference& ref : refs.policies) {
    if (out->FindPolicy(ref.name) == nullptr) {
      ctx.ErrorAt(ref.mark, ref.path, fmt::format("unknown escalation policy \"{}\"", ref.name));
    }
  }
}

}  // namespace hw::config
