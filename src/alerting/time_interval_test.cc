#include "alerting/time_interval.h"

#include <gtest/gtest.h>

#include <chrono>

#include "alerting/time_zone.h"

namespace hw::alerting {
namespace {

using config::TimeIntervalConfig;
using config::TimeIntervalSpec;
using Range = TimeIntervalSpec::Range;

// Milliseconds of a UTC date-time.
std::int64_t Ms(int y, int mo, int d, int h, int mi, int s = 0) {
  return (DaysFromCivil(y, mo, d) * 86'400 + h * 3600 + mi * 60 + s) * 1000;
}

constexpr int kSunday = 0, kMonday = 1, kFriday = 5, kSaturday = 6;

// The guide's business hours: Monday to Friday, 09:00-17:00 in Berlin.
TimeIntervalSpec BusinessHours() {
  TimeIntervalSpec s;
  s.times = {{9 * 60, 17 * 60}};
  s.weekdays = {{kMonday, kFriday}};
  s.location = "Europe/Berlin";
  return s;
}

TimeIntervals MustCompile(std::vector<TimeIntervalConfig> configs) {
  Result<TimeIntervals> ti = TimeIntervals::Compile(configs);
  EXPECT_TRUE(ti.ok()) << ti.status().ToString();
  return ti.ok() ? *ti : TimeIntervals();
}

const std::vector<std::string> kBusiness = {"business-hours"};

TEST(TimeIntervalTest, BusinessHoursAcrossDstChange) {
  TimeIntervals ti = MustCompile({{"business-hours", {BusinessHours()}}});
  EXPECT_TRUE(ti.Has("business-hours"));
  EXPECT_FALSE(ti.Has("nights"));
  struct Case {
    std::int64_t t;
    bool active;
  };
  for (const Case& c : std::vector<Case>{
           // Wednesday 2024-03-27, CET (UTC+1).
           {Ms(2024, 3, 27, 7, 59, 59), false},
           {Ms(2024, 3, 27, 8, 0), true},
           {Ms(2024, 3, 27, 15, 59, 59), true},
           {Ms(2024, 3, 27, 16, 0), false},
           // Saturday and Sunday, whatever the hour.
           {Ms(2024, 3, 30, 10, 0), false},
           {Ms(2024, 3, 31, 10, 0), false},
           // Monday 2024-04-01, after the change on the last Sunday of March: CEST.
           {Ms(2024, 4, 1, 6, 59), false},
           {Ms(2024, 4, 1, 7, 0), true},
           {Ms(2024, 4, 1, 14, 59), true},
           {Ms(2024, 4, 1, 15, 0), false},
           // Back to CET after the last Sunday of October (2024-10-27).
           {Ms(2024, 10, 25, 7, 0), true},   // Friday, 09:00 CEST
           {Ms(2024, 10, 28, 7, 0), false},  // Monday, 08:00 CET
           {Ms(2024, 10, 28, 8, 0), true},
           // Past the zone file's transitions: the POSIX rule. Monday 2040-07-02.
           {Ms(2040, 7, 2, 7, 0), true},
           {Ms(2040, 7, 2, 6, 59), false},
       }) {
    EXPECT_EQ(ti.AnyActive(kBusiness, c.t), c.active) << c.t;
  }
  EXPECT_FALSE(ti.AnyActive({}, Ms(2024, 3, 27, 10, 0)));
  EXPECT_FALSE(ti.AnyActive({"unknown"}, Ms(2024, 3, 27, 10, 0)));
}

TEST(TimeIntervalTest, NextActiveOverTheWeekend) {
  TimeIntervals ti = MustCompile({{"business-hours", {BusinessHours()}}});
  // Friday 2024-03-29 17:00 CET -> Monday 2024-04-01 09:00 CEST (the clocks changed
  // on Sunday).
  EXPECT_EQ(ti.NextActive(kBusiness, Ms(2024, 3, 29, 16, 0)), Ms(2024, 4, 1, 7, 0));
  EXPECT_EQ(ti.NextActive(kBusiness, Ms(2024, 3, 30, 12, 34, 56) + 789), Ms(2024, 4, 1, 7, 0));
  // Friday 2024-10-25 17:00 CEST -> Monday 2024-10-28 09:00 CET.
  EXPECT_EQ(ti.NextActive(kBusiness, Ms(2024, 10, 25, 15, 0)), Ms(2024, 10, 28, 8, 0));
  // Active now: now, to the millisecond.
  EXPECT_EQ(ti.NextActive(kBusiness, Ms(2024, 3, 29, 15, 59, 59) + 999),
            Ms(2024, 3, 29, 15, 59, 59) + 999);
  // Early on a weekday: the same morning.
  EXPECT_EQ(ti.NextActive(kBusiness, Ms(2024, 3, 27, 3, 17, 1)), Ms(2024, 3, 27, 8, 0));
  EXPECT_EQ(ti.NextActive({"unknown"}, Ms(2024, 3, 27, 3, 0)), std::nullopt);
  EXPECT_EQ(ti.NextActive({}, Ms(2024, 3, 27, 3, 0)), std::nullopt);
}

TEST(TimeIntervalTest, DaysOfMonth) {
  TimeIntervalSpec last_day;
  last_day.days_of_month = {{-1, -1}};
  TimeIntervalSpec last_three;
  last_three.days_of_month = {{-3, -1}};
  TimeIntervalSpec the_31st;
  the_31st.days_of_month = {{31, 31}};
  TimeIntervalSpec first_week;
  first_week.days_of_month = {{1, 7}};
  TimeIntervals ti = MustCompile({{"last-day", {last_day}},
                                  {"last-three", {last_three}},
                                  {"31st", {the_31st}},
                                  {"first-week", {first_week}}});
  struct Case {
    std::string name;
    std::int64_t t;
    bool active;
  };
  for (const Case& c : std::vector<Case>{
           {"last-day", Ms(2024, 2, 29, 12, 0), true},
           {"last-day", Ms(2024, 2, 28, 12, 0), false},
           {"last-day", Ms(2023, 2, 28, 12, 0), true},
           {"last-day", Ms(2024, 4, 30, 23, 59), true},
           {"last-day", Ms(2024, 5, 30, 23, 59), false},
           {"last-three", Ms(2024, 2, 27, 0, 0), true},
           {"last-three", Ms(2024, 2, 26, 23, 59), false},
           {"31st", Ms(2024, 1, 31, 0, 0), true},
           {"31st", Ms(2024, 4, 30, 0, 0), false},
           {"first-week", Ms(2024, 6, 7, 23, 59), true},
           {"first-week", Ms(2024, 6, 8, 0, 0), false},
       }) {
    EXPECT_EQ(ti.AnyActive({c.name}, c.t), c.active) << c.name << " at " << c.t;
  }
  // April has no 31st: the next one is in May.
  EXPECT_EQ(ti.NextActive({"31st"}, Ms(2024, 4, 1, 0, 0)), Ms(2024, 5, 31, 0, 0));
  EXPECT_EQ(ti.NextActive({"last-day"}, Ms(2024, 2, 3, 4, 5)), Ms(2024, 2, 29, 0, 0));
}

TEST(TimeIntervalTest, MonthsAndYears) {
  TimeIntervalSpec winter;
  winter.months = {{12, 12}, {1, 2}};
  TimeIntervalSpec december_2025;
  december_2025.months = {{12, 12}};
  december_2025.years = {{2025, 2026}};
  TimeIntervalSpec far;
  far.years = {{2035, 2035}};
  TimeIntervalSpec past;
  past.years = {{2000, 2010}};
  TimeIntervals ti = MustCompile(
      {{"winter", {winter}}, {"december", {december_2025}}, {"far", {far}}, {"past", {past}}});
  EXPECT_TRUE(ti.AnyActive({"winter"}, Ms(2024, 1, 15, 0, 0)));
  EXPECT_TRUE(ti.AnyActive({"winter"}, Ms(2024, 12, 1, 0, 0)));
  EXPECT_FALSE(ti.AnyActive({"winter"}, Ms(2024, 3, 1, 0, 0)));
  EXPECT_FALSE(ti.AnyActive({"december"}, Ms(2024, 12, 1, 0, 0)));
  EXPECT_TRUE(ti.AnyActive({"december"}, Ms(2026, 12, 31, 23, 59)));
  EXPECT_FALSE(ti.AnyActive({"december"}, Ms(2027, 12, 1, 0, 0)));
  EXPECT_EQ(ti.NextActive({"december"}, Ms(2024, 6, 1, 0, 0)), Ms(2025, 12, 1, 0, 0));
  EXPECT_EQ(ti.NextActive({"winter"}, Ms(2024, 3, 1, 0, 0)), Ms(2024, 12, 1, 0, 0));
  // Not within five years, or never again.
  EXPECT_EQ(ti.NextActive({"far"}, Ms(2024, 6, 1, 0, 0)), std::nullopt);
  EXPECT_EQ(ti.NextActive({"far"}, Ms(2031, 6, 1, 0, 0)), Ms(2035, 1, 1, 0, 0));
  EXPECT_EQ(ti.NextActive({"past"}, Ms(2024, 6, 1, 0, 0)), std::nullopt);
}

TEST(TimeIntervalTest, AnySpecOfAnyNameMatches) {
  TimeIntervalSpec nights;
  nights.times = {{0, 6 * 60}, {22 * 60, 24 * 60}};
  TimeIntervalSpec weekends;
  weekends.weekdays = {{kSaturday, kSaturday}, {kSunday, kSunday}};
  TimeIntervals ti =
      MustCompile({{"off-hours", {nights, weekends}}, {"business-hours", {BusinessHours()}}});
  EXPECT_TRUE(ti.AnyActive({"off-hours"}, Ms(2024, 3, 27, 23, 30)));  // Wednesday night
  EXPECT_TRUE(ti.AnyActive({"off-hours"}, Ms(2024, 3, 30, 12, 0)));   // Saturday
  EXPECT_FALSE(ti.AnyActive({"off-hours"}, Ms(2024, 3, 27, 12, 0)));
  EXPECT_EQ(ti.NextActive({"off-hours"}, Ms(2024, 3, 27, 12, 0)), Ms(2024, 3, 27, 22, 0));
  // UTC 06:00 Wednesday: neither off-hours (UTC) nor business hours (Berlin 07:00).
  EXPECT_EQ(ti.NextActive({"off-hours", "business-hours"}, Ms(2024, 3, 27, 6, 0)),
            Ms(2024, 3, 27, 8, 0));
  EXPECT_TRUE(ti.AnyActive({"nope", "off-hours"}, Ms(2024, 3, 27, 5, 0)));
}

TEST(TimeIntervalTest, TimesInSkippedHour) {
  TimeIntervalSpec s;
  s.times = {{2 * 60, 3 * 60}};
  s.location = "Europe/Berlin";
  TimeIntervals ti = MustCompile({{"two-am", {s}}});
  // 02:00-03:00 does not happen in Berlin on 2024-03-31; next is April 1st, 02:00 CEST.
  EXPECT_EQ(ti.NextActive({"two-am"}, Ms(2024, 3, 30, 23, 0)), Ms(2024, 4, 1, 0, 0));
  // ... and happens twice on 2024-10-27: first at 00:00 UTC (CEST), and the second
  // time is active too.
  EXPECT_EQ(ti.NextActive({"two-am"}, Ms(2024, 10, 26, 23, 0)), Ms(2024, 10, 27, 0, 0));
  EXPECT_TRUE(ti.AnyActive({"two-am"}, Ms(2024, 10, 27, 1, 30)));
  EXPECT_FALSE(ti.AnyActive({"two-am"}, Ms(2024, 10, 27, 2, 0)));
}

TEST(TimeIntervalTest, LocationErrors) {
  TimeIntervalSpec s = BusinessHours();
  s.location = "Europe/Parise";
  Result<TimeIntervals> ti = TimeIntervals::Compile({{"business-hours", {s}}});
  ASSERT_FALSE(ti.ok());
  EXPECT_EQ(ti.status().message(),
            "cannot compile time interval business-hours: unknown time zone Europe/Parise");
  s.location = "Local";
  EXPECT_TRUE(TimeIntervals::Compile({{"business-hours", {s}}}).ok());
}

// The dispatcher calls NextActive per notification: a weekend away, or no match in
// five years, must stay cheap.
TEST(TimeIntervalTest, NextActiveIsFast) {
  TimeIntervalSpec far;
  far.years = {{2035, 2035}};
  far.times = {{9 * 60, 10 * 60}};
  far.location = "America/New_York";
  TimeIntervals ti = MustCompile({{"business-hours", {BusinessHours()}}, {"far", {far}}});
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(ti.NextActive(kBusiness, Ms(2024, 3, 29, 16, 0) + i * 1000).has_value());
    ASSERT_FALSE(ti.NextActive({"far"}, Ms(2024, 3, 29, 16, 0) + i * 1000).has_value());
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

}  // namespace
}  // namespace hw::alerting
