// Literal scanning for the lexer: numbers, durations and quoted strings, plus the
// decoding of string escapes (Unquote) and number text (ParseNumber).
#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <limits>

#include "promql/lexer.h"
#include "promql/lexer_internal.h"

namespace hw::promql {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsWordChar(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// Consumes digits (per `is_digit`) with single '_' allowed between two digits.
template <typename Pred>
size_t ScanDigits(std::string_view in, size_t i, Pred is_digit) {
  while (i < in.size()) {
    if (is_digit(in[i])) {
      ++i;
    } else if (in[i] == '_' && i > 0 && is_digit(in[i - 1]) && i + 1 < in.size() &&
               is_digit(in[i + 1])) {
      ++i;
    } else {
      break;
    }
  }
  return i;
}

// The duration unit at in[i] ("ms" before "m"), or 0 if none; returns its length.
size_t UnitLength(std::string_view in, size_t i, int* rank) {
  static constexpr std::string_view kUnits[] = {"y", "w", "d", "h", "m", "s", "ms"};
  if (in.substr(i, 2) == "ms") {
    *rank = 6;
    return 2;
  }
  for (int u = 0; u < 6; ++u) {
    if (i < in.size() && in[i] == kUnits[u][0]) {
      *rank = u;
      return 1;
    }
  }
  return 0;
}

size_t BadNumber(std::string_view in, size_t start, size_t end, std::string* error) {
  if (end < in.size() && (IsWordChar(in[end]) || in[end] == '.')) ++end;
  *error = fmt::format("bad number or duration syntax: \"{}\"", in.substr(start, end - start));
  return end;
}

}  // namespace

size_t ScanNumber(std::string_view in, size_t start, bool* is_duration, std::string* error) {
  *is_duration = false;
  size_t i = start;
  if (in[i] == '0' && i + 2 < in.size() && (in[i + 1] == 'x' || in[i + 1] == 'X') &&
      IsHex(in[i + 2])) {
    i = ScanDigits(in, i + 2, IsHex);
    if (i < in.size() && (IsWordChar(in[i]) || in[i] == '.')) return BadNumber(in, start, i, error);
    return i;
  }
  i = ScanDigits(in, i, IsDigit);
  bool plain_integer = true;
  if (i < in.size() && in[i] == '.') {
    plain_integer = false;
    i = ScanDigits(in, i + 1, IsDigit);
  }
  if (i < in.size() && (in[i] == 'e' || in[i] == 'E')) {
    size_t j = i + 1;
    if (j < in.size() && (in[j] == '+' || in[j] == '-')) ++j;
    if (j < in.size() && IsDigit(in[j])) {
      plain_integer = false;
      i = ScanDigits(in, j, IsDigit);
    }
  }
  int rank = 0;
  if (plain_integer && UnitLength(in, i, &rank) > 0) {
    // A duration: (<digits><unit>)+ with units in decreasing order, each once.
    int last_rank = -1;
    bool ordered = true;
    while (true) {
      size_t len = UnitLength(in, i, &rank);
      if (len == 0) return BadNumber(in, start, i, error);
      if (rank <= last_rank) ordered = false;
      last_rank = rank;
      i += len;
      if (i < in.size() && IsDigit(in[i])) {
        i = ScanDigits(in, i, IsDigit);
        continue;
      }
      break;
    }
    if (i < in.size() && (IsWordChar(in[i]) || in[i] == '.')) return BadNumber(in, start, i, error);
    if (!ordered) {
      *error = fmt::format("not a valid duration string: \"{}\"", in.substr(start, i - start));
      return i;
    }
    *is_duration = true;
    return i;
  }
  if (i < in.size() && (IsWordChar(in[i]) || in[i] == '.')) return BadNumber(in, start, i, error);
  return i;
}

size_t ScanString(std::string_view in, size_t start, std::string* error, size_t* error_pos) {
  char quote = in[start];
  size_t i = start + 1;
  if (quote == '`') {
    while (i < in.size() && in[i] != '`') ++i;
    if (i >= in.size()) {
      *error = "unterminated raw string";
      *error_pos = start;
      return in.size();
    }
    return i + 1;
  }
  while (true) {
    if (i >= in.size() || in[i] == '\n') {
      *error = "unterminated quoted string";
      *error_pos = start;
      return i;
    }
    char c = in[i++];
    if (c == quote) return i;
    if (c == '\\') {
      if (!DecodeEscape(in, &i, quote, nullptr, error)) {
        *error_pos = start;
        return std::min(i, in.size());
      }
    }
  }
}

bool DecodeEscape(std::string_view s, size_t* i, char quote, std::string* out, std::string* error) {
  if (*i >= s.size()) {
    *error = "escape sequence not terminated";
    return false;
  }
  char c = s[*i];
  auto put = [out](char ch) {
    if (out != nullptr) out->push_back(ch);
  };
  switch (c) {
    case 'a':
      put('\a');
      ++*i;
      return true;
    case 'b':
      put('\b');
      ++*i;
      return true;
    case 'f':
      put('\f');
      ++*i;
      return true;
    case 'n':
      put('\n');
      ++*i;
      return true;
    case 'r':
      put('\r');
      ++*i;
      return true;
    case 't':
      put('\t');
      ++*i;
      return true;
    case 'v':
      put('\v');
      ++*i;
      return true;
    case '\\':
      put('\\');
      ++*i;
      return true;
    default:
      break;
  }
  if (c == quote) {
    put(c);
    ++*i;
    return true;
  }
  int digits = 0;
  int base = 0;
  uint32_t max = 0;
  if (c >= '0' && c <= '7') {
    digits = 3, base = 8, max = 255;
  } else if (c == 'x') {
    digits = 2, base = 16, max = 255, ++*i;
  } else if (c == 'u') {
    digits = 4, base = 16, max = 0x10FFFF, ++*i;
  } else if (c == 'U') {
    digits = 8, base = 16, max = 0x10FFFF, ++*i;
  } else {
    size_t j = *i;
    uint32_t rune = 0;
    DecodeUtf8(s, &j, &rune);
    *error = "unknown escape sequence " + FormatRuneU(rune);
    return false;
  }
  uint64_t value = 0;
  for (int d = 0; d < digits; ++d) {
    if (*i >= s.size()) {
      *error = "escape sequence not terminated";
      return false;
    }
    char h = s[*i];
    bool ok = base == 8 ? (h >= '0' && h <= '7') : IsHex(h);
    if (!ok) {
      size_t j = *i;
      uint32_t rune = 0;
      DecodeUtf8(s, &j, &rune);
      *error = "illegal character " + FormatRuneU(rune) + " in escape sequence";
      return false;
    }
    value = value * base + HexValue(h);
    ++*i;
  }
  if (value > max || (max > 255 && value >= 0xD800 && value < 0xE000)) {
    *error = base == 8 ? fmt::format("octal escape value > 255: {}", value)
                       : "escape sequence is an invalid Unicode code point";
    return false;
  }
  if (out != nullptr) {
    if (max == 255) {
      out->push_back(static_cast<char>(value));
    } else {
      AppendUtf8(static_cast<uint32_t>(value), out);
    }
  }
  return true;
}

Result<std::string> Unquote(std::string_view quoted) {
  if (quoted.size() < 2 || quoted.front() != quoted.back()) {
    return Status::BadData("invalid syntax");
  }
  char quote = quoted.front();
  std::string_view body = quoted.substr(1, quoted.size() - 2);
  // The raw text must be valid UTF-8; escapes may still produce arbitrary bytes.
  for (size_t i = 0; i < body.size();) {
    uint32_t rune = 0;
    if (!DecodeUtf8(body, &i, &rune)) return Status::BadData("invalid UTF-8 rune");
  }
  if (quote == '`') return std::string(body);
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size();) {
    char c = body[i++];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    std::string error;
    if (!DecodeEscape(body, &i, quote, &out, &error)) return Status::BadData(error);
  }
  return out;
}

}  // namespace hw::promql
