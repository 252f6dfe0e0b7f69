// Lint hints for valid-but-wrong queries (the monitoring guide's mistakes).
#include "promql/parse_hints.h"

#include <gtest/gtest.h>

#include "promql/parser.h"

namespace hw::promql {
namespace {

std::vector<std::string> HintsFor(std::string_view q) {
  Result<ExprPtr> e = ParseExpr(q);
  EXPECT_TRUE(e.ok()) << q << ": " << e.status().message();
  return e.ok() ? LintHints(**e) : std::vector<std::string>{};
}

TEST(ParseHintsTest, HistogramQuantileOverNonBucketSeries) {
  EXPECT_EQ(HintsFor("histogram_quantile(0.95, http_request_duration_seconds)"),
            std::vector<std::string>{
                "histogram_quantile over http_request_duration_seconds, which is not a _bucket "
                "series: did you mean histogram_quantile(0.95, sum by (le) "
                "(rate(http_request_duration_seconds_bucket[5m])))?"});
  auto hints = HintsFor("histogram_quantile(0.9, x_bucket{job=\"api\"})");
  ASSERT_EQ(hints.size(), 1u);
  EXPECT_EQ(hints[0],
            "histogram_quantile over the raw counters of x_bucket gives the distribution since "
            "the series started: did you mean histogram_quantile(0.9, sum by (le) "
            "(rate(x_bucket{job=\"api\"}[5m])))?");
}

TEST(ParseHintsTest, HistogramQuantileOverAggregationWithoutLe) {
  EXPECT_EQ(HintsFor("histogram_quantile(0.9, sum by (job) (rate(x_bucket[5m])))"),
            std::vector<std::string>{
                "histogram_quantile needs the le label, but sum by (job) "
                "(rate(x_bucket[5m])) drops it: did you mean histogram_quantile(0.9, sum by "
                "(job, le) (rate(x_bucket[5m])))?"});
  EXPECT_TRUE(HintsFor("histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))").empty());
  EXPECT_TRUE(HintsFor("histogram_quantile(0.9, rate(x_bucket[5m]))").empty());
}

TEST(ParseHintsTest, RatioOfDifferentlyLabelledMetrics) {
  EXPECT_EQ(
      HintsFor("rate(http_errors_total[5m]) / rate(http_requests_total[5m])"),
      std::vector<std::string>{
          "rate(http_errors_total[5m]) / rate(http_requests_total[5m]): a one-to-one division "
          "between different metrics (http_errors_total and http_requests_total) without "
          "aggregation or on()/ignoring() matches only series with identical label sets; did "
          "you mean sum(rate(http_errors_total[5m])) / sum(rate(http_requests_total[5m])), or "
          "sum by (...) with the same labels on both sides?"});
  EXPECT_TRUE(
      HintsFor("sum(rate(http_errors_total[5m])) / sum(rate(http_requests_total[5m]))").empty());
  EXPECT_TRUE(HintsFor("rate(a_total[5m]) / ignoring(code) rate(b_total[5m])").empty());
  EXPECT_TRUE(HintsFor("rate(x_total{code=\"500\"}[5m]) / rate(x_total[5m])").empty());
  EXPECT_TRUE(HintsFor("up / 2").empty());
}

TEST(ParseHintsTest, MisplacedGroupingSuggestion) {
  Result<ExprPtr> e = ParseExpr("rate(x[5m])");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(MisplacedGroupingHint(**e, false, {"job"}),
            "by (job) can only follow an aggregation; did you mean sum by (job) "
            "(rate(x[5m]))?");
}

}  // namespace
}  // namespace hw::promql
