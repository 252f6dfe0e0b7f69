#include "scrape/metadata.h"

#include <gtest/gtest.h>

namespace hw::scrape {
namespace {

TEST(MetadataTest, TypeNamesPerFormat) {
  EXPECT_EQ(ParseMetricType("untyped", Format::kPrometheusText), MetricType::kUnknown);
  EXPECT_EQ(ParseMetricType("untyped", Format::kOpenMetrics), std::nullopt);
  EXPECT_EQ(ParseMetricType("unknown", Format::kOpenMetrics), MetricType::kUnknown);
  EXPECT_EQ(ParseMetricType("unknown", Format::kPrometheusText), std::nullopt);
  EXPECT_EQ(ParseMetricType("gaugehistogram", Format::kPrometheusText), std::nullopt);
  for (MetricType t : {MetricType::kCounter, MetricType::kGauge, MetricType::kHistogram,
                       MetricType::kGaugeHistogram, MetricType::kSummary, MetricType::kInfo,
                       MetricType::kStateset, MetricType::kUnknown}) {
    EXPECT_EQ(ParseMetricType(MetricTypeName(t), Format::kOpenMetrics), t);
  }
}

TEST(MetadataTest, FamilySuffixes) {
  std::string_view suffix;
  EXPECT_TRUE(BelongsToFamily("a_total", "a", MetricType::kCounter, Format::kOpenMetrics,
                              &suffix));
  EXPECT_EQ(suffix, "_total");
  EXPECT_FALSE(BelongsToFamily("a", "a", MetricType::kCounter, Format::kOpenMetrics));
  EXPECT_TRUE(BelongsToFamily("a", "a", MetricType::kCounter, Format::kPrometheusText));
  EXPECT_FALSE(BelongsToFamily("a_total", "a", MetricType::kCounter, Format::kPrometheusText));
  EXPECT_TRUE(BelongsToFamily("a_gsum", "a", MetricType::kGaugeHistogram, Format::kOpenMetrics));
  EXPECT_FALSE(BelongsToFamily("a_created", "a", MetricType::kGaugeHistogram,
                               Format::kOpenMetrics));
  EXPECT_TRUE(IsCreatedSuffix("_created", MetricType::kSummary, Format::kOpenMetrics));
  EXPECT_FALSE(IsCreatedSuffix("_created", MetricType::kGauge, Format::kOpenMetrics));
  EXPECT_FALSE(IsCreatedSuffix("_created", MetricType::kCounter, Format::kPrometheusText));
}

TEST(MetadataTest, FindForMetricStripsOnlyAllowedSuffixes) {
  MetadataMap m;
  m.SetType("h", MetricType::kHistogram);
  m.SetHelp("h", "help");
  m.SetType("g", MetricType::kGauge);
  m.SetUnit("c_seconds", "seconds");
  m.SetType("c_seconds", MetricType::kCounter);
  EXPECT_EQ(m.size(), 3u);
  EXPECT_EQ(m.FindForMetric("h_bucket")->help, "help");
  EXPECT_EQ(m.FindForMetric("h"), m.Find("h"));
  EXPECT_EQ(m.FindForMetric("g_sum"), nullptr);  // gauges have no _sum
  EXPECT_EQ(m.FindForMetric("c_seconds_total")->unit, "seconds");
  EXPECT_EQ(m.FindForMetric("nope"), nullptr);
}

}  // namespace
}  // namespace hw::scrape
