#include "incidents/schedule.h"

#include <gtest/gtest.h>

#include <ctime>

namespace hw::incidents {
namespace {

// "2024-03-31T07:00:00Z" -> Unix milliseconds.
std::int64_t Ms(const char* utc) {
  std::tm tm{};
  strptime(utc, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

std::int64_t Day(int y, int m, int d) { return alerting::DaysFromCivil(y, m, d); }

Schedule Berlin(std::vector<config::RotationLayerConfig> layers,
                std::vector<config::ScheduleOverrideConfig> overrides = {}) {
  config::ScheduleConfig cfg;
  cfg.name = "primary";
  cfg.time_zone = "Europe/Berlin";
  cfg.layers = std::move(layers);
  cfg.overrides = std::move(overrides);
  Result<Schedule> s = Schedule::Compile(cfg);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

TEST(ScheduleTest, WeeklyHandoffFollowsBerlinWallClockAcrossDst) {
  // Monday 09:00 Berlin from 2024-01-01 (a Monday): alice, bob, alice, ...
  Schedule s = Berlin({{"weekly", 1, 9 * 60, Day(2024, 1, 1), {"alice", "bob"}}});
  struct Case {
    const char* at;
    const char* want;
  };
  const Case cases[] = {
      {"2023-12-31T12:00:00Z", ""},  // before the first handoff
      {"2024-01-01T07:59:59Z", ""},
      {"2024-01-01T08:00:00Z", "alice"},  // 09:00 CET
      {"2024-01-08T08:00:00Z", "bob"},
      {"2024-03-25T07:59:59Z", "bob"},    // week 11 until 09:00 CET on 25 March
      {"2024-03-25T08:00:00Z", "alice"},  // week 12
      {"2024-04-01T06:59:59Z", "alice"},  // DST since 31 March: 08:59:59 CEST
      {"2024-04-01T07:00:00Z", "bob"},    // 09:00 CEST
      {"2024-10-28T07:59:59Z", "alice"},  // back to CET on 27 October: 08:59:59 CET
      {"2024-10-28T08:00:00Z", "bob"},    // week 43
  };
  for (const Case& c : cases) EXPECT_EQ(s.OnCallAt(Ms(c.at)), c.want) << c.at;
}

TEST(ScheduleTest, DailyHandoffOnTheDstDay) {
  Schedule s = Berlin({{"daily", 0, 9 * 60, Day(2024, 3, 30), {"a", "b", "c"}}});
  EXPECT_EQ(s.OnCallAt(Ms("2024-03-30T08:00:00Z")), "a");  // 09:00 CET
  EXPECT_EQ(s.OnCallAt(Ms("2024-03-31T06:59:59Z")), "a");  // 08:59:59 CEST
  EXPECT_EQ(s.OnCallAt(Ms("2024-03-31T07:00:00Z")), "b");  // 09:00 CEST
  EXPECT_EQ(s.OnCallAt(Ms("2024-04-01T07:00:00Z")), "c");
  EXPECT_EQ(s.OnCallAt(Ms("2024-04-02T07:00:00Z")), "a");
}

TEST(ScheduleTest, OverridesWinThenLaterLayers) {
  Schedule s = Berlin({{"weekly", 1, 9 * 60, Day(2024, 1, 1), {"alice", "bob"}},
                       {"daily", 0, 9 * 60, Day(2024, 6, 1), {"dave"}}},
                      {{"carol", Ms("2024-04-01T08:00:00Z"), Ms("2024-04-01T10:00:00Z")}});
  EXPECT_EQ(s.OnCallAt(Ms("2024-04-01T07:59:59Z")), "bob");
  EXPECT_EQ(s.OnCallAt(Ms("2024-04-01T08:00:00Z")), "carol");
  EXPECT_EQ(s.OnCallAt(Ms("2024-04-01T09:59:59Z")), "carol");
  EXPECT_EQ(s.OnCallAt(Ms("2024-04-01T10:00:00Z")), "bob");
  EXPECT_EQ(s.OnCallAt(Ms("2024-06-01T06:59:59Z")), s.LayerOnCallAt(0, Ms("2024-06-01T06:59:59Z")));
  EXPECT_EQ(s.OnCallAt(Ms("2024-06-01T07:00:00Z")), "dave");  // layer 2 starts
}

TEST(ScheduleTest, UnknownZoneFails) {
  config::ScheduleConfig cfg;
  cfg.name = "x";
  cfg.time_zone = "Europe/Parise";
  Result<Schedule> s = Schedule::Compile(cfg);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("Europe/Parise"), std::string::npos);
}

TEST(ScheduleTest, NextHandoffsFindEachChangeToTheMillisecond) {
  Schedule s = Berlin({{"weekly", 1, 9 * 60, Day(2024, 1, 1), {"alice", "bob"}}},
                      {{"carol", Ms("2024-03-27T10:00:00Z"), Ms("2024-03-28T10:00:00Z")}});
  std::vector<Handoff> h =
      NextHandoffs(s, Ms("2024-03-20T12:00:00Z"), Ms("2024-04-20T12:00:00Z"), 4);
  const std::vector<Handoff> want = {
      {Ms("2024-03-25T08:00:00Z"), "alice"},  // Monday 09:00 CET
      {Ms("2024-03-27T10:00:00Z"), "carol"},  // the override
      {Ms("2024-03-28T10:00:00Z"), "alice"},
      {Ms("2024-04-01T07:00:00Z"), "bob"},  // Monday 09:00 CEST
  };
  EXPECT_EQ(h, want);
  EXPECT_TRUE(NextHandoffs(s, Ms("2024-03-20T12:00:00Z"), Ms("2024-03-21T12:00:00Z"), 4).empty());
}

}  // namespace
}  // namespace hw::incidents
