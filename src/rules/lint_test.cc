#include "rules/lint.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

namespace hw::rules {
namespace {

// Series and metadata held in memory; counts calls so caching can be checked.
class FakeLive : public LiveSource {
 public:
  void AddSeries(std::initializer_list<std::pair<std::string_view, std::string_view>> l) {
    series_.push_back(model::Labels::FromPairs(l));
  }
  std::map<std::string, std::string> types;
  Status fail;  // returned by every call when not OK
  mutable int series_calls = 0;

  Result<SeriesSet> Series(const std::vector<model::Matcher>& matchers,
                           std::size_t limit) const override {
    ++series_calls;
    if (!fail.ok()) return fail;
    SeriesSet out;
    for (const model::Labels& l : series_) {
      bool all = true;
      for (const model::Matcher& m : matchers) all = all && m.Matches(l.Get(m.name()));
      if (!all) continue;
      if (out.series.size() == limit) {
        out.truncated = true;
        break;
      }
      out.series.push_back(l);
    }
    return out;
  }
  Result<std::string> MetricType(const std::string& metric) const override {
    if (!fail.ok()) return fail;
    auto it = types.find(metric);
    return it == types.end() ? std::string() : it->second;
  }

 private:
  std::vector<model::Labels> series_;
};

class LintTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const std::string& p : paths_) std::filesystem::remove(p);
  }

  // Writes `content` to a file, loads it and lints it.
  std::vector<Finding> Lint(std::string_view content, const LiveSource* live = nullptr,
                            LintOptions options = {}) {
    std::string path = ::testing::TempDir() + "/hw-lint-" + std::to_string(getpid()) + "-" +
                       std::to_string(paths_.size()) + ".yml";
    std::ofstream(path) << content;
    paths_.push_back(path);
    path_ = path;
    Result<RuleFile> f = LoadRuleFile(path);
    EXPECT_TRUE(f.ok()) << f.status().message();
    if (!f.ok()) return {};
    return LintRuleFiles({*f}, live, options);
  }

  std::string Lines(const std::vector<Finding>& fs) {
    std::string out;
    for (const Finding& f : fs) out += f.ToString() + "\n";
    return out;
  }

  std::string path_;  // the last file written

 private:
  std::vector<std::string> paths_;
};

// A paging alert done right: `for`, runbook, counters aggregated alike on both sides.
TEST_F(LintTest, CleanRulesHaveNoFindings) {
  auto fs = Lint(R"(alerts:
  - name: HighErrorRate
    expr: |
      sum by (service) (rate(http_errors_total[5m]))
        / sum by (service) (rate(http_requests_total[5m])) > 0.05
    for: 5m
    severity: critical
    action: page
    runbook: /runbooks/high-error-rate.md
  - name: QueueBacklog
    expr: queue_depth > 1000
    severity: warning
    action: notify
)");
  EXPECT_EQ(Lines(fs), "");
}

TEST_F(LintTest, GuideLooseExpressionsGetTheCorrectedExpression) {
  auto fs = Lint(R"(alerts:
  - name: P95LatencyHigh
    expr: |
      histogram_quantile(0.95, http_request_duration_seconds) > 0.5
    for: 5m
    severity: warning
  - name: HighErrorRate
    expr: rate(http_errors_total[5m]) / rate(http_requests_total[5m]) > 0.05
    for: 5m
    severity: warning
)");
  ASSERT_EQ(fs.size(), 2u) << Lines(fs);
  EXPECT_EQ(fs[0].rule, "P95LatencyHigh");
  EXPECT_EQ(fs[0].line, 4);  // the first line of the block scalar
  EXPECT_EQ(fs[0].column, 7);
  EXPECT_EQ(fs[0].severity, Severity::kWarning);
  EXPECT_EQ(
      fs[0].suggestion,
      "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))");
  EXPECT_NE(fs[0].message.find("not a _bucket series"), std::string::npos) << fs[0].message;
  EXPECT_EQ(fs[1].rule, "HighErrorRate");
  EXPECT_EQ(fs[1].line, 8);
  EXPECT_EQ(fs[1].column, 11);
  EXPECT_NE(fs[1].suggestion.find("sum(rate(http_errors_total[5m])) / sum("), std::string::npos)
      << fs[1].suggestion;
}

TEST_F(LintTest, PagingAlertWithoutForOrRunbook) {
  auto fs = Lint(R"(groups:
  - name: g
    labels: {severity: critical}
    rules:
      - alert: NoFor
        expr: up == 0
        annotations: {runbook_url: /runbooks/x.md}
      - alert: ZeroForNoRunbook
        expr: up == 0
        for: 0s
        labels: {action: page}
      - record: job:up:sum
        expr: sum by (job) (up)
)");
  ASSERT_EQ(fs.size(), 3u) << Lines(fs);
  EXPECT_EQ(fs[0].ToString(),
            path_ +
                ":5:9: warning: rule \"NoFor\": paging alert without \"for\" (or with for: "
                "0s) pages on a single evaluation (suggestion: for: 5m)");
  EXPECT_EQ(fs[1].rule, "ZeroForNoRunbook");
  EXPECT_EQ(fs[1].line, 8);
  EXPECT_EQ(fs[1].suggestion, "for: 5m");
  EXPECT_EQ(fs[2].rule, "ZeroForNoRunbook");
  EXPECT_EQ(fs[2].message, "paging alert has no runbook_url annotation");
}

TEST_F(LintTest, RateOverSomethingThatIsNotACounter) {
  constexpr std::string_view kRules = R"y(groups:
  - name: g
    rules:
      - record: a
        expr: "rate(queue_depth[5m])"
      - record: b
        expr: sum(increase(http_requests_total[5m])) + sum(rate(job:http_requests_total:sum[1m]))
      - record: c
        expr: rate(worker_jobs[5m])
)y";
  auto fs = Lint(kRules);
  ASSERT_EQ(fs.size(), 2u) << Lines(fs);
  EXPECT_EQ(fs[0].ToString(),
            path_ +
                ":5:16: warning: rule \"a\": rate over queue_depth, whose name does not look "
                "like a counter (_total, _count, _sum, _bucket) (suggestion: "
                "deriv(queue_depth[5m]) if queue_depth is a gauge; if it is a counter, name "
                "it queue_depth_total)");
  EXPECT_EQ(fs[1].rule, "c");

  // Live metadata settles it: a gauge is an error, a counter is fine.
  FakeLive live;
  live.AddSeries({{"__name__", "queue_depth"}});
  live.AddSeries({{"__name__", "worker_jobs"}});
  live.AddSeries({{"__name__", "http_requests_total"}});
  live.AddSeries({{"__name__", "job:http_requests_total:sum"}});
  live.types = {{"queue_depth", "gauge"}, {"worker_jobs", "counter"}};
  fs = Lint(kRules, &live);
  ASSERT_EQ(fs.size(), 1u) << Lines(fs);
  EXPECT_EQ(fs[0].severity, Severity::kError);
  EXPECT_EQ(fs[0].rule, "a");
  EXPECT_EQ(fs[0].suggestion, "deriv(queue_depth[5m])");
  EXPECT_NE(fs[0].message.find("gauge"), std::string::npos);
}

TEST_F(LintTest, LooksLikeCounter) {
  for (const char* yes : {"http_requests_total", "node_cpu_seconds_total", "x_count", "x_sum",
                          "x_bucket", "job:http_requests_total:sum"}) {
    EXPECT_TRUE(LooksLikeCounter(yes)) << yes;
  }
  for (const char* no : {"queue_depth", "up", "total", "job:queue_depth:max", "x_total:y"}) {
    EXPECT_FALSE(LooksLikeCounter(no)) << no;
  }
}

TEST_F(LintTest, SelectorsThatMatchNothing) {
  FakeLive live;
  live.AddSeries({{"__name__", "up"}, {"service", "web"}, {"instance", "a:1"}});
  live.AddSeries({{"__name__", "up"}, {"service", "db"}, {"instance", "b:1"}});
  auto fs = Lint(R"(alerts:
  - name: APIDown
    expr: up{service="api"} == 0 or absent(up{service="api"}) or absent(nothing_here)
    for: 1m
  - name: Ghost
    expr: ghost_metric > 1
    for: 1m
)",
                 &live);
  ASSERT_EQ(fs.size(), 2u) << Lines(fs);
  EXPECT_EQ(fs[0].ToString(),
            path_ +
                ":3:11: warning: rule \"APIDown\": no series match up{service=\"api\"} (up has "
                "series, but none where service=\"api\" (service values seen: \"db\", "
                "\"web\"))");
  EXPECT_EQ(fs[1].ToString(), path_ +
                                  ":6:11: warning: rule \"Ghost\": no series match "
                                  "ghost_metric (no series named ghost_metric at all)");
}

TEST_F(LintTest, VectorMatchesThatNeverMatch) {
  FakeLive live;
  for (const char* s : {"api", "web"}) {
    live.AddSeries({{"__name__", "http_errors_total"}, {"service", s}, {"instance", "i1"}});
    live.AddSeries({{"__name__", "http_requests_total"}, {"service", s}, {"instance", "i1"}});
    live.AddSeries({{"__name__", "http_requests_total"}, {"service", s}, {"instance", "i2"}});
    live.AddSeries({{"__name__", "slo_target"}, {"service", s}});
    live.AddSeries({{"__name__", "service_info"}, {"service", s}, {"team", "t-" + std::string(s)}});
  }
  auto fs = Lint(R"(groups:
  - name: g
    rules:
      - record: never
        expr: rate(http_errors_total[5m]) > slo_target
      - record: fixed
        expr: sum by (service) (rate(http_errors_total[5m])) > on (service) slo_target
      - record: ratio
        expr: sum by (service) (rate(http_errors_total[5m])) / sum by (service) (rate(http_requests_total[5m]))
      - record: joined
        expr: rate(http_requests_total[5m]) * on (service) group_left (team) service_info
      - record: nested
        expr: (rate(http_requests_total[5m]) * on (service) group_left (team) service_info) > on (team) slo_target
      - record: wrong_on
        expr: sum by (service) (rate(http_errors_total[5m])) / ignoring (service) sum by (service, instance) (rate(http_requests_total[5m]))
)",
                 &live);
  ASSERT_EQ(fs.size(), 3u) << Lines(fs);
  EXPECT_EQ(fs[0].rule, "never");
  EXPECT_EQ(fs[0].line, 5);
  EXPECT_EQ(fs[0].column, 15);
  EXPECT_EQ(fs[0].message,
            "rate(http_errors_total[5m]) > slo_target: the two sides never match on (instance, "
            "service): left has {instance=\"i1\", service=\"api\"}, right has {service=\"api\"}");
  EXPECT_EQ(fs[0].suggestion, "rate(http_errors_total[5m]) > on (service) slo_target");
  EXPECT_EQ(fs[1].rule, "nested");
  EXPECT_NE(fs[1].message.find("never match on (team)"), std::string::npos) << fs[1].message;
  EXPECT_EQ(fs[2].rule, "wrong_on");
  EXPECT_NE(fs[2].message.find("never match on (instance): left has {}, right has "
                               "{instance=\"i1\"}"),
            std::string::npos)
      << fs[2].message;
  EXPECT_EQ(fs[2].suggestion,
            "sum by (service) (sum by (service) (rate(http_errors_total[5m]))) / sum by (service) "
            "(sum by (service, instance) (rate(http_requests_total[5m])))");
}

TEST_F(LintTest, TruncatedSidesAreNotJudged) {
  FakeLive live;
  live.AddSeries({{"__name__", "a_total"}, {"x", "1"}});
  live.AddSeries({{"__name__", "a_total"}, {"x", "2"}});
  live.AddSeries({{"__name__", "b_total"}, {"y", "1"}});
  LintOptions small;
  small.series_limit = 1;
  auto fs = Lint(
      "groups:\n  - name: g\n    rules:\n      - record: r\n"
      "        expr: a_total + b_total\n",
      &live, small);
  EXPECT_EQ(Lines(fs), "");
}

TEST_F(LintTest, LiveFailureIsOneError) {
  FakeLive live;
  live.fail = Status::Unavailable("cannot GET http://x/api/v1/series: connect: refused");
  auto fs = Lint(
      "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: a + b\n"
      "      - record: s\n        expr: c\n",
      &live);
  ASSERT_EQ(fs.size(), 1u) << Lines(fs);
  EXPECT_EQ(fs[0].severity, Severity::kError);
  EXPECT_EQ(fs[0].rule, "r");
  EXPECT_NE(fs[0].message.find("connect: refused"), std::string::npos);
  EXPECT_EQ(live.series_calls, 1);
}

TEST_F(LintTest, SelectorsAreFetchedOncePerRun) {
  FakeLive live;
  live.AddSeries({{"__name__", "up"}, {"job", "a"}});
  auto fs = Lint(
      "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up + up\n"
      "      - record: s\n        expr: up offset 5m * 2\n",
      &live);
  EXPECT_EQ(Lines(fs), "");
  EXPECT_EQ(live.series_calls, 1);
}

// Escapes and folding keep the expression's text from being found: the finding points
// at the rule instead.
TEST_F(LintTest, PositionFallsBackToTheRule) {
  auto fs = Lint(R"(groups:
  - name: g
    rules:
      - record: r
        expr: >
          rate(queue_depth[5m])
          * 2
)");
  ASSERT_EQ(fs.size(), 1u) << Lines(fs);
  EXPECT_EQ(fs[0].line, 4);
  EXPECT_EQ(fs[0].column, 9);
}

// A name that contains the expression's text is not taken for it.
TEST_F(LintTest, PositionSkipsPartialWords) {
  FakeLive live;
  auto fs = Lint(R"(groups:
  - name: g
    rules:
      - alert: up_down
        expr: up
)",
                 &live);
  ASSERT_EQ(fs.size(), 1u) << Lines(fs);
  EXPECT_EQ(fs[0].line, 5);
  EXPECT_EQ(fs[0].column, 15);
}

}  // namespace
}  // namespace hw::rules
