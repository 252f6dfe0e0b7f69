// `incidents` in hastewatch.yml: how paging alert groups become incidents (P1–P4), who
// is on call (schedules of rotations, layers and overrides), how an unacknowledged
// incident escalates, and the secret that signs one-click acknowledge/resolve links.
//
//   incidents:
//     severity_rules:                 # first match wins; unmatched groups open none
//       - match: {severity: critical, action: page}
//         severity: P1
//     severities:                     # response times default to the guide's table
//       P1: {response_time: 15m, policy: primary}
//       P4: {policy: business}
//     ack_timeout: 30m                # acknowledged but untouched this long: re-trigger
//     business_hours: business-hours  # a notifications time interval; P4 pages wait for it
//     token_file: secrets/incident-links.key  # signs one-click ack/resolve links
//     link_ttl: 24h                   # how long those links work
//     users:
//       - {name: alice, email: alice@example.com, receivers: [oncall-pager]}
//     schedules:
//       - name: primary
//         time_zone: Europe/Berlin
//         layers:                     # later layers win where they have someone
//           - {rotation: weekly, handoff: "Mon 09:00", start: 2024-01-01, users: [alice, bob]}
//         overrides:
//           - {user: carol, start: "2024-03-30T09:00:00+01:00", end: "2024-03-31T09:00:00+02:00"}
//     escalation_policies:
//       - name: primary
//         levels:
//           - {notify: ["schedule:primary"], receivers: [oncall-pager]}
//           - {notify: [bob], timeout: 10m}
//         repeat: 1                   # run the levels this many more times after the last
//
// Durations are milliseconds. Names referenced inside the section (users, schedules,
// policies) are checked by ReadIncidents; receiver and time-interval names refer to
// `notifications` and are checked by the caller that has both sections.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/units.h"

namespace hw::config {

// P1 (most urgent) .. P4, as 1..4.
inline constexpr int kIncidentSeverities = 4;

struct SeverityRuleConfig {
  std::map<std::string, std::string> match;  // label name -> value, all must be equal
  int severity = 1;                          // 1..4
  bool operator==(const SeverityRuleConfig&) const = default;
};

struct SeverityConfig {
  Duration response_time{0};  // the guide's table when not set
  std::string policy;         // escalation policy name; "" = no escalation
  bool operator==(const SeverityConfig&) const = default;
};

struct IncidentUserConfig {
  std::string name;
  std::string email;
  std::vector<std::string> receivers;  // notification receivers that reach this user
  bool operator==(const IncidentUserConfig&) const = default;
};

struct RotationLayerConfig {
  std::string rotation = "weekly";  // "daily" | "weekly"
  int handoff_weekday = 1;          // 0 = Sunday .. 6; weekly rotations only
  int handoff_minute = 9 * 60;      // minutes after local midnight
  std::int64_t start_day = 0;       // civil days since 1970-01-01 in the schedule's zone
  std::vector<std::string> users;
  bool operator==(const RotationLayerConfig&) const = default;
};

struct ScheduleOverrideConfig {
  std::string user;
  std::int64_t start_ms = 0;  // [start, end)
  std::int64_t end_ms = 0;
  bool operator==(const ScheduleOverrideConfig&) const = default;
};

struct ScheduleConfig {
  std::string name;
  std::string time_zone = "UTC";
  std::vector<RotationLayerConfig> layers;
  std::vector<ScheduleOverrideConfig> overrides;
  bool operator==(const ScheduleConfig&) const = default;
};

struct EscalationLevelConfig {
  // User names, or "schedule:NAME" for whoever is on call in that schedule then.
  std::vector<std::string> notify;
  // Receivers to page through; empty = each notified user's own receivers.
  std::vector<std::string> receivers;
  std::optional<Duration> timeout;  // unset: the incident severity's response time
  bool operator==(const EscalationLevelConfig&) const = default;
};

struct EscalationPolicyConfig {
  std::string name;
  std::vector<EscalationLevelConfig> levels;
  int repeat = 0;  // extra rounds through all levels after the last one times out
  bool operator==(const EscalationPolicyConfig&) const = default;
};

// The guide's response times: P1 15 min, P2 30 min, P3 2 h, P4 next day (24 h).
Duration DefaultResponseTime(int severity);

// incidents.link_ttl's upper bound (a larger one would overflow the links' expiry).
inline constexpr Duration kMaxLinkTtl{30LL * 24 * 3600'000};
// The link secret's minimum length in bytes (`openssl rand -hex 32` writes 64).
inline constexpr std::size_t kMinLinkSecretBytes = 32;
// The secret's length in a token file's contents, surrounding whitespace left out.
std::size_t LinkSecretLength(std::string_view file_contents);

struct IncidentsConfig {
  bool configured = false;  // the section was present
  // Defaults to severity=critical + action=page -> P1 when the key is absent.
  std::vector<SeverityRuleConfig> severity_rules;
  std::array<SeverityConfig, kIncidentSeverities> severities;  // index = severity - 1
  Duration ack_timeout{30 * 60'000};                           // 0 disables
  std::string business_hours;  // time interval name; "" = P4 pages at once
  std::string token_file;      // absolute; "" = one-click links disabled
  Duration link_ttl{24 * 3600'000};  // one-click links expire this long after the page
  std::vector<IncidentUserConfig> users;
  std::vector<ScheduleConfig> schedules;
  std::vector<EscalationPolicyConfig> escalation_policies;

  IncidentsConfig();
  const EscalationPolicyConfig* FindPolicy(const std::string& name) const;
  const ScheduleConfig* FindSchedule(const std::string& name) const;
  const IncidentUserConfig* FindUser(const std::string& name) const;
  bool operator==(const IncidentsConfig&) const = default;
};

}  // namespace hw::config
