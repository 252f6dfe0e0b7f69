#include "base/units.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hw {
namespace {

TEST(DurationTest, ParsesPrometheusDurations) {
  struct Case {
    const char* in;
    long long ms;
  } cases[] = {{"0", 0},          {"0s", 0},         {"250ms", 250},
               {"30s", 30000},    {"5m", 300000},    {"1m30s", 90000},
               {"2h", 7200000},   {"1d", 86400000},  {"1w", 604800000},
               {"1y", 31536000000}, {"1h0m1s5ms", 3601005}};
  for (const Case& c : cases) {
    Result<Duration> d = ParseDuration(c.in);
    ASSERT_TRUE(d.ok()) << c.in << ": " << d.status().ToString();
    EXPECT_EQ(d->count(), c.ms) << c.in;
  }
}

TEST(DurationTest, RejectsMalformedWithTheReason) {
  for (const char* bad : {"", "5", "m", "1x", "30m1h", "1s1s", "-5m", "1.5h", "5m "}) {
    Result<Duration> d = ParseDuration(bad);
    EXPECT_FALSE(d.ok()) << bad;
    EXPECT_NE(d.status().message().find("cannot parse duration"), std::string::npos);
  }
}

TEST(DurationTest, FormatsShortestForm) {
  EXPECT_EQ(FormatDuration(Duration(90000)), "1m30s");
  EXPECT_EQ(FormatDuration(Duration(0)), "0s");
  EXPECT_EQ(FormatDuration(Duration(3600000)), "1h");
  EXPECT_EQ(FormatDuration(Duration(1500)), "1s500ms");
  for (const char* s : {"1m30s", "2h", "1w2d", "250ms"}) {
    EXPECT_EQ(FormatDuration(*ParseDuration(s)), s);
  }
}

TEST(BytesTest, ParsesSizes) {
  EXPECT_EQ(*ParseBytes("512"), 512u);
  EXPECT_EQ(*ParseBytes("1KB"), 1024u);
  EXPECT_EQ(*ParseBytes("10MiB"), 10u << 20);
  EXPECT_EQ(*ParseBytes("2GB"), 2ull << 30);
  EXPECT_FALSE(ParseBytes("10 MB").ok());
  EXPECT_FALSE(ParseBytes("MB").ok());
  EXPECT_FALSE(ParseBytes("99999999999EB").ok());
}

TEST(Rfc3339Test, FormatsLikeGoRfc3339Nano) {
  EXPECT_EQ(FormatRfc3339Millis(0 + 1), "1970-01-01T00:00:00.001Z");
  EXPECT_EQ(FormatRfc3339Millis(1'780'000'000'120), "2026-05-28T20:26:40.12Z");
  EXPECT_EQ(FormatRfc3339Millis(1'780'000'000'000), "2026-05-28T20:26:40Z");
}

TEST(Rfc3339Test, ParsesZonesAndFractions) {
  EXPECT_EQ(*ParseRfc3339Millis("2026-05-28T20:26:40.12Z"), 1'780'000'000'120);
  EXPECT_EQ(*ParseRfc3339Millis("2026-05-28T20:26:40Z"), 1'780'000'000'000);
  EXPECT_EQ(*ParseRfc3339Millis("2026-05-28T22:26:40.123456789+02:00"), 1'780'000'000'123);
  EXPECT_EQ(*ParseRfc3339Millis("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseRfc3339Millis("2024-02-29T00:00:00-01:30"), 1'709'170'200'000);
  // Dates that do not exist and impossible offsets are refused, saying which.
  EXPECT_THAT(ParseRfc3339Millis("2026-02-30T00:00:00Z").status().message(),
              ::testing::HasSubstr("day out of range"));
  EXPECT_THAT(ParseRfc3339Millis("2025-02-29T00:00:00Z").status().message(),
              ::testing::HasSubstr("day out of range"));
  EXPECT_THAT(ParseRfc3339Millis("2026-04-31T00:00:00Z").status().message(),
              ::testing::HasSubstr("day out of range"));
  EXPECT_TRUE(ParseRfc3339Millis("2000-02-29T00:00:00Z").ok());
  for (const char* no_leap : {"1900-02-29T00:00:00Z", "2100-02-29T00:00:00Z"}) {
    EXPECT_THAT(ParseRfc3339Millis(no_leap).status().message(),
                ::testing::HasSubstr("day out of range"))
        << no_leap;
  }
  EXPECT_FALSE(ParseRfc3339Millis("2026-01-05T23:59:60Z").ok());  // Go refuses second 60
  EXPECT_THAT(ParseRfc3339Millis("2026-01-05T09:00:00+99:99").status().message(),
              ::testing::HasSubstr("time zone offset out of range"));
  for (std::int64_t ms : {0LL, 951'782'400'000LL, 4'102'444'799'999LL}) {
    EXPECT_EQ(*ParseRfc3339Millis(FormatRfc3339Millis(ms)), ms) << ms;
  }
  for (const char* bad : {"", "2026-05-28", "2026-05-28T20:26:40", "2026-13-01T00:00:00Z",
                          "2026-05-28T20:26:40.Z", "2026-05-28T20:26:40Zjunk", "yesterday"}) {
    Result<std::int64_t> r = ParseRfc3339Millis(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("RFC 3339"), std::string::npos);
  }
}

}  // namespace
}  // namespace hw
