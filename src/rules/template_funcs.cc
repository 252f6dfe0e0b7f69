// Prometheus' template number formatting (template/template.go) and Go's float
// formatting, reproduced so rule output reads exactly as it does in Prometheus.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>

#include <fmt/format.h>

#include "rules/template.h"

namespace hw::rules {
namespace {

// C's %.4g equals Go's %.4g for finite numbers (both print at least two exponent digits).
std::string G4(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

}  // namespace

std::string FormatGoFloat(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string s(buf, res.ptr);
  bool neg = s[0] == '-';
  if (neg) s.erase(0, 1);
  std::size_t e = s.find('e');
  std::string digits;
  for (std::size_t i = 0; i < e; ++i) {
    if (s[i] != '.') digits.push_back(s[i]);
  }
  int exp = std::stoi(s.substr(e + 1));
  int nd = static_cast<int>(digits.size());
  int dp = exp + 1;
  std::string out = neg ? "-" : "";
  if (exp < -4 || exp >= 6 /* Go: eprec 6 for the shortest form */) {
    out += digits[0];
    if (nd > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += exp < 0 ? "e-" : "e+";
    int a = std::abs(exp);
    if (a < 10) out += '0';
    out += std::to_string(a);
    return out;
  }
  if (dp <= 0) {
    out += "0.";
    out.append(-dp, '0');
    out += digits;
  } else if (dp >= nd) {
    out += digits;
    out.append(dp - nd, '0');
  } else {
    out += digits.substr(0, dp);
    out += '.';
    out += digits.substr(dp);
  }
  return out;
}

std::string Humanize(double v) {
  if (v == 0 || std::isnan(v) || std::isinf(v)) return G4(v);
  if (std::fabs(v) >= 1) {
    std::string prefix;
    for (const char* p : {"k", "M", "G", "T", "P", "E", "Z", "Y"}) {
      if (std::fabs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return G4(v) + prefix;
  }
  std::string prefix;
  for (const char* p : {"m", "u", "n", "p", "f", "a", "z", "y"}) {
    if (std::fabs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return G4(v) + prefix;
}

std::string Humanize1024(double v) {
  if (std::fabs(v) <= 1 || std::isnan(v) || std::isinf(v)) return G4(v);
  std::string prefix;
  for (const char* p : {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"}) {
    if (std::fabs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return G4(v) + prefix;
}

std::string HumanizeDuration(double v) {
  if (std::isnan(v) || std::isinf(v)) return G4(v);
  if (v == 0) return G4(v) + "s";
  if (std::fabs(v) >= 1) {
    std::string sign;
    if (v < 0) {
      sign = "-";
      v = -v;
    }
    auto d = static_cast<std::int64_t>(v);
    std::int64_t seconds = d % 60, minutes = (d / 60) % 60, hours = (d / 3600) % 24,
                 days = d / 86400;
    if (days != 0) return fmt::format("{}{}d {}h {}m {}s", sign, days, hours, minutes, seconds);
    if (hours != 0) return fmt::format("{}{}h {}m {}s", sign, hours, minutes, seconds);
    if (minutes != 0) return fmt::format("{}{}m {}s", sign, minutes, seconds);
    return sign + G4(v) + "s";
  }
  std::string prefix;
  for (const char* p : {"m", "u", "n", "p", "f", "a", "z", "y"}) {
    if (std::fabs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return G4(v) + prefix + "s";
}

std::string HumanizePercentage(double v) { return G4(v * 100) + "%"; }

// Go's time.Time.String() in UTC: "2006-01-02 15:04:05.999999999 +0000 UTC".
std::string HumanizeTimestamp(double v) {
  if (std::isnan(v) || std::isinf(v)) return G4(v);
  // As Prometheus' floatToTime: time.Unix(0, int64(v * 1e9)).
  auto total = static_cast<std::int64_t>(v * 1e9);
  auto sec = static_cast<std::time_t>(total / 1'000'000'000);
  std::int64_t nanos = total % 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    --sec;
  }
  std::tm tm{};
  gmtime_r(&sec, &tm);
  std::string out = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (nanos != 0) {
    std::string frac = fmt::format("{:09}", nanos);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  return out + " +0000 UTC";
}

}  // namespace hw::rules
