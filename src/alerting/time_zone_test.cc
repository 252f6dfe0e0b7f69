#include "alerting/time_zone.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace hw::alerting {
namespace {

std::int64_t Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return DaysFromCivil(y, mo, d) * 86'400 + h * 3600 + mi * 60 + s;
}

TimeZone MustLoad(std::string_view name) {
  Result<TimeZone> zone = TimeZone::Load(name);
  EXPECT_TRUE(zone.ok()) << zone.status().ToString();
  return zone.ok() ? *zone : TimeZone();
}

std::string Civil(const TimeZone& zone, std::int64_t t) {
  CivilTime c = zone.ToCivil(t);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d w%d %+d", c.year, c.month, c.day,
                c.hour, c.minute, c.second, c.weekday, c.utc_offset);
  return buf;
}

// Sets TZ for the test's duration and restores it.
class ScopedTz {
 public:
  explicit ScopedTz(const char* value) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    if (value) {
      setenv("TZ", value, 1);
    } else {
      unsetenv("TZ");
    }
  }
  ~ScopedTz() {
    if (old_) {
      setenv("TZ", old_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
  }

 private:
  std::optional<std::string> old_;
};

TEST(TimeZoneTest, CalendarHelpers) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11'017);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(1900, 2), 28);
  EXPECT_EQ(DaysInMonth(2000, 2), 29);
  EXPECT_EQ(DaysInMonth(2023, 4), 30);
}

TEST(TimeZoneTest, Utc) {
  TimeZone utc = MustLoad("UTC");
  EXPECT_EQ(utc.name(), "UTC");
  EXPECT_EQ(Civil(utc, 0), "1970-01-01 00:00:00 w4 +0");
  EXPECT_EQ(Civil(utc, -1), "1969-12-31 23:59:59 w3 +0");
  EXPECT_EQ(Civil(utc, Utc(2024, 2, 29, 13, 5, 7)), "2024-02-29 13:05:07 w4 +0");
  EXPECT_EQ(Civil(MustLoad(""), 0), "1970-01-01 00:00:00 w4 +0");
  EXPECT_EQ(Civil(MustLoad("Etc/UTC"), 0), "1970-01-01 00:00:00 w4 +0");
}

TEST(TimeZoneTest, BerlinAcrossDstChanges) {
  TimeZone berlin = MustLoad("Europe/Berlin");
  EXPECT_EQ(berlin.name(), "Europe/Berlin");
  // Last Sunday of March 2024: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
  EXPECT_EQ(Civil(berlin, Utc(2024, 3, 31, 0, 59, 59)), "2024-03-31 01:59:59 w0 +3600");
  EXPECT_EQ(Civil(berlin, Utc(2024, 3, 31, 1, 0)), "2024-03-31 03:00:00 w0 +7200");
  // Last Sunday of October 2024: 03:00 CEST becomes 02:00 CET at 01:00 UTC.
  EXPECT_EQ(Civil(berlin, Utc(2024, 10, 27, 0, 59, 59)), "2024-10-27 02:59:59 w0 +7200");
  EXPECT_EQ(Civil(berlin, Utc(2024, 10, 27, 1, 0)), "2024-10-27 02:00:00 w0 +3600");
  // Past the file's transitions (2037): the footer rule. March 25, 2040 is the last
  // Sunday.
  EXPECT_EQ(Civil(berlin, Utc(2040, 3, 25, 0, 59)), "2040-03-25 01:59:00 w0 +3600");
  EXPECT_EQ(Civil(berlin, Utc(2040, 3, 25, 1, 0)), "2040-03-25 03:00:00 w0 +7200");
  EXPECT_EQ(Civil(berlin, Utc(2100, 7, 1, 12, 0)), "2100-07-01 14:00:00 w4 +7200");
  // Before the first transition: local mean time.
  EXPECT_EQ(berlin.OffsetAt(Utc(1880, 1, 1, 0, 0)), 3208);
}

TEST(TimeZoneTest, NewYork) {
  TimeZone ny = MustLoad("America/New_York");
  EXPECT_EQ(Civil(ny, Utc(2024, 3, 10, 6, 59)), "2024-03-10 01:59:00 w0 -18000");
  EXPECT_EQ(Civil(ny, Utc(2024, 3, 10, 7, 0)), "2024-03-10 03:00:00 w0 -14400");
  // 01:00-02:00 happens twice on 2024-11-03.
  EXPECT_EQ(Civil(ny, Utc(2024, 11, 3, 5, 0)), "2024-11-03 01:00:00 w0 -14400");
  EXPECT_EQ(Civil(ny, Utc(2024, 11, 3, 6, 0)), "2024-11-03 01:00:00 w0 -18000");
  EXPECT_EQ(Civil(ny, Utc(2050, 3, 13, 7, 0)), "2050-03-13 03:00:00 w0 -14400");
}

// The footer rules alone reproduce the files' transitions, including a southern
// hemisphere zone (DST across the new year) and half-hour offsets and changes.
TEST(TimeZoneTest, PosixRulesAgreeWithZoneFiles) {
  struct Case {
    std::string zone;
    std::string posix;
    int from_year;
  };
  for (const Case& c : std::vector<Case>{
           {"Europe/Berlin", "CET-1CEST,M3.5.0,M10.5.0/3", 1997},
           {"America/New_York", "EST5EDT,M3.2.0,M11.1.0", 2008},
           {"Australia/Sydney", "AEST-10AEDT,M10.1.0,M4.1.0/3", 2009},
           {"Australia/Lord_Howe", "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 2009},
           {"America/Sao_Paulo", "<-03>3", 2020},
       }) {
    SCOPED_TRACE(c.zone);
    TimeZone file = MustLoad(c.zone);
    Result<TimeZone> posix = TimeZone::FromPosix(c.posix, c.zone);
    ASSERT_TRUE(posix.ok()) << posix.status().ToString();
    int mismatches = 0;
    for (std::int64_t t = Utc(c.from_year, 1, 1, 0, 0); t < Utc(2037, 12, 31, 0, 0); t += 900) {
      if (file.OffsetAt(t) != posix->OffsetAt(t) && ++mismatches < 5) {
        ADD_FAILURE() << "at " << t << ": file " << file.OffsetAt(t) << " posix "
                      << posix->OffsetAt(t);
      }
    }
  }
}

TEST(TimeZoneTest, PosixStringForms) {
  struct Case {
    std::string tz;
    std::int64_t t;
    int want;
  };
  for (const Case& c : std::vector<Case>{
           {"UTC0", 0, 0},
           {"<+05>-5", 0, 5 * 3600},
           {"EST5EDT", Utc(2024, 7, 1, 0, 0), -4 * 3600},  // default US rules
           {"EST5EDT", Utc(2024, 1, 1, 0, 0), -5 * 3600},
           {"IST-2IDT,M3.4.4/26,M10.5.0", Utc(2024, 3, 29, 0, 0), 3 * 3600},  // Israel, hour 26
           {"IST-2IDT,M3.4.4/26,M10.5.0", Utc(2024, 3, 28, 23, 59), 2 * 3600},
           {"XXX3YYY,J60/2,J300/2", Utc(2023, 3, 2, 12, 0), -2 * 3600},  // J60 = Mar 1
           {"XXX3YYY,J60/2,J300/2", Utc(2023, 2, 28, 12, 0), -3 * 3600},
           {"XXX3YYY,59/2,300/2", Utc(2024, 2, 29, 12, 0), -2 * 3600},  // zero-based 59 = Feb 29
           {"XXX3YYY,59/2,300/2", Utc(2024, 2, 28, 12, 0), -3 * 3600},
       }) {
    Result<TimeZone> zone = TimeZone::FromPosix(c.tz, c.tz);
    ASSERT_TRUE(zone.ok()) << c.tz;
    EXPECT_EQ(zone->OffsetAt(c.t), c.want) << c.tz << " at " << c.t;
  }
  for (std::string_view bad : {"", "C", "CET", "CET-1CEST,M3.5.0", "CET-1CEST,M13.5.0,M10.5.0",
                               "<+05-5", "CET-1CEST,M3.5.0,M10.5.0/x"}) {
    EXPECT_FALSE(TimeZone::FromPosix(bad, "x").ok()) << bad;
  }
}

TEST(TimeZoneTest, FromLocal) {
  TimeZone berlin = MustLoad("Europe/Berlin");
  auto local = [](int y, int mo, int d, int h, int mi) { return Utc(y, mo, d, h, mi); };
  EXPECT_EQ(berlin.FromLocal(local(2024, 7, 1, 12, 0)), Utc(2024, 7, 1, 10, 0));
  EXPECT_EQ(berlin.FromLocal(local(2024, 1, 1, 0, 0)), Utc(2023, 12, 31, 23, 0));
  // 02:30 does not exist on 2024-03-31: the change at 01:00 UTC (03:00 local).
  EXPECT_EQ(berlin.FromLocal(local(2024, 3, 31, 2, 30)), Utc(2024, 3, 31, 1, 0));
  EXPECT_EQ(berlin.FromLocal(local(2024, 3, 31, 3, 0)), Utc(2024, 3, 31, 1, 0));
  EXPECT_EQ(berlin.FromLocal(local(2024, 3, 31, 1, 59)), Utc(2024, 3, 31, 0, 59));
  // 02:30 happens twice on 2024-10-27: the first one.
  EXPECT_EQ(berlin.FromLocal(local(2024, 10, 27, 2, 30)), Utc(2024, 10, 27, 0, 30));
  EXPECT_EQ(berlin.FromLocal(local(2024, 10, 27, 3, 0)), Utc(2024, 10, 27, 2, 0));
  EXPECT_EQ(berlin.FromLocal(local(2045, 3, 26, 2, 30)), Utc(2045, 3, 26, 1, 0));
}

TEST(TimeZoneTest, LocationErrors) {
  for (std::string_view name : {"Europe/Parise", "Mars/Olympus", "Europe"}) {
    Result<TimeZone> zone = TimeZone::Load(name);
    ASSERT_FALSE(zone.ok()) << name;
    EXPECT_EQ(zone.status().message(), "unknown time zone " + std::string(name));
  }
  for (std::string_view name : {"../../etc/passwd", "/etc/localtime"}) {
    Result<TimeZone> zone = TimeZone::Load(name);
    ASSERT_FALSE(zone.ok()) << name;
    EXPECT_EQ(zone.status().message(), "invalid time zone " + std::string(name));
  }
  EXPECT_FALSE(TimeZone::FromTzif("not a zone file", "x").ok());
  EXPECT_FALSE(TimeZone::FromTzif(std::string("TZif2") + std::string(39, '\0'), "x").ok());
}

TEST(TimeZoneTest, LocalFollowsTz) {
  {
    ScopedTz tz("Europe/Berlin");
    EXPECT_EQ(MustLoad("Local").OffsetAt(Utc(2024, 1, 15, 12, 0)), 3600);
    EXPECT_EQ(MustLoad("Local").name(), "Local");
  }
  {
    ScopedTz tz(":America/New_York");
    EXPECT_EQ(MustLoad("Local").OffsetAt(Utc(2024, 1, 15, 12, 0)), -5 * 3600);
  }
  {
    ScopedTz tz("/usr/share/zoneinfo/Asia/Tokyo");
    EXPECT_EQ(MustLoad("Local").OffsetAt(Utc(2024, 1, 15, 12, 0)), 9 * 3600);
  }
  {
    ScopedTz tz("<+0330>-3:30");
    EXPECT_EQ(MustLoad("Local").OffsetAt(0), 3 * 3600 + 1800);
  }
  {
    ScopedTz tz("");
    EXPECT_EQ(MustLoad("Local").OffsetAt(0), 0);
  }
  {
    ScopedTz tz(nullptr);  // /etc/localtime, whatever this machine uses
    EXPECT_TRUE(TimeZone::Load("Local").ok());
  }
}

}  // namespace
}  // namespace hw::alerting
