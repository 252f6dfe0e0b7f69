// How tokens and runes read in error messages, UTF-8 helpers, keyword lookup and
// number text.
#include <fmt/format.h>

#include <array>
#include <charconv>
#include <limits>

#include "model/labels.h"
#include "promql/lexer.h"
#include "promql/lexer_internal.h"

namespace hw::promql {
namespace {

constexpr std::array<std::string_view, 14> kAggregators = {
    "sum",    "avg",  "count",   "min",          "max",      "group",  "stddev",
    "stdvar", "topk", "bottomk", "count_values", "quantile", "limitk", "limit_ratio"};
constexpr std::array<std::string_view, 4> kOperatorWords = {"and", "or", "unless", "atan2"};
constexpr std::array<std::string_view, 10> kModifierWords = {
    "by",          "without", "on",     "ignoring", "group_left",
    "group_right", "bool",    "offset", "start",    "end"};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& set, std::string_view word) {
  for (std::string_view w : set) {
    if (w == word) return true;
  }
  return false;
}

bool IsPrintable(uint32_t r) { return (r >= 0x20 && r < 0x7f) || (r >= 0xa0 && r != 0xfffd); }

}  // namespace

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsKeyword(std::string_view word) {
  std::string w = ToLower(word);
  return Contains(kAggregators, w) || Contains(kOperatorWords, w) || Contains(kModifierWords, w);
}

std::string FormatRuneU(uint32_t rune) {
  std::string out = fmt::format("U+{:04X}", rune);
  if (IsPrintable(rune)) {
    out += " '";
    AppendUtf8(rune, &out);
    out += "'";
  }
  return out;
}

std::string QuoteRuneAt(std::string_view in, size_t pos) {
  if (pos >= in.size()) return "end of input";
  uint32_t r = 0;
  size_t i = pos;
  DecodeUtf8(in, &i, &r);
  switch (r) {
    case '\n':
      return "'\\n'";
    case '\t':
      return "'\\t'";
    case '\r':
      return "'\\r'";
    case '\'':
      return "'\\''";
    case '\\':
      return "'\\\\'";
    default:
      break;
  }
  if (r < 0x20 || r == 0x7f) return fmt::format("'\\x{:02x}'", r);
  std::string out = "'";
  AppendUtf8(r, &out);
  out += "'";
  return out;
}

std::string DescribeToken(const Token& t) {
  auto quoted = [](std::string_view s) {
    std::string out;
    model::AppendQuoted(&out, s);
    return out;
  };
  switch (t.kind) {
    case TokenKind::kEof:
      return "end of input";
    case TokenKind::kError:
      return t.error;
    case TokenKind::kIdentifier: {
      std::string w = ToLower(t.text);
      if (Contains(kAggregators, w)) return "<aggr:" + w + ">";
      if (Contains(kOperatorWords, w)) return "<op:" + w + ">";
      if (Contains(kModifierWords, w)) return "<" + w + ">";
      if (t.text.find(':') != std::string_view::npos) return "metric identifier " + quoted(t.text);
      return "identifier " + quoted(t.text);
    }
    case TokenKind::kNumber:
      return "number " + quoted(t.text);
    case TokenKind::kDuration:
      return "duration " + quoted(t.text);
    case TokenKind::kString:
      return "string " + quoted(t.text);
    case TokenKind::kLeftParen:
    case TokenKind::kRightParen:
    case TokenKind::kLeftBrace:
    case TokenKind::kRightBrace:
    case TokenKind::kLeftBracket:
    case TokenKind::kRightBracket:
    case TokenKind::kComma:
    case TokenKind::kColon:
    case TokenKind::kAssign:
      return quoted(t.text);
    default:
      return fmt::format("<op:{}>", t.text);
  }
}

Result<double> ParseNumber(std::string_view text) {
  std::string lower = ToLower(text);
  std::string_view t = lower;
  bool negative = false;
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) {
    negative = t[0] == '-';
    t.remove_prefix(1);
  }
  double v = 0;
  if (t == "inf") {
    v = std::numeric_limits<double>::infinity();
  } else if (t == "nan") {
    v = std::numeric_limits<double>::quiet_NaN();
  } else {
    std::string digits;
    for (char c : t) {
      if (c != '_') digits.push_back(c);
    }
    auto fail = [&] {
      return Status::BadData(
          fmt::format("error parsing number: strconv.ParseFloat: parsing \"{}\": {}", text,
                      "value out of range"));
    };
    const char* b = digits.data();
    const char* e = b + digits.size();
    bool all_octal = digits.size() > 1 && digits[0] == '0' &&
                     digits.find_first_not_of("01234567") == std::string::npos;
    if (digits.size() > 2 && digits[0] == '0' && digits[1] == 'x') {
      uint64_t n = 0;
      auto r = std::from_chars(b + 2, e, n, 16);
      if (r.ec != std::errc() || r.ptr != e) return fail();
      v = static_cast<double>(n);
    } else if (all_octal) {
      uint64_t n = 0;
      auto r = std::from_chars(b + 1, e, n, 8);
      if (r.ec != std::errc() || r.ptr != e) return fail();
      v = static_cast<double>(n);
    } else {
      auto r = std::from_chars(b, e, v);
      if (r.ec == std::errc::result_out_of_range) {
        // Underflow rounds to zero like Go; overflow is an error like Go.
        if (std::string_view(digits).find_first_of("123456789") != std::string_view::npos &&
            digits.find('e') != std::string::npos && digits.find("e-") != std::string::npos) {
          v = 0;
        } else {
          return fail();
        }
      } else if (r.ec != std::errc() || r.ptr != e) {
        return Status::BadData(fmt::format("error parsing number: invalid syntax \"{}\"", text));
      }
    }
  }
  return negative ? -v : v;
}

}  // namespace hw::promql
