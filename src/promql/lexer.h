// Lexer for PromQL: turns a query string into tokens with byte positions.
//
// The lexer tracks the two contexts where PromQL's lexical rules change, the way
// Prometheus' own lexer does: inside `{...}` (label matchers: `=~`/`!~` are operators,
// digits and `:` are not allowed) and inside `[...]` (range / subquery / duration
// expressions: `:` is a separator, never part of an identifier). Keywords are not
// distinguished here: every word is a kIdentifier and the parser decides by context
// (PromQL keywords are case-insensitive and most of them may also be metric names).
// `#` starts a comment that runs to the end of the line.
//
// The first lexical error ends the token stream with a kError token carrying the
// message (Prometheus' wording) and the offending position; everything before it is
// still returned, so the parser reports whichever error comes first in the input.
//
// Thread-safety: Lex() is a pure function of its input; tokens hold views into the
// input string, which must outlive them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hw::promql {

enum class TokenKind {
  kEof,
  kError,
  kIdentifier,  // [a-zA-Z_:][a-zA-Z0-9_:]* (no ':' inside braces or brackets)
  kNumber,      // 1, 1.5, .5, 1e3, 0x1F, 0755, 1_000 (Inf/NaN are identifiers)
  kDuration,    // 5m, 1h30m, 250ms
  kString,      // "..." '...' `...` (text keeps the quotes; see Unquote)
  kLeftParen,
  kRightParen,
  kLeftBrace,
  kRightBrace,
  kLeftBracket,
  kRightBracket,
  kComma,
  kColon,
  kAssign,        // =
  kEql,           // ==
  kNeq,           // !=
  kLss,           // <
  kLte,           // <=
  kGtr,           // >
  kGte,           // >=
  kTrimUpper,     // </
  kTrimLower,     // >/
  kRegexMatch,    // =~ (inside braces only)
  kRegexNoMatch,  // !~ (inside braces only)
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPow,
  kAt,
};

struct Token {
  TokenKind kind = TokenKind::kEof;
  int pos = 0;            // byte offset of the first character
  int end = 0;            // byte offset one past the last character
  std::string_view text;  // the source text of the token
  std::string error;      // kError only: what is wrong (Prometheus' wording)
};

// Tokenizes `input`. The result always ends with exactly one kEof or kError token.
std::vector<Token> Lex(std::string_view input);

// How a token reads in an error message, following Prometheus: `end of input`,
// `identifier "foo"`, `number "1"`, `string "\"a\""`, `<op:*>`, `"="`, `<by>`, ...
std::string DescribeToken(const Token& token);

// Decodes a string token's text (quotes included) the way Go's strconv.Unquote does:
// escapes \a \b \f \n \r \t \v \\ \' \" \xHH \ooo \uHHHH \UHHHHHHHH in '...' and "...",
// none in `...`. Errors use Prometheus' wording ("unknown escape sequence U+0063 'c'").
Result<std::string> Unquote(std::string_view quoted);

// Prometheus' number syntax: decimal and float (with `_` between digits), hex 0x..,
// octal 0..., Inf, NaN (any case). Returns kBadData for anything else.
Result<double> ParseNumber(std::string_view text);

// True if `word` (any case) is a PromQL keyword: an aggregation operator, a binary
// operator word (and, or, unless, atan2) or a modifier (by, without, on, ignoring,
// group_left, group_right, bool, offset, start, end).
bool IsKeyword(std::string_view word);

// ASCII lower-casing, used for case-insensitive keyword matching.
std::string ToLower(std::string_view s);

}  // namespace hw::promql
