// Number parsing for the exposition parsers: Go strconv.ParseFloat / ParseInt
// compatibility (see exposition_lex.h).
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "scrape/exposition_lex.h"

namespace hw::scrape::lex {
namespace {

// Go's math.NaN(): 0x7FF8000000000001. Not the stale marker (0x7ff0000000000002).
const double kGoNaN = std::bit_cast<double>(std::uint64_t{0x7FF8000000000001ULL});

bool EqualsIgnoreCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// strtod on a NUL-terminated copy; false on overflow (Go's ErrRange). Underflow to
// zero or a subnormal is a value, as in Go.
bool Strtod(const std::string& s, double* out) {
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return false;
  if (errno == ERANGE && std::isinf(v)) return false;
  *out = v;
  return true;
}

// [sign] 0x hexmantissa p [sign] digits, with Go's underscore rule: an underscore
// only between digits or between the prefix and a digit.
bool ParseHexFloat(std::string_view s, double* out) {
  std::string clean;
  clean.reserve(s.size());
  std::size_t i = 0;
  if (s[0] == '+' || s[0] == '-') clean.push_back(s[i++]);
  clean.append("0x");
  i += 2;
  char saw = '0';  // the prefix counts as a digit for the underscore rule
  int digits = 0;
  bool dot = false;
  for (; i < s.size() && s[i] != 'p' && s[i] != 'P'; ++i) {
    char c = s[i];
    if (IsHexDigit(c)) {
      ++digits, saw = '0';
      clean.push_back(c);
    } else if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
    } else if (c == '.' && !dot) {
      if (saw == '_') return false;
      dot = true, saw = '!';
      clean.push_back(c);
    } else {
      return false;
    }
  }
  if (saw == '_' || digits == 0 || i == s.size()) return false;  // 'p' is mandatory
  clean.push_back('p');
  ++i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) clean.push_back(s[i++]);
  std::size_t exp_start = i;
  for (; i < s.size(); ++i) {
    if (s[i] == '_') {
      if (i == exp_start || !IsDigit(s[i - 1]) || i + 1 == s.size() || !IsDigit(s[i + 1])) {
        return false;
      }
      continue;
    }
    if (!IsDigit(s[i])) return false;
    clean.push_back(s[i]);
  }
  if (i == exp_start) return false;
  return Strtod(clean, out);
}

}  // namespace

bool ParseFloat(std::string_view s, bool allow_hex, double* out) {
  if (s.empty()) return false;
  std::size_t i = 0;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i = 1;
    if (s.size() == 1) return false;
  }
  char c = s[i];
  if (c == 'i' || c == 'I') {
    std::string_view rest = s.substr(i);
    if (!EqualsIgnoreCase(rest, "inf") && !EqualsIgnoreCase(rest, "infinity")) return false;
    *out = neg ? -std::numeric_limits<double>::infinity()
               : std::numeric_limits<double>::infinity();
    return true;
  }
  if (c == 'n' || c == 'N') {
    if (i != 0 || !EqualsIgnoreCase(s, "nan")) return false;  // Go: no sign on NaN
    *out = kGoNaN;
    return true;
  }
  if (c == '0' && i + 1 < s.size() && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
    return allow_hex && ParseHexFloat(s, out);
  }
  // Decimal: digits [. digits] | . digits, then [eE [sign] digits].
  std::size_t j = i;
  int digits = 0;
  while (j < s.size() && IsDigit(s[j])) ++j, ++digits;
  if (j < s.size() && s[j] == '.') {
    ++j;
    while (j < s.size() && IsDigit(s[j])) ++j, ++digits;
  }
  if (digits == 0) return false;
  if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
    ++j;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    std::size_t exp_start = j;
    while (j < s.size() && IsDigit(s[j])) ++j;
    if (j == exp_start) return false;
  }
  if (j != s.size()) return false;
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data() + i, s.data() + s.size(), v);
  if (ec == std::errc() && ptr == s.data() + s.size()) {
    *out = neg ? -v : v;
    return true;
  }
  if (ec != std::errc::result_out_of_range) return false;
  return Strtod(std::string(s), out);
}

bool ParseInt64(std::string_view s, std::int64_t* out) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty() || s[0] == '+') return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool ParseSecondsAsMs(std::string_view s, std::int64_t* ms) {
  double sec;
  if (!ParseFloat(s, /*allow_hex=*/false, &sec) || !std::isfinite(sec)) return false;
  double v = sec * 1000;
  // Keep int64(v) defined: |v| must stay below 2^63.
  if (!(v > -9.2e18 && v < 9.2e18)) return false;
  *ms = static_cast<std::int64_t>(v);
  return true;
}

}  // namespace hw::scrape::lex
