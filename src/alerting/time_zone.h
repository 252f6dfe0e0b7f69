// Time zones for time intervals: IANA zones read from the system's zoneinfo (TZif
// files, RFC 8536), because GCC 12's libstdc++ has no std::chrono::tzdb.
//
// A TimeZone maps an instant (Unix seconds) to its UTC offset and civil (wall-clock)
// time, and a wall time back to an instant. It holds the file's transitions and, for
// instants past the last one, the footer's POSIX TZ rule ("CET-1CEST,M3.5.0,M10.5.0/3"),
// so dates after 2037 and "slim" zone files work. Leap-second tables are ignored (as
// Go's time package does for "posix" zones).
//
// Names: "UTC" (also ""), "Local" (the TZ environment variable — a zone name, a file
// path or a POSIX TZ string — else /etc/localtime, else UTC), or an IANA name looked
// up under $ZONEINFO (when set) and /usr/share/zoneinfo (Debian's `tzdata` package).
//
// Thread-safety: immutable after Load; copies share the parsed data; safe to share.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace hw::alerting {

// Wall-clock fields of an instant in some zone.
struct CivilTime {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
  int weekday = 4;     // 0 = Sunday .. 6 = Saturday
  int utc_offset = 0;  // seconds east of UTC in effect
};

// Proleptic Gregorian calendar helpers (days since 1970-01-01).
std::int64_t DaysFromCivil(std::int64_t year, int month, int day);
int DaysInMonth(std::int64_t year, int month);

class TimeZone {
 public:
  // UTC.
  TimeZone();

  // "unknown time zone Europe/Parise" when there is no such zone.
  static Result<TimeZone> Load(std::string_view name);
  // From the bytes of a TZif file (tests; `name` is only reported back).
  static Result<TimeZone> FromTzif(std::string_view data, std::string name);
  // From a POSIX TZ string alone ("EST5EDT,M3.2.0,M11.1.0", "UTC0").
  static Result<TimeZone> FromPosix(std::string_view tz, std::string name);

  const std::string& name() const;
  // Seconds east of UTC at the instant.
  int OffsetAt(std::int64_t unix_s) const;
  CivilTime ToCivil(std::int64_t unix_s) const;
  // The first instant whose wall time is `local_s` (seconds since 1970-01-01 00:00 of
  // the wall clock). For a wall time skipped by a forward change (02:30 on a spring
  // DST day), the instant of that change, i.e. the first instant whose wall time is
  // later; for a repeated wall time, its first occurrence.
  std::int64_t FromLocal(std::int64_t local_s) const;

 private:
  struct Data;
  explicit TimeZone(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

}  // namespace hw::alerting
