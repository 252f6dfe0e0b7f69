#include "slo/rules.h"

#include <gtest/gtest.h>

#include "rules/lint.h"

namespace hw::slo {
namespace {

constexpr char kSpecs[] = R"(slos:
  - service: api
    name: api-availability
    sli:
      events:
        bad: http_errors_total{service="api"}
        total: http_requests_total{service="api"}
    objective: 99.9%
    critical_objective: 99.5%
    runbook: high-error-rate.md
  - service: api
    name: api-latency
    sli:
      latency:
        histogram: http_request_duration_seconds{service="api"}
        threshold: 200ms
        critical_threshold: 500ms
    objective: 95%
    min_events: 0
    runbook: https://runbooks.example/latency
  - service: email
    name: email-delivery
    sli:
      events:
        good: email_deliveries_total{result="delivered"}
        total: email_deliveries_total
    objective: 98%
    runbook: /runbooks/email.md
)";

std::vector<Spec> Specs() {
  Result<std::vector<Spec>> specs = ParseSpecFile("slos.yml", kSpecs);
  EXPECT_TRUE(specs.ok()) << specs.status().message();
  return specs.ok() ? *specs : std::vector<Spec>{};
}

const rules::Rule* Find(const rules::RuleGroup& g, const std::string& name) {
  for (const rules::Rule& r : g.rules) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

TEST(SloRulesTest, RecordsErrorRatiosAndEventCounts) {
  std::vector<Spec> specs = Specs();
  rules::RuleGroup g = GenerateGroup(specs[0]);
  EXPECT_EQ(g.name, "slo:api:api-availability");
  EXPECT_EQ(g.file, "slos.yml");
  for (const char* w : {"5m", "30m", "1h", "2h", "6h", "1d", "3d"}) {
    const rules::Rule* r = Find(g, std::string("slo:sli_error:ratio_rate") + w);
    ASSERT_NE(r, nullptr) << w;
    EXPECT_EQ(r->kind, rules::Rule::Kind::kRecording);
    EXPECT_EQ(r->labels, (rules::LabelMap{{"slo", "api-availability"}, {"service", "api"}}));
  }
  EXPECT_EQ(Find(g, "slo:sli_error:ratio_rate5m")->expr,
            "(sum(rate(http_errors_total{service=\"api\"}[5m])) or vector(0)) / "
            "sum(rate(http_requests_total{service=\"api\"}[5m]))");
  EXPECT_EQ(Find(g, "slo:sli_events:increase6h")->expr,
            "sum(increase(http_requests_total{service=\"api\"}[6h]))");
  EXPECT_EQ(Find(g, "slo:sli_error_critical:ratio_rate5m"), nullptr);

  rules::RuleGroup email = GenerateGroup(specs[2]);
  EXPECT_EQ(Find(email, "slo:sli_error:ratio_rate1h")->expr,
            "1 - (sum(rate(email_deliveries_total{result=\"delivered\"}[1h])) or vector(0)) / "
            "sum(rate(email_deliveries_total[1h]))");
}

TEST(SloRulesTest, BurnRateAlertsTable) {
  std::vector<Spec> specs = Specs();
  rules::RuleGroup g = GenerateGroup(specs[0]);
  struct Want {
    const char* alert;
    const char* expr;
    const char* severity;
    const char* action;
    std::int64_t for_ms;
  };
  const Want wants[] = {
      {"SLOBurnRate1h",
       "slo:sli_error:ratio_rate1h{slo=\"api-availability\", service=\"api\"} > 0.0144\nand\n"
       "slo:sli_error:ratio_rate5m{slo=\"api-availability\", service=\"api\"} > 0.0144\nand\n"
       "slo:sli_events:increase1h{slo=\"api-availability\", service=\"api\"} >= 100",
       "critical", "page", 120'000},
      {"SLOBurnRate6h",
       "slo:sli_error:ratio_rate6h{slo=\"api-availability\", service=\"api\"} > 0.006\nand\n"
       "slo:sli_error:ratio_rate30m{slo=\"api-availability\", service=\"api\"} > 0.006\nand\n"
       "slo:sli_events:increase6h{slo=\"api-availability\", service=\"api\"} >= 100",
       "critical", "page", 120'000},
      {"SLOBurnRate1d",
       "slo:sli_error:ratio_rate1d{slo=\"api-availability\", service=\"api\"} > 0.003\nand\n"
       "slo:sli_error:ratio_rate2h{slo=\"api-availability\", service=\"api\"} > 0.003\nand\n"
       "slo:sli_events:increase1d{slo=\"api-availability\", service=\"api\"} >= 100",
       "warning", "notify", 900'000},
      {"SLOBurnRate3d",
       "slo:sli_error:ratio_rate3d{slo=\"api-availability\", service=\"api\"} > 0.001\nand\n"
       "slo:sli_error:ratio_rate6h{slo=\"api-availability\", service=\"api\"} > 0.001\nand\n"
       "slo:sli_events:increase3d{slo=\"api-availability\", service=\"api\"} >= 100",
       "warning", "notify", 900'000},
      {"SLOCriticalObjectiveBreached",
       "slo:sli_error:ratio_rate1h{slo=\"api-availability\", service=\"api\"} > 0.005\nand\n"
       "slo:sli_error:ratio_rate5m{slo=\"api-availability\", service=\"api\"} > 0.005\nand\n"
       "slo:sli_events:increase1h{slo=\"api-availability\", service=\"api\"} >= 100",
       "critical", "page", 300'000},
  };
  for (const Want& w : wants) {
    SCOPED_TRACE(w.alert);
    const rules::Rule* r = Find(g, w.alert);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->kind, rules::Rule::Kind::kAlerting);
    EXPECT_EQ(r->expr, std::string(w.expr) + "\n");
    EXPECT_EQ(r->for_duration.count(), w.for_ms);
    EXPECT_EQ(r->labels.at("severity"), w.severity);
    EXPECT_EQ(r->labels.at("action"), w.action);
    EXPECT_EQ(r->labels.at("slo"), "api-availability");
    EXPECT_EQ(r->labels.at("service"), "api");
    EXPECT_EQ(r->annotations.at("runbook_url"), "{{ $externalURL }}/runbooks/high-error-rate.md");
  }
  EXPECT_EQ(Find(g, "SLOBurnRate1h")->annotations.at("description"),
            "{{ $value | humanizePercentage }} of events were bad over the last 1h (and more "
            "than 1.44% over the last 5m), against an error budget of 0.1% (objective 99.9%). "
            "At this rate 2% of the 30-day budget goes every 1h and all of it in 2d 2h.");
  EXPECT_EQ(Find(g, "SLOBurnRate3d")->annotations.at("summary"),
            "api SLO api-availability: error budget burning 1× faster than sustainable");
}

TEST(SloRulesTest, LatencyCriticalUsesTheCriticalBucket) {
  std::vector<Spec> specs = Specs();
  rules::RuleGroup g = GenerateGroup(specs[1]);
  EXPECT_EQ(Find(g, "slo:sli_error_critical:ratio_rate1h")->expr,
            "1 - (sum(rate(http_request_duration_seconds_bucket{service=\"api\", le=\"0.5\"}[1h])) "
            "or vector(0)) / sum(rate(http_request_duration_seconds_count{service=\"api\"}[1h]))");
  const rules::Rule* crit = Find(g, "SLOCriticalObjectiveBreached");
  ASSERT_NE(crit, nullptr);
  // min_events: 0 drops the traffic clause.
  EXPECT_EQ(crit->expr,
            "slo:sli_error_critical:ratio_rate1h{slo=\"api-latency\", service=\"api\"} > 0.05\nand\n"
            "slo:sli_error_critical:ratio_rate5m{slo=\"api-latency\", service=\"api\"} > 0.05\n");
  EXPECT_EQ(crit->annotations.at("runbook_url"), "https://runbooks.example/latency");
  EXPECT_EQ(crit->annotations.at("summary"),
            "api SLO api-latency: below its critical objective (95% of events within 500ms)");
  // No critical objective: no critical alert.
  EXPECT_EQ(Find(GenerateGroup(specs[2]), "SLOCriticalObjectiveBreached"), nullptr);
  EXPECT_EQ(Find(GenerateGroup(specs[2]), "SLOBurnRate1h")->annotations.at("runbook_url"),
            "{{ $externalURL }}/runbooks/email.md");
}

TEST(SloRulesTest, RuleFileRoundTripsAndLintsClean) {
  std::vector<rules::RuleGroup> groups = GenerateGroups(Specs());
  std::string yaml = RuleFileYaml(groups, "Generated by a test.\n\nDo not edit.");
  EXPECT_EQ(yaml.rfind("# Generated by a test.\n#\n# Do not edit.\ngroups:\n", 0), 0u) << yaml;
  Result<rules::RuleFile> file = rules::ParseRuleFile("generated.yml", yaml);
  ASSERT_TRUE(file.ok()) << file.status().message() << "\n" << yaml;
  ASSERT_EQ(file->groups.size(), groups.size());
  for (std::size_t i = 0; i < groups.size(); ++i) {
    EXPECT_EQ(file->groups[i].name, groups[i].name);
    ASSERT_EQ(file->groups[i].rules.size(), groups[i].rules.size());
    for (std::size_t j = 0; j < groups[i].rules.size(); ++j) {
      const rules::Rule& a = file->groups[i].rules[j];
      const rules::Rule& b = groups[i].rules[j];
      EXPECT_EQ(a.name, b.name);
      EXPECT_EQ(a.expr, b.expr);
      EXPECT_EQ(a.for_duration, b.for_duration);
      EXPECT_EQ(a.labels, b.labels);
      EXPECT_EQ(a.annotations, b.annotations);
    }
  }
  // The generated rules (as loaded groups and as the written file) raise no finding.
  for (const rules::Finding& f : rules::LintRuleFiles({*file}, nullptr)) {
    ADD_FAILURE() << f.ToString();
  }
  rules::RuleFile direct{"slos.yml", groups};
  EXPECT_TRUE(rules::LintRuleFiles({direct}, nullptr).empty());
}

}  // namespace
}  // namespace hw::slo
