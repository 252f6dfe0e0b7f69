// Named time intervals (Alertmanager's timeinterval package): when mute_time_intervals
// silence a route and active_time_intervals let it notify — e.g. the guide's business
// hours, Mon–Fri 09:00–17:00 in a configured time zone.
//
// A named interval is active at t when any of its specs matches; a spec matches when
// every field it sets matches t in the spec's location (times [start, end) in minutes
// of the day; weekday, day-of-month (negative counts from the month's end), month and
// year ranges inclusive). Locations are IANA zone names read from the system's
// zoneinfo (tzdata), "UTC" or "Local".
//
// Thread-safety: immutable after Compile; safe to share.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/notifications.h"

namespace hw::alerting {

class TimeIntervals {
 public:
  // Fails on an unknown location ("unknown time zone Europe/Parise").
  static Result<TimeIntervals> Compile(const std::vector<config::TimeIntervalConfig>& configs);

  bool Has(std::string_view name) const;
  // Whether any interval named in `names` is active at t_ms (false for no names).
  bool AnyActive(const std::vector<std::string>& names, std::int64_t t_ms) const;
  // The first time >= t_ms at which any of `names` is active (t_ms itself if active
  // now), to the minute; nullopt when none is within the next 5 years.
  std::optional<std::int64_t> NextActive(const std::vector<std::string>& names,
                                         std::int64_t t_ms) const;

 private:
  struct Compiled;
  std::shared_ptr<const std::map<std::string, Compiled, std::less<>>> intervals_;
};

}  // namespace hw::alerting
