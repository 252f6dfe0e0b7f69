#include "rules/rule_file.h"

#include <gtest/gtest.h>

namespace hw::rules {
namespace {

// The guide's eight alerts ("Alert Configuration"), in its own form, with the PromQL
// its authors meant: error ratio per service from rates summed by service, and the
// p95 from the histogram's bucket rates (histogram_quantile needs `le` buckets).
constexpr const char* kGuideAlerts = R"(alerts:
  - name: APIDown
    expr: up{service="api"} == 0
    for: 1m
    severity: critical
    action: page
    runbook: /runbooks/api-down.md

  - name: DatabaseDown
    expr: postgres_up == 0
    for: 30s
    severity: critical
    action: page
    runbook: /runbooks/database-down.md

  - name: HighErrorRate
    expr: |
      sum by (service) (rate(http_errors_total[5m]))
        / sum by (service) (rate(http_requests_total[5m])) > 0.05
    for: 5m
    severity: critical
    action: page
    runbook: /runbooks/high-error-rate.md

  - name: P95LatencyHigh
    expr: |
      histogram_quantile(0.95,
        sum by (service, le) (rate(http_request_duration_seconds_bucket[5m]))) > 0.5
    for: 5m
    severity: critical
    action: page
    runbook: /runbooks/high-latency.md

  - name: DiskSpaceLow
    expr: disk_free_percent < 20
    for: 10m
    severity: warning
    action: notify

  - name: CPUHighUsage
    expr: cpu_usage_percent > 80
    for: 15m
    severity: warning
    action: notify

  - name: QueueBacklog
    expr: queue_depth > 1000
    for: 10m
    severity: warning
    action: notify

  - name: CacheHitRateLow
    expr: redis_hit_rate < 0.8
    for: 30m
    severity: warning
    action: notify
)";

TEST(RuleFile, GuideAlertsLoad) {
  auto f = ParseRuleFile("guide.yml", kGuideAlerts);
  ASSERT_TRUE(f.ok()) << f.status().message();
  ASSERT_EQ(f->groups.size(), 1u);
  const RuleGroup& g = f->groups[0];
  EXPECT_EQ(g.name, "alerts");
  ASSERT_EQ(g.rules.size(), 8u);
  const Rule& r = g.rules[0];
  EXPECT_EQ(r.name, "APIDown");
  EXPECT_EQ(r.kind, Rule::Kind::kAlerting);
  EXPECT_EQ(r.for_duration, Millis(60'000));
  EXPECT_EQ(r.labels.at("severity"), "critical");
  EXPECT_EQ(r.labels.at("action"), "page");
  EXPECT_EQ(r.annotations.at("runbook_url"), "/runbooks/api-down.md");
  EXPECT_EQ(g.rules[1].for_duration, Millis(30'000));
  EXPECT_EQ(g.rules[7].name, "CacheHitRateLow");
  EXPECT_EQ(g.rules[7].labels.at("action"), "notify");
  EXPECT_EQ(g.rules[7].annotations.count("runbook_url"), 0u);
  EXPECT_EQ(r.line, 2);
  EXPECT_EQ(r.column, 5);
}

TEST(RuleFile, PrometheusForm) {
  auto f = ParseRuleFile("p.yml", R"(groups:
  - name: api
    interval: 30s
    limit: 10
    query_offset: 1m
    labels: {team: core}
    rules:
      - record: job:http_requests:rate5m
        expr: sum by (job) (rate(http_requests_total[5m]))
        labels: {source: rec}
      - alert: HighRate
        expr: job:http_requests:rate5m > 10
        for: 5m
        keep_firing_for: 2m
        labels:
          severity: warning
        annotations:
          summary: "{{ $labels.job }} at {{ $value | humanize }}"
)");
  ASSERT_TRUE(f.ok()) << f.status().message();
  ASSERT_EQ(f->groups.size(), 1u);
  const RuleGroup& g = f->groups[0];
  EXPECT_EQ(g.interval, Millis(30'000));
  EXPECT_EQ(g.limit, 10);
  EXPECT_EQ(g.query_offset, Millis(60'000));
  EXPECT_EQ(g.labels.at("team"), "core");
  ASSERT_EQ(g.rules.size(), 2u);
  EXPECT_EQ(g.rules[0].kind, Rule::Kind::kRecording);
  EXPECT_EQ(g.rules[1].keep_firing_for, Millis(120'000));
}

TEST(RuleFile, GuideGroupsAndDuplicates) {
  auto f = ParseRuleFile("g.yml", R"(alerts:
  - {name: A, expr: x > 1, severity: warning, group: g1, interval: 15s}
  - {name: A, expr: x > 5, severity: critical, group: g1}
  - {name: B, expr: y > 1}
)");
  ASSERT_TRUE(f.ok()) << f.status().message();
  ASSERT_EQ(f->groups.size(), 2u);
  EXPECT_EQ(f->groups[0].name, "g1");
  EXPECT_EQ(f->groups[0].interval, Millis(15'000));
  EXPECT_EQ(f->groups[0].rules.size(), 2u);
  EXPECT_EQ(f->groups[1].name, "alerts");
}

struct BadCase {
  const char* name;
  const char* yaml;
  const char* want;  // substring of the error message
};

class BadRuleFile : public testing::TestWithParam<BadCase> {};

TEST_P(BadRuleFile, Reports) {
  auto f = ParseRuleFile("r.yml", GetParam().yaml);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find(GetParam().want), std::string::npos)
      << f.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadRuleFile,
    testing::Values(
        BadCase{"unknown_top", "alertz: []\n", "r.yml:1:1: alertz: unknown key"},
        BadCase{"unknown_guide_key",
                "alerts:\n  - name: A\n    expr: up == 0\n    sevrity: page\n",
                "r.yml:4:5: alerts[0].sevrity: unknown key"},
        BadCase{"guide_missing_expr", "alerts:\n  - name: A\n", "r.yml:2:5: alerts[0].expr: missing"},
        BadCase{"guide_bad_for", "alerts:\n  - name: A\n    expr: up\n    for: 5x\n",
                "r.yml:4:10: alerts[0].for:"},
        BadCase{"plain_expr_pos", "alerts:\n  - name: A\n    expr: up == == 0\n",
                "r.yml:3:17: alerts[0].expr: cannot parse expression of rule \"A\""},
        BadCase{"block_expr_pos",
                "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: |\n"
                "          sum(rate(x[5m]))\n            by (job) >\n",
                "r.yml:8:11: groups[0].rules[0].expr: cannot parse expression of rule \"A\": unexpected end of input"},
        BadCase{"block_expr_mid",
                "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: |\n"
                "          sum(rate(x[5m]))\n            by (job) > > 1\n",
                "r.yml:7:24: groups[0].rules[0].expr"},
        BadCase{"quoted_expr_pos", "alerts:\n  - name: A\n    expr: \"rate(x)\"\n",
                "r.yml:3:"},
        BadCase{"both_kinds",
                "groups:\n  - name: g\n    rules:\n      - alert: A\n        record: b\n        expr: x\n",
                "r.yml:4:9: groups[0].rules[0]: a rule has either alert or record, not both"},
        BadCase{"neither_kind", "groups:\n  - name: g\n    rules:\n      - expr: x\n",
                "a rule needs alert or record"},
        BadCase{"record_with_for",
                "groups:\n  - name: g\n    rules:\n      - record: b\n        expr: x\n        for: 1m\n",
                "r.yml:6:14: groups[0].rules[0].for: not allowed in recording rule \"b\""},
        BadCase{"bad_record_name",
                "groups:\n  - name: g\n    rules:\n      - record: 'a-b'\n        expr: x\n",
                "invalid recording rule name"},
        BadCase{"dup_group",
                "groups:\n  - name: g\n    rules: []\n  - name: g\n    rules: []\n",
                "r.yml:4:5: groups[1].name: duplicate group name \"g\""},
        BadCase{"missing_group_name", "groups:\n  - rules: []\n", "groups[0].name: missing"},
        BadCase{"bad_label_name",
                "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: x\n        labels: {'a-b': c}\n",
                "invalid label name"},
        BadCase{"bad_template",
                "alerts:\n  - name: Hot\n    expr: x\n    annotations:\n      summary: '{{ $labels.x | nosuch }}'\n",
                "r.yml:5:16: alerts[0].annotations.summary: cannot parse template of rule \"Hot\""},
        BadCase{"unclosed_template",
                "alerts:\n  - name: Hot\n    expr: x\n    labels:\n      s: '{{ if $value }}x'\n",
                "without {{end}}"},
        BadCase{"same_alert_same_labels",
                "alerts:\n  - {name: A, expr: x > 1, severity: page}\n  - {name: A, expr: x > 2, severity: page}\n",
                "r.yml:3:5: alerts: alert \"A\" is defined twice in group \"alerts\" with the same labels"},
        BadCase{"interval_conflict",
                "alerts:\n  - {name: A, expr: x, interval: 1m}\n  - {name: B, expr: x, interval: 2m}\n",
                "group \"alerts\" already has interval 1m"},
        BadCase{"zero_interval", "groups:\n  - name: g\n    interval: 0s\n    rules: []\n",
                "must be greater than 0"},
        BadCase{"severity_conflict",
                "alerts:\n  - name: A\n    expr: x\n    severity: page\n    labels: {severity: info}\n",
                "alerts[0].severity: conflicts with severity"},
        BadCase{"yaml_syntax", "alerts: [\n", "r.yml:"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(RuleFile, AllErrorsReportedAtOnce) {
  auto f = ParseRuleFile("r.yml", "alerts:\n  - {name: A}\n  - {name: B, expr: 'x +'}\nfoo: 1\n");
  ASSERT_FALSE(f.ok());
  const std::string& m = f.status().message();
  EXPECT_NE(m.find("alerts[0].expr: missing"), std::string::npos) << m;
  EXPECT_NE(m.find("alerts[1].expr"), std::string::npos) << m;
  EXPECT_NE(m.find("foo: unknown key"), std::string::npos) << m;
}

}  // namespace
}  // namespace hw::rules
