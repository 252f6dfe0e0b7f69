#include "slo/history.h"

#include <cmath>

#include <gtest/gtest.h>

#include "slo/fake_source.h"

namespace hw::slo {
namespace {

constexpr std::int64_t kHour = 3600LL * 1000;
constexpr std::int64_t kDay = 24 * kHour;
const std::int64_t kFeb = MonthStartMs(2024, 2);

Spec Availability() {
  Spec s;
  s.service = "api";
  s.name = "api-availability";
  s.bad = "errs_total";
  s.total = "reqs_total";
  s.objective = 0.999;
  return s;
}

// From noon on Feb 1 to 06:00 on Feb 4, 2024, a day at a time:
//   Feb 1 12:00-24:00  (partial, 12h)   5,000 requests,  0 failed
//   Feb 2              (full)          10,000 requests, 10 failed
//   Feb 3              (full)          10,000 requests,  0 failed
//   Feb 4 00:00-06:00  (partial, 6h)    2,500 requests,  5 failed
FakeSource FourSteps() {
  FakeSource src;
  src.instant[{"sum(increase(reqs_total[43200s]))", kFeb + kDay}] = 5'000;
  src.range["sum(increase(reqs_total[1d]))"] = {{kFeb + 2 * kDay, 10'000}, {kFeb + 3 * kDay, 10'000}};
  src.range["sum(increase(errs_total[1d]))"] = {{kFeb + 2 * kDay, 10}};
  src.instant[{"sum(increase(reqs_total[21600s]))", kFeb + 3 * kDay + 6 * kHour}] = 2'500;
  src.instant[{"sum(increase(errs_total[21600s]))", kFeb + 3 * kDay + 6 * kHour}] = 5;
  // The whole span (2d 18h = 237,600s) at once.
  src.instant[{"sum(increase(reqs_total[237600s]))", kFeb + 3 * kDay + 6 * kHour}] = 27'500;
  src.instant[{"sum(increase(errs_total[237600s]))", kFeb + 3 * kDay + 6 * kHour}] = 15;
  return src;
}

TEST(HistoryTest, StepsAlignToDaysAndTheBudgetIsCountedFromEvents) {
  FakeSource src = FourSteps();
  Result<History> h = BuildHistory(Availability(), src, kFeb + 12 * kHour, kFeb + 3 * kDay + 6 * kHour, kDay);
  ASSERT_TRUE(h.ok()) << h.status().message();
  ASSERT_EQ(h->points.size(), 4u);
  const auto& p = h->points;
  EXPECT_EQ(p[0].start_ms, kFeb + 12 * kHour);
  EXPECT_EQ(p[0].end_ms, kFeb + kDay);
  EXPECT_EQ(p[1].start_ms, kFeb + kDay);
  EXPECT_EQ(p[3].start_ms, kFeb + 3 * kDay);
  EXPECT_EQ(p[3].end_ms, kFeb + 3 * kDay + 6 * kHour);

  // SLI per step.
  EXPECT_DOUBLE_EQ(p[0].sli, 1);
  EXPECT_DOUBLE_EQ(p[1].sli, 0.999);
  EXPECT_DOUBLE_EQ(p[2].sli, 1);
  EXPECT_DOUBLE_EQ(p[3].sli, 0.998);
  // Budget remaining so far: allowed failures are 0.1% of the requests so far.
  EXPECT_NEAR(p[0].so_far.remaining, 1, 1e-12);                  // 0 of 5
  EXPECT_NEAR(p[1].so_far.remaining, 1 - 10.0 / 15, 1e-9);       // 10 of 15
  EXPECT_NEAR(p[2].so_far.remaining, 1 - 10.0 / 25, 1e-9);       // 10 of 25
  EXPECT_NEAR(p[3].so_far.remaining, 1 - 15.0 / 27.5, 1e-9);     // 15 of 27.5
  EXPECT_NEAR(p[3].so_far.achieved, 27'485.0 / 27'500, 1e-12);

  // The span at once, and its burn rate: 15 failed where 27.5 were allowed.
  EXPECT_NEAR(h->span.achieved, 27'485.0 / 27'500, 1e-12);
  EXPECT_NEAR(h->span.used, 15 / 27.5, 1e-9);
  EXPECT_NEAR(h->burn_rate, 15 / 27.5, 1e-9);
}

TEST(HistoryTest, AlignedHourlyStepsOfAGoodEventsSliWithAGap) {
  Spec s;
  s.service = "web";
  s.name = "page-load";
  s.kind = Spec::SliKind::kLatency;
  s.histogram = "load_seconds";
  s.threshold_seconds = 2;
  s.objective = 0.95;
  FakeSource src;
  // Three whole hours; nothing happened in the second.
  src.range["sum(increase(load_seconds_count[1h]))"] = {{kFeb + kHour, 100}, {kFeb + 3 * kHour, 300}};
  src.range["sum(increase(load_seconds_bucket{le=~\"2|2\\\\.0\"}[1h]))"] = {{kFeb + kHour, 90}, {kFeb + 3 * kHour, 300}};
  Result<History> h = BuildHistory(s, src, kFeb, kFeb + 3 * kHour, kHour);
  ASSERT_TRUE(h.ok()) << h.status().message();
  ASSERT_EQ(h->points.size(), 3u);
  EXPECT_DOUBLE_EQ(h->points[0].sli, 0.9);
  EXPECT_EQ(h->points[1].total, 0);
  EXPECT_TRUE(std::isnan(h->points[1].sli));
  EXPECT_NEAR(h->points[1].so_far.remaining, 1 - 10 / 5.0, 1e-9);  // unchanged by the gap
  EXPECT_NEAR(h->points[2].so_far.remaining, 1 - 10 / 20.0, 1e-9);  // 10 slow of 400 x 5%
  // No partial steps: only range queries for the steps, and the span's instant ones.
  for (const std::string& q : src.asked) {
    EXPECT_TRUE(q.find("[1h]") != std::string::npos || q.find("[10800s]") != std::string::npos) << q;
  }
  // The span had no answer in the fake: no events, no burn rate.
  EXPECT_TRUE(std::isnan(h->burn_rate));
}

TEST(HistoryTest, RejectsBadSpans) {
  FakeSource src;
  auto message = [&](std::int64_t start, std::int64_t end, std::int64_t step) {
    Result<History> h = BuildHistory(Availability(), src, start, end, step);
    EXPECT_FALSE(h.ok());
    EXPECT_EQ(h.status().code(), StatusCode::kBadData);
    return std::string(h.status().message());
  };
  EXPECT_NE(message(kFeb, kFeb, kDay).find("is not after the start"), std::string::npos);
  EXPECT_NE(message(kFeb, kFeb + kDay, 30'000).find("at least 1m"), std::string::npos);
  EXPECT_NE(message(kFeb, kFeb + kDay, 90'500).find("whole number of seconds"), std::string::npos);
  EXPECT_NE(message(kFeb, kFeb + 365 * kDay, 60'000).find("exceed the limit of 11000 points"),
            std::string::npos);
}

}  // namespace
}  // namespace hw::slo
