// The notifications section: Alertmanager's configuration inline or by path, its
// defaults, and the checks amtool check-config makes, each error named by position.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "config/config.h"

namespace hw::config {
namespace {

using Op = AmMatcher::Op;

constexpr Duration kSec{1'000};
constexpr Duration kMin{60'000};
constexpr Duration kHour{3'600'000};

// The guide's two actions as routing: pages now, notifications in business hours.
constexpr const char* kGuideConfig = R"(global:
  resolve_timeout: 5m
  smtp_smarthost: localhost:25
  smtp_from: hastewatch@hastecrm.example
  smtp_require_tls: false
route:
  receiver: team-notify
  group_by: [alertname, service]
  routes:
    - matchers: ['action="page"']
      receiver: oncall-pager
      group_wait: 10s
      group_interval: 1m
      repeat_interval: 1h
    - matchers: [action=notify]
      receiver: team-notify
      group_wait: 1m
      repeat_interval: 24h
      active_time_intervals: [business-hours]
      outside_active_intervals: hold
receivers:
  - name: oncall-pager
    pagerduty_configs:
      - routing_key_file: secrets/pagerduty.key
        severity: critical
    webhook_configs:
      - url: http://127.0.0.1:9190/api/v1/incidents/hook
  - name: team-notify
    email_configs:
      - to: team@hastecrm.example
    slack_configs:
      - api_url_file: secrets/slack.url
        channel: '#alerts'
inhibit_rules:
  - source_matchers: ['alertname=~"DatabaseDown|APIDown"']
    target_matchers: [severity="warning"]
    equal: [service]
time_intervals:
  - name: business-hours
    time_intervals:
      - weekdays: ['monday:friday']
        times:
          - {start_time: '09:00', end_time: '17:00'}
        location: Europe/Berlin
templates: ['templates/*.tmpl']
)";

TEST(NotificationsTest, ReadsTheGuidesRouting) {
  Result<NotificationsConfig> c = LoadAlertmanagerConfigString(kGuideConfig, "/etc/hw/am.yml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->configured);
  EXPECT_EQ(c->source_file, "/etc/hw/am.yml");
  EXPECT_EQ(c->templates, std::vector<std::string>{"/etc/hw/templates/*.tmpl"});

  const RouteConfig& root = c->route;
  EXPECT_EQ(root.receiver, "team-notify");
  EXPECT_EQ(root.group_by, (std::vector<std::string>{"alertname", "service"}));
  EXPECT_TRUE(root.group_by_set);
  EXPECT_EQ(root.line, 7);
  EXPECT_EQ(root.column, 3);
  ASSERT_EQ(root.routes.size(), 2u);
  const RouteConfig& page = root.routes[0];
  EXPECT_EQ(page.matchers, (std::vector<AmMatcher>{{"action", Op::kEqual, "page"}}));
  EXPECT_EQ(page.receiver, "oncall-pager");
  EXPECT_EQ(page.group_wait, 10 * kSec);
  EXPECT_EQ(page.group_interval, kMin);
  EXPECT_EQ(page.repeat_interval, kHour);
  EXPECT_FALSE(page.group_by_set);
  EXPECT_EQ(page.line, 10);
  EXPECT_EQ(page.column, 7);
  const RouteConfig& notify = root.routes[1];
  EXPECT_EQ(notify.matchers, (std::vector<AmMatcher>{{"action", Op::kEqual, "notify"}}));
  EXPECT_EQ(notify.group_wait, kMin);
  EXPECT_EQ(notify.group_interval, std::nullopt);  // inherited from the root
  EXPECT_EQ(notify.repeat_interval, 24 * kHour);
  EXPECT_EQ(notify.active_time_intervals, std::vector<std::string>{"business-hours"});
  EXPECT_EQ(notify.outside_active_intervals, "hold");

  ASSERT_EQ(c->receivers.size(), 2u);
  const ReceiverConfig& pager = c->receivers[0];
  ASSERT_EQ(pager.pagerduty_configs.size(), 1u);
  EXPECT_EQ(pager.pagerduty_configs[0].routing_key_file, "/etc/hw/secrets/pagerduty.key");
  EXPECT_EQ(pager.pagerduty_configs[0].severity, "critical");
  ASSERT_EQ(pager.webhook_configs.size(), 1u);
  EXPECT_EQ(pager.webhook_configs[0].url, "http://127.0.0.1:9190/api/v1/incidents/hook");
  const ReceiverConfig& team = c->receivers[1];
  ASSERT_EQ(team.email_configs.size(), 1u);
  EXPECT_EQ(team.email_configs[0].smarthost, "localhost:25");
  EXPECT_EQ(team.email_configs[0].from, "hastewatch@hastecrm.example");
  EXPECT_FALSE(team.email_configs[0].require_tls);
  ASSERT_EQ(team.slack_configs.size(), 1u);
  EXPECT_EQ(team.slack_configs[0].api_url_file, "/etc/hw/secrets/slack.url");
  EXPECT_EQ(team.slack_configs[0].channel, "#alerts");

  ASSERT_EQ(c->inhibit_rules.size(), 1u);
  EXPECT_EQ(c->inhibit_rules[0].source_matchers,
            (std::vector<AmMatcher>{{"alertname", Op::kRegex, "DatabaseDown|APIDown"}}));
  EXPECT_EQ(c->inhibit_rules[0].target_matchers,
            (std::vector<AmMatcher>{{"severity", Op::kEqual, "warning"}}));
  EXPECT_EQ(c->inhibit_rules[0].equal, std::vector<std::string>{"service"});

  ASSERT_EQ(c->time_intervals.size(), 1u);
  EXPECT_EQ(c->time_intervals[0].name, "business-hours");
  ASSERT_EQ(c->time_intervals[0].intervals.size(), 1u);
  const TimeIntervalSpec& s = c->time_intervals[0].intervals[0];
  EXPECT_EQ(s.weekdays, (std::vector<TimeIntervalSpec::Range>{{1, 5}}));
  EXPECT_EQ(s.times, (std::vector<TimeIntervalSpec::MinuteRange>{{540, 1020}}));
  EXPECT_EQ(s.location, "Europe/Berlin");
}

TEST(NotificationsTest, FillsAlertmanagersDefaults) {
  Result<NotificationsConfig> c = LoadAlertmanagerConfigString(R"(
global:
  smtp_smarthost: 'mail:587'
  smtp_from: am@example.com
  smtp_auth_username: user
  smtp_auth_password_file: smtp.pw
  slack_api_url: https://hooks.slack.com/services/T/B/X
route:
  receiver: all
  routes: [{matchers: [a=b]}]
receivers:
  - name: all
    webhook_configs: [{url: 'http://hook:8080/'}]
    email_configs: [{to: ops@example.com}]
    slack_configs: [{channel: '#x', fields: [{title: t, value: v}]}]
    pagerduty_configs: [{service_key: k, details: {firing: custom}}]
time_intervals:
  - name: any
    time_intervals: [{}]
)",
                                                               "/etc/am/am.yml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  const AmGlobalConfig& g = c->global;
  EXPECT_EQ(g.resolve_timeout, 5 * kMin);
  EXPECT_EQ(g.smtp_hello, "localhost");
  EXPECT_TRUE(g.smtp_require_tls);
  EXPECT_EQ(g.pagerduty_url, "https://events.pagerduty.com/v2/enqueue");
  EXPECT_EQ(c->flap_detection, FlapDetectionConfig{});
  EXPECT_EQ(c->flap_detection.max_changes, 6);
  EXPECT_EQ(c->flap_detection.window, kHour);

  // The root settles the timing defaults; children stay unset and inherit.
  EXPECT_EQ(c->route.group_wait, 30 * kSec);
  EXPECT_EQ(c->route.group_interval, 5 * kMin);
  EXPECT_EQ(c->route.repeat_interval, 4 * kHour);
  EXPECT_FALSE(c->route.group_by_set);
  EXPECT_FALSE(c->route.continue_matching);
  const RouteConfig& child = c->route.routes[0];
  EXPECT_EQ(child.receiver, "");
  EXPECT_EQ(child.group_wait, std::nullopt);
  EXPECT_EQ(child.group_interval, std::nullopt);
  EXPECT_EQ(child.repeat_interval, std::nullopt);
  EXPECT_EQ(child.outside_active_intervals, std::nullopt);

  const ReceiverConfig& r = c->receivers[0];
  const WebhookConfig& w = r.webhook_configs[0];
  EXPECT_TRUE(w.send_resolved);
  EXPECT_EQ(w.max_alerts, 0);
  EXPECT_EQ(w.timeout, Duration(0));

  const EmailConfig& e = r.email_configs[0];
  EXPECT_FALSE(e.send_resolved);
  EXPECT_EQ(e.smarthost, "mail:587");
  EXPECT_EQ(e.from, "am@example.com");
  EXPECT_EQ(e.hello, "localhost");
  EXPECT_EQ(e.auth_username, "user");
  EXPECT_EQ(e.auth_password_file, "/etc/am/smtp.pw");
  EXPECT_TRUE(e.require_tls);
  EXPECT_EQ(e.html, R"({{ template "email.default.html" . }})");
  EXPECT_EQ(e.text, "");
  EXPECT_EQ(e.headers.at("Subject"), R"({{ template "email.default.subject" . }})");
  EXPECT_EQ(e.headers.at("To"), "ops@example.com");
  EXPECT_EQ(e.headers.at("From"), "am@example.com");

  const SlackConfig& s = r.slack_configs[0];
  EXPECT_FALSE(s.send_resolved);
  EXPECT_EQ(s.api_url, "https://hooks.slack.com/services/T/B/X");  // from global
  EXPECT_EQ(s.username, R"({{ template "slack.default.username" . }})");
  EXPECT_EQ(s.color, R"({{ if eq .Status "firing" }}danger{{ else }}good{{ end }})");
  EXPECT_EQ(s.title, R"({{ template "slack.default.title" . }})");
  EXPECT_EQ(s.text, R"({{ template "slack.default.text" . }})");
  EXPECT_EQ(s.mrkdwn_in, (std::vector<std::string>{"fallback", "pretext", "text"}));
  EXPECT_EQ(s.fields, (std::vector<SlackField>{{"t", "v", false}}));

  const PagerdutyConfig& p = r.pagerduty_configs[0];
  EXPECT_TRUE(p.send_resolved);
  EXPECT_EQ(p.service_key, "k");
  EXPECT_EQ(p.url, "https://events.pagerduty.com/v2/enqueue");
  EXPECT_EQ(p.severity, "error");
  EXPECT_EQ(p.client, R"({{ template "pagerduty.default.client" . }})");
  EXPECT_EQ(p.source, p.client_url);
  EXPECT_EQ(p.details.at("firing"), "custom");
  EXPECT_EQ(p.details.at("num_firing"), "{{ .Alerts.Firing | len }}");
  EXPECT_EQ(p.details.size(), 4u);

  EXPECT_EQ(c->time_intervals[0].intervals[0], TimeIntervalSpec{});
  EXPECT_EQ(c->time_intervals[0].intervals[0].location, "UTC");
}

TEST(NotificationsTest, ReadsMatchersInEveryForm) {
  Result<NotificationsConfig> c = LoadAlertmanagerConfigString(R"(
route:
  receiver: r
  group_by: ['...']
  routes:
    - match: {severity: critical}
      match_re: {service: 'api|web'}
      matchers:
        - team!=ops
        - 'env =~ "prod.*"'
        - '{a="x,y", b!~"q\"z"}'
        - msg="line\nbreak"
      continue: true
      mute_time_intervals: [weekend]
      outside_active_intervals: drop
receivers: [{name: r}]
inhibit_rules:
  - source_match: {alertname: DatabaseDown}
    source_match_re: {cluster: 'eu-.*'}
    target_match_re: {severity: warning|info}
mute_time_intervals:
  - name: weekend
    time_intervals:
      - weekdays: [Saturday, sunday]
        days_of_month: ['1:5', '-3:-1']
        months: ['january:march', '12']
        years: ['2024:2026']
        times: [{start_time: '22:00', end_time: '24:00'}]
        location: Local
flap_detection: {max_changes: 0, window: 30m}
)",
                                                               "m.yml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->route.group_by_all);
  EXPECT_TRUE(c->route.group_by.empty());
  const RouteConfig& r = c->route.routes[0];
  // match_re values read as Alertmanager converts them (anchored); matchers as written.
  EXPECT_EQ(r.matchers, (std::vector<AmMatcher>{{"severity", Op::kEqual, "critical"},
                                                {"service", Op::kRegex, "^(?:api|web)$"},
                                                {"team", Op::kNotEqual, "ops"},
                                                {"env", Op::kRegex, "prod.*"},
                                                {"a", Op::kEqual, "x,y"},
                                                {"b", Op::kNotRegex, "q\"z"},
                                                {"msg", Op::kEqual, "line\nbreak"}}));
  EXPECT_TRUE(r.continue_matching);
  EXPECT_EQ(r.mute_time_intervals, std::vector<std::string>{"weekend"});
  EXPECT_EQ(r.outside_active_intervals, "drop");
  const InhibitRuleConfig& i = c->inhibit_rules[0];
  EXPECT_EQ(i.source_matchers, (std::vector<AmMatcher>{{"alertname", Op::kEqual, "DatabaseDown"},
                                                       {"cluster", Op::kRegex, "^(?:eu-.*)$"}}));
  EXPECT_EQ(i.target_matchers,
            (std::vector<AmMatcher>{{"severity", Op::kRegex, "^(?:warning|info)$"}}));
  EXPECT_TRUE(i.equal.empty());
  // Deprecated mute_time_intervals land in time_intervals.
  ASSERT_EQ(c->time_intervals.size(), 1u);
  const TimeIntervalSpec& s = c->time_intervals[0].intervals[0];
  using R = TimeIntervalSpec::Range;
  EXPECT_EQ(s.weekdays, (std::vector<R>{{6, 6}, {0, 0}}));
  EXPECT_EQ(s.days_of_month, (std::vector<R>{{1, 5}, {-3, -1}}));
  EXPECT_EQ(s.months, (std::vector<R>{{1, 3}, {12, 12}}));
  EXPECT_EQ(s.years, (std::vector<R>{{2024, 2026}}));
  EXPECT_EQ(s.times, (std::vector<TimeIntervalSpec::MinuteRange>{{1320, 1440}}));
  EXPECT_EQ(s.location, "Local");
  EXPECT_EQ(c->flap_detection.max_changes, 0);
  EXPECT_EQ(c->flap_detection.window, 30 * kMin);
}

TEST(NotificationsTest, ReceiversTakeHttpConfigAndGlobalHttpConfig) {
  Result<NotificationsConfig> c = LoadAlertmanagerConfigString(R"(
global:
  http_config:
    proxy_url: http://proxy:3128
route: {receiver: r}
receivers:
  - name: r
    webhook_configs:
      - url: https://hooks.example.com/a
        send_resolved: false
        max_alerts: 10
        http_config:
          basic_auth: {username: u, password_file: pw}
          tls_config: {ca_file: ca.pem}
          follow_redirects: true
      - url: https://hooks.example.com/b
)",
                                                               "/srv/am/am.yml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  const WebhookConfig& a = c->receivers[0].webhook_configs[0];
  EXPECT_FALSE(a.send_resolved);
  EXPECT_EQ(a.max_alerts, 10);
  ASSERT_TRUE(a.http_config.basic_auth);
  EXPECT_EQ(a.http_config.basic_auth->password_file, "/srv/am/pw");
  EXPECT_EQ(a.http_config.tls_config.ca_file, "/srv/am/ca.pem");
  EXPECT_EQ(a.http_config.proxy_url, "");  // its own http_config replaces the global one
  EXPECT_EQ(c->receivers[0].webhook_configs[1].http_config.proxy_url, "http://proxy:3128");
}

TEST(NotificationsTest, InlineInHastewatchYml) {
  Result<Config> c = LoadConfigString(R"(server:
  listen: 127.0.0.1:9190
notifications:
  route:
    receiver: hook
  receivers:
    - name: hook
      webhook_configs: [{url: 'http://127.0.0.1:5001/'}]
  templates: [t/*.tmpl]
  flap_detection: {max_changes: 4, window: 1h}
)",
                                      "/etc/hw/hastewatch.yml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  const NotificationsConfig& n = c->notifications;
  EXPECT_TRUE(n.configured);
  EXPECT_EQ(n.source_file, "");
  EXPECT_EQ(n.route.receiver, "hook");
  EXPECT_EQ(n.route.line, 5);
  EXPECT_EQ(n.templates, std::vector<std::string>{"/etc/hw/t/*.tmpl"});
  EXPECT_EQ(n.flap_detection.max_changes, 4);

  // Absent: not configured, nothing read.
  c = LoadConfigString("server: {listen: '127.0.0.1:9190'}\n", "/etc/hw/hastewatch.yml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_FALSE(c->notifications.configured);

  // Inline errors carry hastewatch.yml's positions and the notifications. prefix.
  c = LoadConfigString("notifications:\n  route: {receiver: x}\n", "hw.yml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "hw.yml:2:21: notifications.route.receiver: undefined receiver \"x\" used in route");
}

class NotificationsFileTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hw-notifications-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "am");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(NotificationsFileTest, PathFormLoadsTheFileUnchanged) {
  Write("am/alertmanager.yml", kGuideConfig);
  std::string hw = Write("hastewatch.yml", "notifications: am/alertmanager.yml\n");
  Result<Config> c = LoadConfigFile(hw);
  ASSERT_TRUE(c.ok()) << c.status().message();
  const NotificationsConfig& n = c->notifications;
  EXPECT_TRUE(n.configured);
  EXPECT_EQ(n.source_file, (dir_ / "am/alertmanager.yml").string());
  // Relative files resolve against the alertmanager.yml, as Alertmanager does.
  EXPECT_EQ(n.receivers[0].pagerduty_configs[0].routing_key_file,
            (dir_ / "am/secrets/pagerduty.key").string());
  EXPECT_EQ(n.templates, std::vector<std::string>{(dir_ / "am/templates/*.tmpl").string()});

  // The same file on its own gives the same configuration.
  Result<NotificationsConfig> direct =
      LoadAlertmanagerConfigFile((dir_ / "am/alertmanager.yml").string());
  ASSERT_TRUE(direct.ok()) << direct.status().message();
  EXPECT_EQ(*direct, n);
}

TEST_F(NotificationsFileTest, PathFormErrorsNameTheAlertmanagerFile) {
  Write("am/alertmanager.yml", "route:\n  receiver: nobody\nreceivers: [{name: a}]\n");
  std::string hw = Write("hastewatch.yml", "server:\n  lisen: x\nnotifications: am/alertmanager.yml\n");
  Result<Config> c = LoadConfigFile(hw);
  ASSERT_FALSE(c.ok());
  std::string am = (dir_ / "am/alertmanager.yml").string();
  EXPECT_EQ(c.status().message(),
            hw + ":2:3: server.lisen: unknown key\n" + am +
                ":2:13: route.receiver: undefined receiver \"nobody\" used in route");

  c = LoadConfigFile(Write("h2.yml", "notifications: missing.yml\n"));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), (dir_ / "h2.yml").string() +
                                      ":1:16: notifications: cannot read \"" +
                                      (dir_ / "missing.yml").string() +
                                      "\": No such file or directory");

  Result<NotificationsConfig> n = LoadAlertmanagerConfigFile((dir_ / "nope.yml").string());
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), StatusCode::kNotFound);
}

struct BadAm {
  const char* yaml;
  const char* expected;  // the whole error message
};

class BadAlertmanagerConfigTest : public testing::TestWithParam<BadAm> {};

TEST_P(BadAlertmanagerConfigTest, NamesFileLineColumnKeyAndProblem) {
  Result<NotificationsConfig> c = LoadAlertmanagerConfigString(GetParam().yaml, "am.yml");
  ASSERT_FALSE(c.ok()) << GetParam().yaml;
  EXPECT_EQ(c.status().code(), StatusCode::kBadData);
  EXPECT_EQ(c.status().message(), GetParam().expected) << GetParam().yaml;
}

// Receivers and a root route the cases share: "R" is defined.
#define ROOT "route: {receiver: R}\n"
#define RECV "receivers: [{name: R}]\n"

INSTANTIATE_TEST_SUITE_P(
    Cases, BadAlertmanagerConfigTest,
    testing::Values(
        // top level and root route
        BadAm{"", "am.yml: no route provided in config"},
        BadAm{RECV, "am.yml:1:1: no route provided in config"},
        BadAm{ROOT RECV "inhibit: []\n", "am.yml:3:1: inhibit: unknown key"},
        BadAm{ROOT ROOT RECV, "am.yml:2:1: route: duplicate key"},
        BadAm{"route: {group_wait: 1s}\n" RECV,
              "am.yml:1:8: route: root route must specify a default receiver"},
        BadAm{"route: {receiver: R, matchers: [a=b]}\n" RECV,
              "am.yml:1:32: route: root route must not have any matchers"},
        BadAm{"route: {receiver: R, continue: true}\n" RECV,
              "am.yml:1:32: route: cannot have continue in root route"},
        BadAm{"route: {receiver: R, mute_time_intervals: [t]}\n" RECV "time_intervals: [{name: t}]\n",
              "am.yml:1:43: route: root route must not have any mute time intervals"},
        BadAm{"route: {receiver: R, active_time_intervals: [t]}\n" RECV "time_intervals: [{name: t}]\n",
              "am.yml:1:45: route: root route must not have any active time intervals"},
        // routes
        BadAm{"route:\n  receiver: R\n  routes:\n    - receiver: pager\n" RECV,
              "am.yml:4:17: route.routes[0].receiver: undefined receiver \"pager\" used in route"},
        BadAm{"route:\n  receiver: R\n  routes:\n    - mute_time_intervals: [nights]\n" RECV,
              "am.yml:4:29: route.routes[0].mute_time_intervals[0]: undefined time interval \"nights\" used in route"},
        BadAm{"route:\n  receiver: R\n  routes:\n    - active_time_intervals: [x]\n" RECV,
              "am.yml:4:31: route.routes[0].active_time_intervals[0]: undefined time interval \"x\" used in route"},
        BadAm{"route: {receiver: R, group_by: ['...', job]}\n" RECV,
              "am.yml:1:32: route.group_by: cannot have wildcard group_by (`...`) and other labels at the same time"},
        BadAm{"route: {receiver: R, group_by: [job, job]}\n" RECV,
              "am.yml:1:38: route.group_by[1]: duplicated label \"job\" in group_by"},
        BadAm{"route: {receiver: R, group_by: [a-b]}\n" RECV,
              "am.yml:1:33: route.group_by[0]: invalid label name \"a-b\" in group_by list"},
        BadAm{"route: {receiver: R, group_interval: 0s}\n" RECV,
              "am.yml:1:38: route.group_interval: group_interval cannot be zero"},
        BadAm{"route: {receiver: R, routes: [{repeat_interval: 0}]}\n" RECV,
              "am.yml:1:49: route.routes[0].repeat_interval: repeat_interval cannot be zero"},
        BadAm{"route: {receiver: R, group_wait: soon}\n" RECV,
              "am.yml:1:34: route.group_wait: cannot parse duration \"soon\": expected a number at offset 0"},
        BadAm{"route: {receiver: R, routes: [{recevier: R}]}\n" RECV,
              "am.yml:1:32: route.routes[0].recevier: unknown key"},
        BadAm{"route: {receiver: R, routes: [{outside_active_intervals: later}]}\n" RECV,
              "am.yml:1:58: route.routes[0].outside_active_intervals: \"later\" is not one of: hold, drop"},
        // matchers
        BadAm{"route: {receiver: R, routes: [{matchers: ['1a=b']}]}\n" RECV,
              "am.yml:1:43: route.routes[0].matchers[0]: bad matcher format: 1a=b"},
        BadAm{"route: {receiver: R, routes: [{matchers: [severity]}]}\n" RECV,
              "am.yml:1:43: route.routes[0].matchers[0]: bad matcher format: severity"},
        BadAm{"route: {receiver: R, routes: [{matchers: ['a=\"b']}]}\n" RECV,
              "am.yml:1:43: route.routes[0].matchers[0]: matcher value contains unescaped double quote: \"b"},
        BadAm{"route: {receiver: R, routes: [{matchers: ['a=~\"(\"']}]}\n" RECV,
              "am.yml:1:43: route.routes[0].matchers[0]: invalid regex \"(\": missing ): ^(?:()$"},
        BadAm{"route: {receiver: R, routes: [{match_re: {job: '[a'}}]}\n" RECV,
              "am.yml:1:48: route.routes[0].match_re.job: invalid regex \"[a\": missing ]: [a)$"},
        BadAm{"route: {receiver: R, routes: [{match: {a-b: x}}]}\n" RECV,
              "am.yml:1:40: route.routes[0].match.a-b: invalid label name \"a-b\""},
        BadAm{"route: {receiver: R, routes: [{matchers: a=b}]}\n" RECV,
              "am.yml:1:42: route.routes[0].matchers: expected a list, got a scalar"},
        // receivers
        BadAm{ROOT "receivers: [{name: R}, {name: R}]\n",
              "am.yml:2:31: receivers[1].name: notification config name \"R\" is not unique"},
        BadAm{ROOT "receivers: {name: R}\n", "am.yml:2:12: receivers: expected a list of receivers"},
        BadAm{ROOT "receivers:\n  - name: R\n  - webhook_configs: [{url: 'http://x/'}]\n",
              "am.yml:4:5: receivers[1]: missing name in receiver"},
        BadAm{ROOT "receivers:\n  - name: R\n    webhook_configs: [{}]\n",
              "am.yml:4:23: receivers[0].webhook_configs[0]: one of url or url_file must be configured"},
        BadAm{ROOT "receivers:\n  - name: R\n    webhook_configs: [{url: 'ftp://x/'}]\n",
              "am.yml:4:29: receivers[0].webhook_configs[0].url: unsupported scheme \"ftp\" for URL"},
        BadAm{ROOT "receivers:\n  - name: R\n    webhook_configs: [{url: 'http:///x'}]\n",
              "am.yml:4:29: receivers[0].webhook_configs[0].url: missing host for URL"},
        BadAm{ROOT "receivers:\n  - name: R\n    webhook_configs: [{url: 'http://x/', url_file: f}]\n",
              "am.yml:4:52: receivers[0].webhook_configs[0]: at most one of url & url_file must be configured"},
        BadAm{ROOT "receivers:\n  - name: R\n    webhook_configs: [{url: 'http://x/', max_alerts: -1}]\n",
              "am.yml:4:54: receivers[0].webhook_configs[0].max_alerts: -1 is out of range [0, 9223372036854775807]"},
        BadAm{ROOT "receivers:\n  - name: R\n    webhook_configs: [{url: 'http://x/', http_config: {oauth2: {}}}]\n",
              "am.yml:4:64: receivers[0].webhook_configs[0].http_config.oauth2: not supported yet by hastewatch; remove the key"},
        BadAm{ROOT "receivers:\n  - name: R\n    webhook_configs:\n      - url: 'http://x/'\n        http_config: {basic_auth: {username: u}, bearer_token: t}\n",
              "am.yml:6:35: receivers[0].webhook_configs[0].http_config: at most one of basic_auth, bearer_token & bearer_token_file, authorization must be configured"},
        BadAm{ROOT "receivers:\n  - name: R\n    email_configs: [{to: a@b}]\n",
              "am.yml:4:21: receivers[0].email_configs[0]: no global SMTP smarthost set\n"
              "am.yml:4:21: receivers[0].email_configs[0]: no global SMTP from set"},
        BadAm{ROOT "global: {smtp_smarthost: 'h:25'}\nreceivers:\n  - name: R\n    email_configs: [{to: a@b}]\n",
              "am.yml:5:21: receivers[0].email_configs[0]: no global SMTP from set"},
        BadAm{ROOT "global: {smtp_smarthost: 'h:25', smtp_from: f@x}\nreceivers:\n  - name: R\n    email_configs: [{from: a@b}]\n",
              "am.yml:5:21: receivers[0].email_configs[0]: missing to address in email config"},
        BadAm{ROOT "receivers:\n  - name: R\n    email_configs: [{to: a@b, from: f@x, smarthost: mail}]\n",
              "am.yml:4:53: receivers[0].email_configs[0].smarthost: address mail: missing port in address"},
        BadAm{ROOT "global: {smtp_smarthost: 'h:25', smtp_from: f@x}\nreceivers:\n  - name: R\n    email_configs: [{to: a@b, headers: {subject: x, Subject: y}}]\n",
              "am.yml:5:53: receivers[0].email_configs[0].headers: duplicate header \"Subject\" in email config"},
        BadAm{ROOT "receivers:\n  - name: R\n    slack_configs: [{channel: '#a'}]\n",
              "am.yml:4:21: receivers[0].slack_configs[0]: no global Slack API URL set either inline or in a file"},
        BadAm{ROOT "receivers:\n  - name: R\n    slack_configs: [{api_url: 'https://x/', fields: [{title: t}]}]\n",
              "am.yml:4:54: receivers[0].slack_configs[0].fields[0]: missing value in Slack field configuration"},
        BadAm{ROOT "receivers:\n  - name: R\n    slack_configs: [{api_url: 'https://x/', api_url_file: f}]\n",
              "am.yml:4:59: receivers[0].slack_configs[0]: at most one of api_url & api_url_file must be configured"},
        BadAm{ROOT "receivers:\n  - name: R\n    pagerduty_configs: [{severity: critical}]\n",
              "am.yml:4:25: receivers[0].pagerduty_configs[0]: missing service or routing key in PagerDuty config"},
        BadAm{ROOT "receivers:\n  - name: R\n    pagerduty_configs: [{routing_key: k, routing_key_file: f}]\n",
              "am.yml:4:60: receivers[0].pagerduty_configs[0]: at most one of routing_key & routing_key_file must be configured"},
        BadAm{ROOT "receivers:\n  - name: R\n    pagerduty_configs: [{routing_key: k, links: [{href: 'http://x/'}]}]\n",
              "am.yml:4:49: receivers[0].pagerduty_configs[0].links: PagerDuty links are not supported yet by hastewatch; remove the key"},
        BadAm{ROOT "receivers:\n  - name: R\n    opsgenie_configs: [{api_key: k}]\n",
              "am.yml:4:23: receivers[0].opsgenie_configs: receiver type not supported yet by hastewatch (supported: webhook_configs, email_configs, slack_configs, pagerduty_configs)"},
        // global
        BadAm{"global: {slack_api_url: 'https://x/', slack_api_url_file: f}\n" ROOT RECV,
              "am.yml:1:59: global: at most one of slack_api_url & slack_api_url_file must be configured"},
        BadAm{"global: {smtp_tls_config: {}}\n" ROOT RECV, "am.yml:1:10: global.smtp_tls_config: unknown key"},
        BadAm{"global: {pagerduty_url: 'events.pagerduty.com'}\n" ROOT RECV,
              "am.yml:1:25: global.pagerduty_url: unsupported scheme \"\" for URL"},
        BadAm{"global: {smtp_smarthost: 'a:b:c'}\n" ROOT RECV,
              "am.yml:1:26: global.smtp_smarthost: address a:b:c: too many colons in address"},
        BadAm{ROOT RECV "templates: ['tmpl/*.tmpl', 'x[']\n",
              "am.yml:3:28: templates[1]: invalid glob pattern \"x[\": syntax error in pattern"},
        BadAm{ROOT "receivers: [{name: R, webhook_configs: [{url: '<secret>'}]}]\n",
              "am.yml:2:47: receivers[0].webhook_configs[0].url: unsupported scheme \"\" for URL"},
        // inhibit rules
        BadAm{ROOT RECV "inhibit_rules: [{source_matchers: ['a=b'], equal: [x, 'y-z']}]\n",
              "am.yml:3:55: inhibit_rules[0].equal[1]: \"y-z\" is not a valid label name"},
        BadAm{ROOT RECV "inhibit_rules: [{target_matchers: ['a=~\"*\"']}]\n",
              "am.yml:3:36: inhibit_rules[0].target_matchers[0]: invalid regex \"*\": no argument for repetition operator: *"},
        BadAm{ROOT RECV "inhibit_rules: [{source_match: {a: b}, name: x}]\n",
              "am.yml:3:40: inhibit_rules[0].name: unknown key"},
        // time intervals
        BadAm{ROOT RECV "time_intervals: [{time_intervals: []}]\n",
              "am.yml:3:18: time_intervals[0]: missing name in time interval"},
        BadAm{ROOT RECV "mute_time_intervals: [{name: t}]\ntime_intervals: [{name: t}]\n",
              "am.yml:4:25: time_intervals[0].name: time interval \"t\" is not unique"},
        BadAm{ROOT RECV "time_intervals:\n  - name: t\n    time_intervals: [{weekdays: ['friday:monday']}]\n",
              "am.yml:5:34: time_intervals[0].time_intervals[0].weekdays[0]: start day cannot be before end day"},
        BadAm{ROOT RECV "time_intervals:\n  - name: t\n    time_intervals: [{weekdays: [1]}]\n",
              "am.yml:5:34: time_intervals[0].time_intervals[0].weekdays[0]: 1 is not a valid weekday"},
        BadAm{ROOT RECV "time_intervals:\n  - name: t\n    time_intervals: [{days_of_month: ['0:5']}]\n",
              "am.yml:5:39: time_intervals[0].time_intervals[0].days_of_month[0]: 0 is not a valid day of the month: out of range"},
        BadAm{ROOT RECV "time_intervals:\n  - name: t\n    time_intervals: [{days_of_month: ['-3:5']}]\n",
              "am.yml:5:39: time_intervals[0].time_intervals[0].days_of_month[0]: end day must be negative if start day is negative"},
        BadAm{ROOT RECV "time_intervals:\n  - name: t\n    time_intervals: [{days_of_month: ['10:2']}]\n",
              "am.yml:5:39: time_intervals[0].time_intervals[0].days_of_month[0]: end day 2 is always before start day 10"},
        BadAm{ROOT RECV "time_intervals:\n  - name: t\n    time_intervals: [{months: ['march:january']}]\n",
              "am.yml:5:32: time_intervals[0].time_intervals[0].months[0]: end month january is before start month march"},
        BadAm{ROOT RECV "time_intervals:\n  - name: t\n    time_intervals: [{months: ['13']}]\n",
              "am.yml:5:32: time_intervals[0].time_intervals[0].months[0]: 13 is not a valid month: out of range"},
        BadAm{ROOT RECV "time_intervals:\n  - name: t\n    time_intervals: [{months: [smarch]}]\n",
              "am.yml:5:32: time_intervals[0].time_intervals[0].months[0]: smarch is not a valid month"},
        BadAm{ROOT RECV "time_intervals:\n  - name: t\n    time_intervals: [{years: ['2026:2024']}]\n",
              "am.yml:5:31: time_intervals[0].time_intervals[0].years[0]: end year 2024 is before start year 2026"},
        BadAm{ROOT RECV "time_intervals:\n  - name: t\n    time_intervals: [{times: [{start_time: '9:00', end_time: '17:00'}]}]\n",
              "am.yml:5:44: time_intervals[0].time_intervals[0].times[0].start_time: couldn't parse timestamp 9:00, invalid format"},
        BadAm{ROOT RECV "time_intervals:\n  - name: t\n    time_intervals: [{times: [{start_time: '09:00', end_time: '24:01'}]}]\n",
              "am.yml:5:63: time_intervals[0].time_intervals[0].times[0].end_time: couldn't parse timestamp 24:01, invalid format"},
        BadAm{ROOT RECV "time_intervals:\n  - name: t\n    time_intervals: [{times: [{start_time: '17:00', end_time: '09:00'}]}]\n",
              "am.yml:5:31: time_intervals[0].time_intervals[0].times[0]: start time cannot be equal or greater than end time"},
        BadAm{ROOT RECV "time_intervals:\n  - name: t\n    time_intervals: [{times: [{start_time: '09:00'}]}]\n",
              "am.yml:5:31: time_intervals[0].time_intervals[0].times[0]: both start and end times must be provided"},
        BadAm{ROOT RECV "time_intervals:\n  - name: t\n    time_intervals: [{location: Europe/Parise}]\n",
              "am.yml:5:33: time_intervals[0].time_intervals[0].location: unknown time zone Europe/Parise"},
        BadAm{ROOT RECV "time_intervals:\n  - name: t\n    time_intervals: [{time_zone: UTC}]\n",
              "am.yml:5:23: time_intervals[0].time_intervals[0].time_zone: unknown key"},
        // hastewatch's extensions
        BadAm{ROOT RECV "flap_detection: {window: 0s}\n",
              "am.yml:3:26: flap_detection.window: must be greater than 0"},
        BadAm{ROOT RECV "flap_detection: {max_changes: -1}\n",
              "am.yml:3:31: flap_detection.max_changes: -1 is out of range [0, 1000000]"},
        BadAm{"route: {receiver: R}\nreceivers: [{name: R}]\nroute: [\n",
              "am.yml:4:1: invalid YAML: end of sequence flow not found"}));

#undef ROOT
#undef RECV

TEST(NotificationsTest, HastewatchYmlErrorsCarryTheNotificationsPrefix) {
  Result<Config> c = LoadConfigString("notifications: {}\n", "bad.yml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "bad.yml:1:16: notifications: no route provided in config");
  c = LoadConfigString("notifications:\n  route: {receiver: a}\n  receivers: [{name: a}]\n  tempates: []\n",
                       "bad.yml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "bad.yml:4:3: notifications.tempates: unknown key");
  c = LoadConfigString("notifications: [a]\n", "bad.yml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "bad.yml:1:16: notifications: expected a map, got a list");
}

}  // namespace
}  // namespace hw::config
