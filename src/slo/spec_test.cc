#include "slo/spec.h"

#include <gtest/gtest.h>

#include "config/config.h"

namespace hw::slo {
namespace {

constexpr char kGood[] = R"(slos:
  - service: api
    name: api-availability
    sli:
      events:
        bad: http_errors_total{service="api"}
        total: http_requests_total{service="api"}
    objective: 99.9%
    critical_objective: 99.5%
  - service: api
    name: api-latency
    sli:
      latency:
        histogram: http_request_duration_seconds{service="api"}
        threshold: 200ms
        critical_threshold: 500ms
    objective: 0.95
    window: calendar_month
    min_events: 20
    runbook: high-latency.md
    labels: {team: backend}
)";

TEST(SpecTest, LoadsEventsAndLatencySlos) {
  Result<std::vector<Spec>> specs = ParseSpecFile("slos.yml", kGood);
  ASSERT_TRUE(specs.ok()) << specs.status().message();
  ASSERT_EQ(specs->size(), 2u);
  const Spec& a = (*specs)[0];
  EXPECT_EQ(a.Id(), "api/api-availability");
  EXPECT_EQ(a.kind, Spec::SliKind::kEvents);
  EXPECT_DOUBLE_EQ(a.objective, 0.999);
  EXPECT_DOUBLE_EQ(a.critical_objective, 0.995);
  EXPECT_EQ(a.window, Millis(30LL * 24 * 3600 * 1000));
  EXPECT_EQ(a.min_events, kDefaultMinEvents);
  EXPECT_EQ(a.WindowName(), "30d");
  EXPECT_EQ(a.line, 2);
  EXPECT_EQ(a.column, 5);
  const Spec& l = (*specs)[1];
  EXPECT_EQ(l.kind, Spec::SliKind::kLatency);
  EXPECT_DOUBLE_EQ(l.objective, 0.95);
  EXPECT_DOUBLE_EQ(l.threshold_seconds, 0.2);
  EXPECT_DOUBLE_EQ(l.critical_threshold_seconds, 0.5);
  EXPECT_EQ(l.window_kind, Spec::WindowKind::kCalendarMonth);
  EXPECT_EQ(l.min_events, 20);
  EXPECT_EQ(l.labels.at("team"), "backend");
  EXPECT_TRUE(l.HasCritical());
}

TEST(SpecTest, LatencySelectorsReadTheBuckets) {
  Result<std::vector<Spec>> specs = ParseSpecFile("slos.yml", kGood);
  ASSERT_TRUE(specs.ok());
  EventSelectors s = Selectors((*specs)[1]);
  EXPECT_EQ(s.good, "http_request_duration_seconds_bucket{service=\"api\", le=\"0.2\"}");
  EXPECT_EQ(s.total, "http_request_duration_seconds_count{service=\"api\"}");
  EXPECT_EQ(s.bad, "");
  EXPECT_EQ(Selectors((*specs)[1], true).good,
            "http_request_duration_seconds_bucket{service=\"api\", le=\"0.5\"}");
  // Whole seconds match both spellings clients use.
  EXPECT_EQ(LeMatcher(2), "le=~\"2|2\\\\.0\"");
  EXPECT_EQ(LeMatcher(0.05), "le=\"0.05\"");
  Spec bare = (*specs)[1];
  bare.histogram = "job_seconds";
  bare.threshold_seconds = 30;
  EXPECT_EQ(Selectors(bare).good, "job_seconds_bucket{le=~\"30|30\\\\.0\"}");
  EXPECT_EQ(Selectors(bare).total, "job_seconds_count");
}

struct BadCase {
  const char* yaml;
  const char* error;  // a substring of the message
};

class SpecErrorTest : public testing::TestWithParam<BadCase> {};

TEST_P(SpecErrorTest, ReportsPosition) {
  Result<std::vector<Spec>> specs = ParseSpecFile("bad.yml", GetParam().yaml);
  ASSERT_FALSE(specs.ok());
  EXPECT_NE(specs.status().message().find(GetParam().error), std::string::npos)
      << specs.status().message();
}

constexpr char kHead[] = "slos:\n  - service: api\n    name: x\n";

INSTANTIATE_TEST_SUITE_P(
    Cases, SpecErrorTest,
    testing::Values(
        BadCase{"slos: {}\n", "bad.yml:1:7: slos: expected a list"},
        BadCase{"slos:\n  - name: x\n    sli: {events: {good: a_total, total: b_total}}\n    objective: 99%\n",
                "bad.yml:2:5: slos[0].service: required"},
        BadCase{"slos:\n  - service: api\n    name: x\n    sli: {events: {good: 'a{', total: b_total}}\n    objective: 99%\n",
                "bad.yml:4:26: slos[0].sli.events.good: invalid series selector"},
        BadCase{"slos:\n  - service: api\n    name: x\n    sli: {events: {good: a, bad: b, total: c}}\n    objective: 99%\n",
                "slos[0].sli.events: exactly one of good or bad"},
        BadCase{"slos:\n  - service: api\n    name: x\n    sli: {events: {good: a}}\n    objective: 99%\n",
                "slos[0].sli.events.total: required"},
        BadCase{"slos:\n  - service: api\n    name: x\n    sli: {}\n    objective: 99%\n",
                "slos[0].sli: exactly one of events"},
        BadCase{"slos:\n  - service: api\n    name: x\n    sli: {events: {good: a, total: b}}\n    objective: 99.9\n",
                "bad.yml:5:16: slos[0].objective: \"99.9\" must lie strictly between 0% and 100% (write 99.9% or 0.999)"},
        BadCase{"slos:\n  - service: api\n    name: x\n    sli: {events: {good: a, total: b}}\n    objective: lots\n",
                "is not a percentage"},
        BadCase{"slos:\n  - service: api\n    name: x\n    sli: {events: {good: a, total: b}}\n    objective: 99%\n    critical_objective: 99.5%\n",
                "slos[0].critical_objective: must not be above objective"},
        BadCase{"slos:\n  - service: api\n    name: x\n    sli: {events: {good: a, total: b}}\n    objective: 99%\n    window: monthly\n",
                "slos[0].window: \"monthly\" is neither"},
        BadCase{"slos:\n  - service: api\n    name: x\n    sli: {latency: {histogram: h_bucket, threshold: 1s}}\n    objective: 99%\n",
                "name the histogram without its suffix: \"h\""},
        BadCase{"slos:\n  - service: api\n    name: x\n    sli: {latency: {histogram: h, threshold: 1s, critical_threshold: 500ms}}\n    objective: 99%\n",
                "critical_threshold: must not be below threshold"},
        BadCase{"slos:\n  - service: api\n    name: x\n    sli: {events: {good: a, total: b}}\n    objective: 99%\n    colour: red\n",
                "slos[0].colour: unknown key"},
        BadCase{"slos:\n  - service: api\n    name: x\n    sli: {events: {good: a, total: b}}\n    objective: 99%\n    labels: {severity: high}\n",
                "slos[0].labels.severity: is set by the generated rules"},
        BadCase{"slos:\n  - {service: api, name: x, sli: {events: {good: a, total: b}}, objective: 99%}\n"
                "  - {service: api, name: x, sli: {events: {good: a, total: b}}, objective: 99%}\n",
                "SLO \"x\" of service \"api\" is defined twice"}));

TEST(SpecTest, ReportsEveryErrorAtOnce) {
  Result<std::vector<Spec>> specs = ParseSpecFile(
      "bad.yml", std::string(kHead) + "    sli: {events: {good: a}}\n    objective: 2\n");
  ASSERT_FALSE(specs.ok());
  EXPECT_NE(specs.status().message().find("total: required"), std::string::npos);
  EXPECT_NE(specs.status().message().find("objective"), std::string::npos);
}

// hastewatch.yml's `slos` names the files like rule_files: relative to the config.
TEST(SpecTest, ConfigNamesSloFiles) {
  Result<config::Config> c =
      config::LoadConfigString("slos: [slos.yml, \"/abs/more/*.yml\"]\n", "/etc/hw/hastewatch.yml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->slos, (std::vector<std::string>{"/etc/hw/slos.yml", "/abs/more/*.yml"}));
  Result<config::Config> bad = config::LoadConfigString("slos: slos.yml\n", "bad.yml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("bad.yml:1:7: slos: expected a list"), std::string::npos)
      << bad.status().message();
}

}  // namespace
}  // namespace hw::slo
