#include "base/units.h"

#include <cctype>
#include <cstdint>
#include <ctime>
#include <limits>

#include <fmt/format.h>

namespace hw {
namespace {

struct Unit {
  std::string_view name;
  std::int64_t ms;
};

// In decreasing magnitude: the order a duration must write them in.
constexpr Unit kDurationUnits[] = {
    {"y", 365LL * 24 * 3600 * 1000}, {"w", 7LL * 24 * 3600 * 1000}, {"d", 24LL * 3600 * 1000},
    {"h", 3600LL * 1000},            {"m", 60LL * 1000},            {"s", 1000},
    {"ms", 1},
};

// The unit at the start of `rest`, longest name first ("ms" is not "m"); -1 if none.
int MatchUnit(std::string_view rest) {
  int best = -1;
  for (int u = 0; u < static_cast<int>(std::size(kDurationUnits)); ++u) {
    std::string_view name = kDurationUnits[u].name;
    if (rest.starts_with(name) && (best < 0 || name.size() > kDurationUnits[best].name.size())) {
      best = u;
    }
  }
  return best;
}

}  // namespace

Result<Duration> ParseDuration(std::string_view text) {
  if (text == "0") return Duration(0);
  if (text.empty()) return Status::BadData("cannot parse duration \"\": empty string");
  std::int64_t total = 0;
  int last_unit = -1;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    std::int64_t n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (n > std::numeric_limits<std::int64_t>::max() / 10) {
        return Status::BadData(fmt::format("cannot parse duration \"{}\": too large", text));
      }
      n = n * 10 + (text[i] - '0');
      ++i;
    }
    if (i == start) {
      return Status::BadData(fmt::format(
          "cannot parse duration \"{}\": expected a number at offset {}", text, start));
    }
    int unit = MatchUnit(text.substr(i));
    if (unit < 0) {
      return Status::BadData(fmt::format(
          "cannot parse duration \"{}\": expected a unit (y, w, d, h, m, s, ms) at offset {}",
          text, i));
    }
    // Units must appear in decreasing order, each at most once ("1h30m", not "30m1h").
    if (unit <= last_unit) {
      return Status::BadData(
          fmt::format("cannot parse duration \"{}\": units out of order", text));
    }
    last_unit = unit;
    i += kDurationUnits[unit].name.size();
    if (n > std::numeric_limits<std::int64_t>::max() / kDurationUnits[unit].ms) {
      return Status::BadData(fmt::format("cannot parse duration \"{}\": too large", text));
    }
    total += n * kDurationUnits[unit].ms;
  }
  return Duration(total);
}

std::string FormatDuration(Duration d) {
  std::int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out += '-';
    ms = -ms;
  }
  for (const Unit& u : kDurationUnits) {
    if (ms >= u.ms) {
      out += std::to_string(ms / u.ms);
      out += u.name;
      ms %= u.ms;
    }
  }
  return out;
}

Result<std::uint64_t> ParseBytes(std::string_view text) {
  size_t i = 0;
  std::uint64_t n = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (n > std::numeric_limits<std::uint64_t>::max() / 10) {
      return Status::BadData(fmt::format("cannot parse size \"{}\": too large", text));
    }
    n = n * 10 + static_cast<std::uint64_t>(text[i] - '0');
    ++i;
  }
  if (i == 0) {
    return Status::BadData(fmt::format("cannot parse size \"{}\": expected a number", text));
  }
  std::string_view unit = text.substr(i);
  struct SizeUnit {
    std::string_view name;
    int shift;
  };
  constexpr SizeUnit kUnits[] = {{"", 0},     {"B", 0},    {"KB", 10},  {"KiB", 10},
                                 {"MB", 20},  {"MiB", 20}, {"GB", 30},  {"GiB", 30},
                                 {"TB", 40},  {"TiB", 40}, {"PB", 50},  {"PiB", 50},
                                 {"EB", 60},  {"EiB", 60}};
  for (const SizeUnit& u : kUnits) {
    if (unit == u.name) {
      if (u.shift > 0 && n > (std::numeric_limits<std::uint64_t>::max() >> u.shift)) {
        return Status::BadData(fmt::format("cannot parse size \"{}\": too large", text));
      }
      return n << u.shift;
    }
  }
  return Status::BadData(fmt::format(
      "cannot parse size \"{}\": unknown unit \"{}\" (use B, KB, MB, GB, TB, KiB, MiB, GiB)",
      text, unit));
}

std::string FormatRfc3339Millis(std::int64_t ms) {
  std::int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int frac = static_cast<int>(ms - secs * 1000);
  std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (frac != 0) {
    std::string f = fmt::format("{:03}", frac);
    while (f.back() == '0') f.pop_back();
    out += '.';
    out += f;
  }
  out += 'Z';
  return out;
}

Result<std::int64_t> ParseRfc3339Millis(std::string_view text) {
  auto fail = [&] {
    return Status::BadData(fmt::format("cannot parse \"{}\" as an RFC 3339 time", text));
  };
  // 2006-01-02T15:04:05[.frac](Z|+hh:mm|-hh:mm)
  auto digits = [&](std::size_t pos, std::size_t n, int* out) {
    if (pos + n > text.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
  };
  int year, month, day, hour, minute, second;
  if (!digits(0, 4, &year) || text.size() < 20 || text[4] != '-' || !digits(5, 2, &month) ||
      text[7] != '-' || !digits(8, 2, &day) || (text[10] != 'T' && text[10] != 't') ||
      !digits(11, 2, &hour) || text[13] != ':' || !digits(14, 2, &minute) || text[16] != ':' ||
      !digits(17, 2, &second)) {
    return fail();
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return fail();
  }
  // As Go's time.Parse: no February 30th (normalised into March, it would hide a typo).
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  static constexpr int kDaysIn[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day > kDaysIn[month - 1] + (month == 2 && leap)) {
    return Status::BadData(fmt::format("cannot parse \"{}\" as an RFC 3339 time: day out of range",
                                       text));
  }
  std::size_t pos = 19;
  std::int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int scale = 100, n = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      millis += scale * (text[pos] - '0');
      scale /= 10;
      ++pos;
      ++n;
    }
    if (n == 0) return fail();
  }
  std::int64_t offset_s = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh, om;
    if (!digits(pos + 1, 2, &oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !digits(pos + 4, 2, &om)) {
      return fail();
    }
    if (oh > 23 || om > 59) {  // as Go's RFC 3339 parser (time.Parse's general path is looser)
      return Status::BadData(
          fmt::format("cannot parse \"{}\" as an RFC 3339 time: time zone offset out of range", text));
    }
    offset_s = (text[pos] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    pos += 6;
  } else {
    return fail();
  }
  if (pos != text.size()) return fail();
  // Days from the civil date (proleptic Gregorian), Howard Hinnant's algorithm.
  const int y = year - (month <= 2);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
  const std::int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_s;
  return secs * 1000 + millis;
}

}  // namespace hw
