#include "slo/budget.h"

#include <cmath>

#include <gtest/gtest.h>

#include "slo/fake_source.h"

namespace hw::slo {
namespace {

constexpr std::int64_t kDay = 24LL * 3600 * 1000;

TEST(BudgetTest, CountsEventsNotRatios) {
  // 1,000,000 requests, 500 failed, objective 99.9%: 1,000 failures allowed, half used.
  BudgetFigures b = ComputeBudget(999'500, 1'000'000, 0.999);
  EXPECT_DOUBLE_EQ(b.achieved, 0.9995);
  EXPECT_NEAR(b.allowed_bad, 1000, 1e-6);
  EXPECT_NEAR(b.used, 0.5, 1e-9);
  EXPECT_NEAR(b.remaining, 0.5, 1e-9);
  // Overspent: 1,500 failures is 150% of the budget.
  EXPECT_NEAR(ComputeBudget(998'500, 1'000'000, 0.999).remaining, -0.5, 1e-9);
  // No traffic: nothing achieved, nothing spent.
  BudgetFigures none = ComputeBudget(0, 0, 0.999);
  EXPECT_TRUE(std::isnan(none.achieved));
  EXPECT_EQ(none.used, 0);
}

TEST(BudgetTest, ProjectsExhaustion) {
  // Half the budget left, burning at 2x: a 30-day budget lasts 7.5 more days.
  EXPECT_EQ(ProjectExhaustion(0.5, 2, 30 * kDay, 1000), 1000 + 15 * kDay / 2);
  EXPECT_EQ(ProjectExhaustion(0.5, 0, 30 * kDay, 1000), std::nullopt);
  EXPECT_EQ(ProjectExhaustion(0.5, NAN, 30 * kDay, 1000), std::nullopt);
  EXPECT_EQ(ProjectExhaustion(-0.1, 3, 30 * kDay, 1000), std::nullopt);
}

TEST(BudgetTest, Months) {
  EXPECT_EQ(MonthStartMs(2024, 2), 1706745600000);   // 2024-02-01T00:00:00Z
  EXPECT_EQ(MonthStartMs(2024, 3), 1709251200000);   // 29 days later (leap year)
  EXPECT_EQ(MonthStartMs(2023, 13), MonthStartMs(2024, 1));
  EXPECT_EQ(MonthStartMs(1709251200000 - 1), 1706745600000);
  EXPECT_EQ(RangeSeconds(29 * kDay), "2505600s");
}

TEST(BudgetTest, BudgetSpans) {
  Spec rolling;
  rolling.window = std::chrono::milliseconds(7 * kDay);
  const std::int64_t now = MonthStartMs(2024, 2) + 3 * kDay + 5;
  EXPECT_EQ(BudgetSpanAt(rolling, now).start_ms, now - 7 * kDay);
  EXPECT_EQ(BudgetSpanAt(rolling, now).length_ms, 7 * kDay);
  Spec month;
  month.window_kind = Spec::WindowKind::kCalendarMonth;
  EXPECT_EQ(BudgetSpanAt(month, now).start_ms, MonthStartMs(2024, 2));
  EXPECT_EQ(BudgetSpanAt(month, now).length_ms, 29 * kDay);  // a leap February
}

TEST(BudgetTest, StatusOverARollingWindow) {
  Spec spec;
  spec.service = "api";
  spec.name = "avail";
  spec.bad = "errs_total";
  spec.total = "reqs_total";
  spec.objective = 0.999;
  spec.critical_objective = 0.995;
  FakeSource src;
  const std::int64_t now = MonthStartMs(2024, 2) + 3 * kDay;
  src.instant[{"sum(increase(reqs_total[2592000s]))", now}] = 2'000'000;
  src.instant[{"sum(increase(errs_total[2592000s]))", now}] = 1'500;
  src.instant[{"(sum(rate(errs_total[1h])) or vector(0)) / sum(rate(reqs_total[1h]))", now}] = 0.005;
  Result<CurrentStatus> st = ComputeStatus(spec, src, now);
  ASSERT_TRUE(st.ok()) << st.status().message();
  EXPECT_EQ(st->window_start_ms, now - 30 * kDay);
  EXPECT_NEAR(st->budget.achieved, 0.99925, 1e-12);
  EXPECT_NEAR(st->budget.used, 0.75, 1e-9);
  EXPECT_NEAR(st->burn_rate_1h, 5, 1e-9);
  EXPECT_NEAR(st->burn_rate_window, 0.75, 1e-9);  // 0.075% bad of 0.1% allowed
  // 25% of a 30-day budget at 5x: 1.5 days.
  ASSERT_TRUE(st->exhaustion_ms.has_value());
  EXPECT_NEAR(static_cast<double>(*st->exhaustion_ms - now), 1.5 * kDay, 1);
  EXPECT_FALSE(st->exhausted);
  EXPECT_FALSE(st->below_critical);
}

TEST(BudgetTest, StatusOverTheCalendarMonth) {
  Spec spec;
  spec.service = "email";
  spec.name = "delivery";
  spec.good = "sent_total{result=\"ok\"}";
  spec.total = "sent_total";
  spec.objective = 0.98;
  spec.critical_objective = 0.95;
  spec.window_kind = Spec::WindowKind::kCalendarMonth;
  FakeSource src;
  const std::int64_t now = MonthStartMs(2024, 2) + 2 * kDay;  // two days into February
  src.instant[{"sum(increase(sent_total[172800s]))", now}] = 1000;
  src.instant[{"sum(increase(sent_total{result=\"ok\"}[172800s]))", now}] = 900;
  Result<CurrentStatus> st = ComputeStatus(spec, src, now);
  ASSERT_TRUE(st.ok()) << st.status().message();
  EXPECT_EQ(st->window_start_ms, MonthStartMs(2024, 2));
  EXPECT_NEAR(st->budget.used, 5, 1e-9);  // 100 bad of 20 allowed
  EXPECT_TRUE(st->exhausted);
  EXPECT_TRUE(st->below_critical);  // 90% < 95%
  EXPECT_TRUE(std::isnan(st->burn_rate_1h));  // no answer for the last hour
  EXPECT_NEAR(st->burn_rate_window, 5, 1e-9);  // 10% bad of 2% allowed
  EXPECT_EQ(st->exhaustion_ms, std::nullopt);
}

}  // namespace
}  // namespace hw::slo
