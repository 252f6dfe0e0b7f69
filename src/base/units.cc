#include "base/units.h"

#include <cctype>
#include <cstdint>
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

}  // namespace hw
