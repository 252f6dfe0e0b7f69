#include "api/params.h"

#include <charconv>
#include <cmath>
#include <ctime>

#include <fmt/format.h>

#include "base/units.h"
#include "promql/parser.h"

namespace hw::api {
namespace {

Status BadParam(std::string_view name, std::string_view value, std::string_view what) {
  return Status::BadData(
      fmt::format("invalid parameter \"{}\": cannot parse \"{}\" to a valid {}", name, value, what));
}

// RFC 3339: YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM).
std::optional<std::int64_t> ParseRfc3339(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (s.size() < 20 || std::sscanf(std::string(s.substr(0, 19)).c_str(), "%4d-%2d-%2dT%2d:%2d:%2d",
                                   &y, &mo, &d, &h, &mi, &sec) != 6) {
    return std::nullopt;
  }
  if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  size_t i = 19;
  std::int64_t frac_ms = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int digits = 0;
    std::int64_t scale = 100;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      if (digits < 3) frac_ms += (s[i] - '0') * scale;
      scale /= 10;
      ++digits;
      ++i;
    }
    if (digits == 0) return std::nullopt;
  }
  std::int64_t offset_s = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i + 6 == s.size() && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
    int oh = 0, om = 0;
    if (std::sscanf(std::string(s.substr(i + 1)).c_str(), "%2d:%2d", &oh, &om) != 2) return std::nullopt;
    offset_s = (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  std::int64_t secs = static_cast<std::int64_t>(timegm(&tm)) - offset_s;
  return secs * 1000 + frac_ms;
}

}  // namespace

Result<std::int64_t> ParseTimeParam(std::string_view name, std::string_view value) {
  double f = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), f);
  if (ec == std::errc() && end == value.data() + value.size() && std::isfinite(f)) {
    double ms = std::round(f * 1000);
    if (ms < static_cast<double>(kMinTime)) return kMinTime;
    if (ms > static_cast<double>(kMaxTime)) return kMaxTime;
    return static_cast<std::int64_t>(ms);
  }
  if (std::optional<std::int64_t> t = ParseRfc3339(value)) return *t;
  // Prometheus' clients send its min/max sentinels formatted as RFC 3339.
  if (value.starts_with("-292273086-")) return kMinTime;
  if (value.starts_with("292277025-")) return kMaxTime;
  return BadParam(name, value, "timestamp");
}

Result<std::int64_t> TimeParamOr(const http::Request& req, std::string_view name,
                                 std::int64_t fallback) {
  std::optional<std::string> v = req.Param(name);
  if (!v || v->empty()) return fallback;
  return ParseTimeParam(name, *v);
}

Result<std::int64_t> ParseDurationParam(std::string_view name, std::string_view value) {
  double f = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), f);
  if (ec == std::errc() && end == value.data() + value.size()) {
    if (!std::isfinite(f) || f * 1000 > 9.2e18 || f * 1000 < -9.2e18) {
      return BadParam(name, value, "duration");
    }
    return static_cast<std::int64_t>(std::round(f * 1000));
  }
  Result<Duration> d = ParseDuration(value);
  if (!d.ok()) return BadParam(name, value, "duration");
  return d->count();
}

Result<std::vector<std::vector<model::Matcher>>> MatchParams(const http::Request& req) {
  std::vector<std::vector<model::Matcher>> out;
  for (const std::string& m : req.Params("match[]")) {
    Result<std::vector<model::Matcher>> sel = promql::ParseMetricSelector(m);
    if (!sel.ok()) {
      return Status::BadData(fmt::format("invalid parameter \"match[]\": {}", sel.status().message()));
    }
    out.push_back(std::move(sel).value());
  }
  return out;
}

}  // namespace hw::api
