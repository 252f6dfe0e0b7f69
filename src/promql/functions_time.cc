// time() and the calendar functions (UTC), which read a vector of Unix seconds or,
// without an argument, the evaluation time.
#include <cmath>
#include <cstdint>

#include "promql/functions_impl.h"

namespace hw::promql {
namespace {

struct Civil {
  std::int64_t year;
  int month, day, hour, minute, yday, wday;
};

// Days since 1970-01-01 -> proleptic Gregorian date (Howard Hinnant's algorithm).
Civil ToCivil(std::int64_t secs) {
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  Civil c{};
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>(rem % 3600 / 60);
  c.wday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
  std::int64_t z = days + 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = c.month <= 2 ? y + 1 : y;
  bool leap = (c.year % 4 == 0 && c.year % 100 != 0) || c.year % 400 == 0;
  static const int kCum[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  c.yday = kCum[c.month - 1] + c.day + (leap && c.month > 2 ? 1 : 0);
  return c;
}

int DaysIn(std::int64_t year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

template <double (*F)(const Civil&)>
Value Calendar(Evaluator& ev, const Call&, std::vector<Value>& a) {
  Value in;
  if (a.empty()) {
    in.type = ValueType::kVector;
    std::vector<double> t(ev.steps());
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = static_cast<double>(ev.Ts(i)) / 1000.0;
    in.series.push_back(StepSeries{model::Labels(), std::move(t), false});
  } else {
    in = std::move(a[0]);
  }
  return MapValues(ev, std::move(in), [](double x, std::size_t) {
    if (std::isnan(x) || std::isinf(x)) return x;
    return F(ToCivil(static_cast<std::int64_t>(x)));
  });
}

double DayOfMonth(const Civil& c) { return c.day; }
double DayOfWeek(const Civil& c) { return c.wday; }
double DayOfYear(const Civil& c) { return c.yday; }
double DaysInMonth(const Civil& c) { return DaysIn(c.year, c.month); }
double Hour(const Civil& c) { return c.hour; }
double Minute(const Civil& c) { return c.minute; }
double Month(const Civil& c) { return c.month; }
double Year(const Civil& c) { return static_cast<double>(c.year); }

Value Time(Evaluator& ev, const Call&, std::vector<Value>&) {
  std::vector<double> t(ev.steps());
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = static_cast<double>(ev.Ts(i)) / 1000.0;
  return ev.ScalarSeries(std::move(t));
}

}  // namespace

void RegisterTimeFunctions(FuncMap& m) {
  m["time"] = Time;
  m["day_of_month"] = Calendar<DayOfMonth>;
  m["day_of_week"] = Calendar<DayOfWeek>;
  m["day_of_year"] = Calendar<DayOfYear>;
  m["days_in_month"] = Calendar<DaysInMonth>;
  m["hour"] = Calendar<Hour>;
  m["minute"] = Calendar<Minute>;
  m["month"] = Calendar<Month>;
  m["year"] = Calendar<Year>;
}

}  // namespace hw::promql
