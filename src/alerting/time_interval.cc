// Named time intervals: Alertmanager's timeinterval.TimeInterval.ContainsTime, and a
// forward search for the next active minute. See time_interval.h.
#include "alerting/time_interval.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "alerting/time_zone.h"

namespace hw::alerting {

struct TimeIntervals::Compiled {
  struct Spec {
    config::TimeIntervalSpec spec;
    TimeZone zone;
  };
  std::vector<Spec> specs;
};

namespace {

using Spec = config::TimeIntervalSpec;
using Range = config::TimeIntervalSpec::Range;

constexpr std::int64_t kDay = 86'400;
constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
// NextActive gives up after this long (the header's "5 years").
constexpr std::int64_t kSearchLimit = 5 * 366 * kDay;

bool InRanges(const std::vector<Range>& ranges, int v) {
  if (ranges.empty()) return true;
  for (const Range& r : ranges) {
    if (v >= r.begin && v <= r.end) return true;
  }
  return false;
}

bool TimesMatch(const Spec& s, const CivilTime& c) {
  if (s.times.empty()) return true;
  int minute = c.hour * 60 + c.minute;
  for (const Spec::MinuteRange& r : s.times) {
    if (minute >= r.start && minute < r.end) return true;
  }
  return false;
}

// Alertmanager's days_of_month check: negative days count from the month's end, a
// range starting past the month's end never matches, the rest is clamped.
bool DaysOfMonthMatch(const Spec& s, const CivilTime& c) {
  if (s.days_of_month.empty()) return true;
  int days = DaysInMonth(c.year, c.month);
  for (const Range& r : s.days_of_month) {
    int begin = r.begin < 0 ? days + r.begin + 1 : r.begin;
    int end = r.end < 0 ? days + r.end + 1 : r.end;
    if (begin > days) continue;
    begin = std::clamp(begin, -days, days);
    end = std::clamp(end, -days, days);
    if (c.day >= begin && c.day <= end) return true;
  }
  return false;
}

bool DayMatches(const Spec& s, const CivilTime& c) {
  return DaysOfMonthMatch(s, c) && InRanges(s.months, c.month) && InRanges(s.weekdays, c.weekday) &&
         InRanges(s.years, c.year);
}

bool Contains(const Spec& s, const TimeZone& zone, std::int64_t unix_s) {
  CivilTime c = zone.ToCivil(unix_s);
  return TimesMatch(s, c) && DayMatches(s, c);
}

// An instant no later than the spec's next match after unix_s (which does not
// match), so that the search can jump there: the next start time today, else the
// start of the next day, month or year that can match.
std::int64_t NextCandidate(const Spec& s, const TimeZone& zone, std::int64_t unix_s) {
  CivilTime c = zone.ToCivil(unix_s);
  std::int64_t today = DaysFromCivil(c.year, c.month, c.day) * kDay;  // wall seconds
  if (!InRanges(s.years, c.year)) {
    bool later =
        std::any_of(s.years.begin(), s.years.end(), [&](const Range& r) { return r.end > c.year; });
    if (!later) return kNever;
    return zone.FromLocal(DaysFromCivil(c.year + 1, 1, 1) * kDay);
  }
  if (!InRanges(s.months, c.month)) {
    int y = c.month == 12 ? c.year + 1 : c.year, m = c.month == 12 ? 1 : c.month + 1;
    return zone.FromLocal(DaysFromCivil(y, m, 1) * kDay);
  }
  if (DayMatches(s, c)) {
    int minute = c.hour * 60 + c.minute;
    int next = std::numeric_limits<int>::max();
    for (const Spec::MinuteRange& r : s.times) {
      if (r.start > minute && r.start < r.end) next = std::min(next, r.start);
    }
    if (next < 24 * 60) return zone.FromLocal(today + next * 60);
  }
  return zone.FromLocal(today + kDay);
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

Result<TimeIntervals> TimeIntervals::Compile(
    const std::vector<config::TimeIntervalConfig>& configs) {
  auto intervals = std::make_shared<std::map<std::string, Compiled, std::less<>>>();
  for (const config::TimeIntervalConfig& cfg : configs) {
    Compiled compiled;
    for (const Spec& spec : cfg.intervals) {
      Result<TimeZone> zone = TimeZone::Load(spec.location);
      if (!zone.ok()) {
        return Status::BadData(
            fmt::format("cannot compile time interval {}: {}", cfg.name, zone.status().message()));
      }
      compiled.specs.push_back({spec, *zone});
    }
    (*intervals)[cfg.name] = std::move(compiled);
  }
  TimeIntervals out;
  out.intervals_ = std::move(intervals);
  return out;
}

bool TimeIntervals::Has(std::string_view name) const {
  return intervals_ && intervals_->find(name) != intervals_->end();
}

bool TimeIntervals::AnyActive(const std::vector<std::string>& names, std::int64_t t_ms) const {
  if (!intervals_) return false;
  std::int64_t unix_s = FloorDiv(t_ms, 1000);
  for (const std::string& name : names) {
    auto it = intervals_->find(name);
    if (it == intervals_->end()) continue;
    for (const Compiled::Spec& spec : it->second.specs) {
      if (Contains(spec.spec, spec.zone, unix_s)) return true;
    }
  }
  return false;
}

std::optional<std::int64_t> TimeIntervals::NextActive(const std::vector<std::string>& names,
                                                      std::int64_t t_ms) const {
  if (!intervals_) return std::nullopt;
  std::vector<const Compiled::Spec*> specs;
  for (const std::string& name : names) {
    auto it = intervals_->find(name);
    if (it == intervals_->end()) continue;
    for (const Compiled::Spec& spec : it->second.specs) specs.push_back(&spec);
  }
  if (specs.empty()) return std::nullopt;
  if (AnyActive(names, t_ms)) return t_ms;
  // Zone offsets are whole minutes, so activity only changes on minute boundaries.
  std::int64_t start = FloorDiv(t_ms, 60'000) * 60;
  std::int64_t limit = start + kSearchLimit;
  for (std::int64_t s = start + 60; s <= limit;) {
    std::int64_t next = kNever;
    for (const Compiled::Spec* spec : specs) {
      if (Contains(spec->spec, spec->zone, s)) return s * 1000;
      next = std::min(next, NextCandidate(spec->spec, spec->zone, s));
    }
    if (next == kNever) return std::nullopt;
    s = std::max(s + 60, -FloorDiv(-next, 60) * 60);  // next, rounded up to the minute
  }
  return std::nullopt;
}

}  // namespace hw::alerting
