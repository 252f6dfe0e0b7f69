// Scanning helpers shared by the lexer, the string unquoter and error messages.
// Internal to src/promql; not part of the public API.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/utf8.h"  // DecodeUtf8, AppendUtf8

namespace hw::promql {

// Scans a number or duration starting at `start` (a digit, or '.' before a digit).
// Returns the end offset. On a malformed literal sets *error to
// `bad number or duration syntax: "..."` (or `not a valid duration string: "..."`).
size_t ScanNumber(std::string_view in, size_t start, bool* is_duration, std::string* error);

// Scans a quoted string starting at the opening quote and returns the end offset (one
// past the closing quote). Validates escape sequences; on error sets *error and
// *error_pos.
size_t ScanString(std::string_view in, size_t start, std::string* error, size_t* error_pos);

// Go's %q for the rune at in[pos]: '.', '\n', '\x00', '☺'; "end of input" at the end.
std::string QuoteRuneAt(std::string_view in, size_t pos);

// Go's %#U for a rune: U+0063 'c' (printable) or U+000A (not printable).
std::string FormatRuneU(uint32_t rune);

// Decodes the escape sequence whose backslash is at s[*i - 1] (so *i points at the
// character after the backslash), inside a string quoted with `quote`. Appends the
// decoded bytes to *out (if non-null) and advances *i past the sequence.
bool DecodeEscape(std::string_view s, size_t* i, char quote, std::string* out, std::string* error);

}  // namespace hw::promql
