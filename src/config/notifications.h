// The `notifications` section: Alertmanager's own configuration (alertmanager.yml),
// inline in hastewatch.yml or named by path, plus hastewatch's few extensions.
//
//   notifications:                     notifications: alertmanager.yml
//     global: {...}                    (a path, relative to hastewatch.yml; the file
//     route: {...}                      is read unchanged, with the same checks)
//     receivers: [...]
//     inhibit_rules: [...]
//     time_intervals: [...]
//     templates: [...]
//     flap_detection: {...}            hastewatch extensions, accepted in both forms:
//                                      flap_detection here, outside_active_intervals
//                                      on routes (a file using them is no longer one
//                                      Alertmanager itself loads)
//
// Keys, defaults and checks follow Alertmanager 0.27's config package. Durations are
// milliseconds; optional route settings are unset when inherited from the parent.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/units.h"
#include "config/client_config.h"

namespace hw::config {

// One Alertmanager matcher: `name op "value"` (op =, !=, =~, !~), from `matchers`
// strings or the deprecated match / match_re maps. Regexes are anchored as in
// Alertmanager (^(?:value)$) and validated at load.
struct AmMatcher {
  enum class Op { kEqual, kNotEqual, kRegex, kNotRegex };
  std::string name;
  Op op = Op::kEqual;
  std::string value;
  bool operator==(const AmMatcher&) const = default;
};

struct RouteConfig {
  std::string receiver;  // required at the root; inherited below
  std::vector<std::string> group_by;
  bool group_by_all = false;  // group_by: ['...']
  bool group_by_set = false;  // group_by given here (else inherited)
  std::vector<AmMatcher> matchers;
  bool continue_matching = false;  // `continue`
  std::optional<Duration> group_wait;      // root default 30s
  std::optional<Duration> group_interval;  // root default 5m
  std::optional<Duration> repeat_interval; // root default 4h
  std::vector<std::string> mute_time_intervals;
  std::vector<std::string> active_time_intervals;
  // hastewatch: what happens to a notification due outside active_time_intervals.
  // "hold" (default): kept and delivered when an interval opens (summarised if the
  // alerts resolved meanwhile); "drop": Alertmanager's behaviour.
  std::optional<std::string> outside_active_intervals;
  std::vector<RouteConfig> routes;
  int line = 0;  // position in the file, for messages
  int column = 0;
  bool operator==(const RouteConfig&) const = default;
};

// Prometheus-style HTTP client settings of a receiver (http_config).
struct HttpClientConfig {
  std::optional<BasicAuthConfig> basic_auth;
  std::optional<AuthorizationConfig> authorization;
  TlsConfig tls_config;
  std::string proxy_url;
  bool operator==(const HttpClientConfig&) const = default;
};

struct WebhookConfig {
  bool send_resolved = true;
  std::string url;       // or url_file
  std::string url_file;
  std::int64_t max_alerts = 0;  // 0: all
  Duration timeout = Duration(0);  // 0: no limit beyond the dispatcher's
  HttpClientConfig http_config;
  bool operator==(const WebhookConfig&) const = default;
};

struct EmailConfig {
  bool send_resolved = false;
  std::string to;
  std::string from;          // defaults from global.smtp_from
  std::string hello;         // global.smtp_hello, default "localhost"
  std::string smarthost;     // host:port, global.smtp_smarthost
  std::string auth_username;
  std::string auth_password;
  std::string auth_password_file;
  std::string auth_identity;
  std::string auth_secret;
  bool require_tls = true;   // global.smtp_require_tls
  TlsConfig tls_config;
  std::map<std::string, std::string> headers;  // templates; Subject defaults
  std::string html;  // template; default '{{ template "email.default.html" . }}'
  std::string text;  // template; default none
  bool operator==(const EmailConfig&) const = default;
};

struct SlackField {
  std::string title;
  std::string value;
  bool short_field = false;
  bool operator==(const SlackField&) const = default;
};

struct SlackConfig {
  bool send_resolved = false;
  std::string api_url;       // or api_url_file; defaults from global.slack_api_url
  std::string api_url_file;
  std::string channel;
  std::string username;      // default '{{ template "slack.default.username" . }}'
  std::string color;         // default firing danger / resolved good
  std::string title;
  std::string title_link;
  std::string pretext;
  std::string text;
  std::vector<SlackField> fields;
  bool short_fields = false;
  std::string footer;
  std::string fallback;
  std::string callback_id;
  std::string icon_emoji;
  std::string icon_url;
  std::string image_url;
  std::string thumb_url;
  bool link_names = false;
  std::vector<std::string> mrkdwn_in;  // default fallback, pretext, text
  HttpClientConfig http_config;
  bool operator==(const SlackConfig&) const = default;
};

struct PagerdutyConfig {
  bool send_resolved = true;
  std::string routing_key;   // Events API v2; or routing_key_file
  std::string routing_key_file;
  std::string service_key;   // Events API v1 integration key; or service_key_file
  std::string service_key_file;
  std::string url;           // default global.pagerduty_url
  std::string client;        // default '{{ template "pagerduty.default.client" . }}'
  std::string client_url;
  std::string description;   // default '{{ template "pagerduty.default.description" .}}'
  std::map<std::string, std::string> details;
  std::string severity;      // default "error"
  std::string class_;        // `class`
  std::string component;
  std::string group;
  std::string source;        // default client_url
  HttpClientConfig http_config;
  bool operator==(const PagerdutyConfig&) const = default;
};

struct ReceiverConfig {
  std::string name;
  std::vector<WebhookConfig> webhook_configs;
  std::vector<EmailConfig> email_configs;
  std::vector<SlackConfig> slack_configs;
  std::vector<PagerdutyConfig> pagerduty_configs;
  bool operator==(const ReceiverConfig&) const = default;
};

struct InhibitRuleConfig {
  std::vector<AmMatcher> source_matchers;  // plus source_match / source_match_re
  std::vector<AmMatcher> target_matchers;
  std::vector<std::string> equal;
  bool operator==(const InhibitRuleConfig&) const = default;
};

// One entry of a named time interval (all given fields must match; an empty field
// matches everything). Times are minutes of the day [start, end); ranges inclusive.
struct TimeIntervalSpec {
  struct MinuteRange {
    int start = 0;  // minutes since midnight, 0..1440
    int end = 0;
    bool operator==(const MinuteRange&) const = default;
  };
  struct Range {
    int begin = 0;  // inclusive
    int end = 0;
    bool operator==(const Range&) const = default;
  };
  std::vector<MinuteRange> times;
  std::vector<Range> weekdays;       // 0 = Sunday .. 6 = Saturday
  std::vector<Range> days_of_month;  // 1..31, or negative from the month's end (-1 last)
  std::vector<Range> months;         // 1..12
  std::vector<Range> years;
  std::string location = "UTC";      // IANA zone name, "Local" for the machine's
  bool operator==(const TimeIntervalSpec&) const = default;
};

struct TimeIntervalConfig {
  std::string name;
  std::vector<TimeIntervalSpec> intervals;  // the interval is active if any matches
  bool operator==(const TimeIntervalConfig&) const = default;
};

struct AmGlobalConfig {
  Duration resolve_timeout = Duration(5 * 60'000);
  std::string smtp_from;
  std::string smtp_hello = "localhost";
  std::string smtp_smarthost;
  std::string smtp_auth_username;
  std::string smtp_auth_password;
  std::string smtp_auth_password_file;
  std::string smtp_auth_identity;
  std::string smtp_auth_secret;
  bool smtp_require_tls = true;
  std::string slack_api_url;
  std::string slack_api_url_file;
  std::string pagerduty_url = "https://events.pagerduty.com/v2/enqueue";
  HttpClientConfig http_config;
  bool operator==(const AmGlobalConfig&) const = default;
};

// hastewatch's alert-fatigue settings (the guide's "Alert Fatigue Prevention").
struct FlapDetectionConfig {
  // An alert that changes state (firing <-> resolved) more than this many times in
  // `window` is flapping: its notifications are held and sent as one "flapping"
  // notification. 0 disables.
  int max_changes = 6;
  Duration window = Duration(3'600'000);
  bool operator==(const FlapDetectionConfig&) const = default;
};

struct NotificationsConfig {
  bool configured = false;  // the section was present
  std::string source_file;  // the alertmanager.yml it came from; "" when inline
  AmGlobalConfig global;
  RouteConfig route;
  std::vector<ReceiverConfig> receivers;
  std::vector<InhibitRuleConfig> inhibit_rules;
  std::vector<TimeIntervalConfig> time_intervals;  // incl. deprecated mute_time_intervals
  std::vector<std::string> templates;  // absolute paths or globs
  FlapDetectionConfig flap_detection;
  bool operator==(const NotificationsConfig&) const = default;
};

// Reads an alertmanager.yml on its own (as `hastewatch routes test --config` and the
// path form of `notifications` do). Errors are "file:line:col: key: problem".
Result<NotificationsConfig> LoadAlertmanagerConfigFile(const std::string& path);
Result<NotificationsConfig> LoadAlertmanagerConfigString(const std::string& text,
                                                         const std::string& file);

}  // namespace hw::config
