#include "slo/report.h"

#include <gtest/gtest.h>

#include "slo/fake_source.h"

namespace hw::slo {
namespace {

constexpr std::int64_t kDay = 24LL * 3600 * 1000;
const std::int64_t kFeb = MonthStartMs(2024, 2);
const std::int64_t kMar = MonthStartMs(2024, 3);

Spec Availability() {
  Spec s;
  s.service = "api";
  s.name = "api-availability";
  s.bad = "errs_total";
  s.total = "reqs_total";
  s.objective = 0.999;
  s.critical_objective = 0.995;
  return s;
}

// February 2024: 10,000 requests a day; 50 fail on the 10th (99.5%), 20 on the 20th
// (99.8%), none otherwise. Month: 290,000 requests, 70 failed.
FakeSource February() {
  FakeSource src;
  src.instant[{"sum(increase(reqs_total[2505600s]))", kMar}] = 290'000;
  src.instant[{"sum(increase(errs_total[2505600s]))", kMar}] = 70;
  for (int d = 1; d <= 29; ++d) src.range["sum(increase(reqs_total[1d]))"].push_back({kFeb + d * kDay, 10'000});
  src.range["sum(increase(errs_total[1d]))"] = {{kFeb + 10 * kDay, 50}, {kFeb + 20 * kDay, 20}};
  return src;
}

TEST(ReportTest, MonthFiguresByHand) {
  std::vector<Spec> specs = {Availability()};
  FakeSource src = February();
  Result<MonthReport> r = BuildMonthReport(specs, 2024, 2, src, kMar + 5 * kDay);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->eval_ms, kMar);
  ASSERT_EQ(r->slos.size(), 1u);
  const SloMonth& m = r->slos[0];
  // achieved = 289,930 / 290,000; budget = 290 failures, 70 used.
  EXPECT_NEAR(m.budget.achieved, 289'930.0 / 290'000, 1e-12);
  EXPECT_NEAR(m.budget.used, 70.0 / 290, 1e-12);
  EXPECT_TRUE(m.met);
  EXPECT_FALSE(m.critical_breached);
  EXPECT_EQ(m.days.size(), 29u);
  // Days are named by their start: the point at the end of day 10 (2024-02-10).
  ASSERT_EQ(m.breach_days.size(), 2u);
  EXPECT_EQ(m.breach_days[0], kFeb + 9 * kDay);
  EXPECT_EQ(m.breach_days[1], kFeb + 19 * kDay);
  ASSERT_TRUE(m.worst_day.has_value());
  EXPECT_EQ(m.worst_day->start_ms, kFeb + 9 * kDay);
  EXPECT_NEAR(m.worst_day->achieved, 0.995, 1e-12);

  std::string table = FormatTable(*r);
  EXPECT_NE(table.find("SLO compliance for 2024-02 (2024-02-01 to 2024-03-01 UTC)"), std::string::npos);
  EXPECT_NE(table.find("api      api-availability  good events  99.9%      99.976%   24.1%        2         2024-02-10 (99.500%)  met"),
            std::string::npos) << table;
  std::string md = FormatMarkdown(*r);
  EXPECT_NE(md.find("| api | api-availability | good events | 99.9% | 99.976% | 24.1% | 2 | 2024-02-10 (99.500%) | met |"),
            std::string::npos) << md;
  EXPECT_NE(md.find("api / api-availability: below 99.9% on 2024-02-10 2024-02-20"), std::string::npos) << md;
  std::string json = FormatJson(*r);
  EXPECT_NE(json.find("\"month\":\"2024-02\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"breaches\":2,\"breachDays\":[\"2024-02-10\",\"2024-02-20\"]"), std::string::npos);
  EXPECT_NE(json.find("\"worstDay\":{\"date\":\"2024-02-10\",\"achieved\":0.995"), std::string::npos);
  EXPECT_NE(json.find("\"totalEvents\":290000.0"), std::string::npos) << json;
}

TEST(ReportTest, MonthInProgressUsesFullDaysSoFar) {
  std::vector<Spec> specs = {Availability()};
  FakeSource src = February();
  const std::int64_t now = kFeb + 10 * kDay + kDay / 2;  // noon on the 11th
  src.instant[{"sum(increase(reqs_total[907200s]))", now}] = 105'000;
  src.instant[{"sum(increase(errs_total[907200s]))", now}] = 50;
  Result<MonthReport> r = BuildMonthReport(specs, 2024, 2, src, now);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->eval_ms, now);
  const SloMonth& m = r->slos[0];
  EXPECT_EQ(m.days.size(), 10u);
  EXPECT_EQ(m.breach_days.size(), 1u);
  EXPECT_NEAR(m.budget.used, 50 / 105.0, 1e-12);
  EXPECT_NE(FormatTable(*r).find("in progress"), std::string::npos);
}

TEST(ReportTest, GoodEventsLatencyAndMissedObjective) {
  Spec s;
  s.service = "api";
  s.name = "api-latency";
  s.kind = Spec::SliKind::kLatency;
  s.histogram = "lat_seconds";
  s.threshold_seconds = 0.2;
  s.objective = 0.95;
  std::vector<Spec> specs = {s};
  FakeSource src;
  src.instant[{"sum(increase(lat_seconds_count[2505600s]))", kMar}] = 1000;
  src.instant[{"sum(increase(lat_seconds_bucket{le=\"0.2\"}[2505600s]))", kMar}] = 900;
  Result<MonthReport> r = BuildMonthReport(specs, 2024, 2, src, kMar);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->slos[0].budget.used, 2, 1e-9);  // 100 slow of 50 allowed
  EXPECT_FALSE(r->slos[0].met);
  EXPECT_NE(FormatTable(*r).find("within 200ms"), std::string::npos);
  EXPECT_NE(FormatTable(*r).find("missed"), std::string::npos);
}

TEST(ReportTest, Months) {
  EXPECT_EQ(*ParseMonth("2024-02"), std::make_pair(2024, 2));
  EXPECT_FALSE(ParseMonth("2024-2").ok());
  EXPECT_FALSE(ParseMonth("2024-13").ok());
  EXPECT_FALSE(ParseMonth("24-02-01").ok());
  EXPECT_EQ(MonthOf(kFeb + 3 * kDay), "2024-02");
  std::vector<Spec> none;
  FakeSource src;
  EXPECT_FALSE(BuildMonthReport(none, 2024, 3, src, kFeb).ok());  // not begun
}

}  // namespace
}  // namespace hw::slo
