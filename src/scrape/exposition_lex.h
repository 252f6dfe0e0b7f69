// Internal to scrape/: the lexical pieces both exposition parsers share — name
// scanning, quoted strings and their escapes, label sets, Go-compatible number
// parsing. Not part of the public API; the parsers' headers are.
//
// The two dialects differ where the formats do:
//   text 0.0.4:  blanks/tabs may surround every token inside a label set; in quoted
//                strings \\ \" \n are decoded and any other escape is kept as written
//                (Prometheus' replacer does the same); hex floats are values.
//   OpenMetrics: no blanks inside label sets; \\ \" \n are the only escapes (others
//                are errors, per the ABNF); values and timestamps reject 'p', 'P' and
//                '_' as Prometheus' parseFloat does (no hex floats).
// Both: label values must be valid UTF-8; a trailing comma in a label set is
// accepted (Prometheus accepts it in both); a quoted string followed by ',' or '}' is
// the metric name (Prometheus 3 UTF-8 names: {"my.metric", "a.b"="c"}).
//
// Decoded strings are appended to a caller-owned scratch string that must have
// capacity for the whole line first (PrepareScratch): decoding never grows a string,
// so views into scratch stay valid for the line. All functions are thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/utf8.h"
#include "scrape/exposition.h"

namespace hw::scrape::lex {

enum class Dialect { kText, kOpenMetrics };

inline bool IsBlank(char c) { return c == ' ' || c == '\t'; }
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsLabelNameStart(char c) { return IsAlpha(c) || c == '_'; }
inline bool IsLabelNameChar(char c) { return IsLabelNameStart(c) || IsDigit(c); }
inline bool IsMetricNameStart(char c) { return IsLabelNameStart(c) || c == ':'; }
inline bool IsMetricNameChar(char c) { return IsLabelNameChar(c) || c == ':'; }

inline std::size_t SkipBlanks(std::string_view s, std::size_t pos) {
  while (pos < s.size() && IsBlank(s[pos])) ++pos;
  return pos;
}

// End of the legacy metric name starting at s[pos] ([a-zA-Z_:][a-zA-Z0-9_:]*); pos
// itself when there is none.
std::size_t ScanMetricName(std::string_view s, std::size_t pos);

// Empties scratch and makes room for everything decoded from `line`.
void PrepareScratch(std::string* scratch, std::string_view line);
// True when `view` points into scratch (it must be copied to outlive the line).
bool InScratch(const std::string& scratch, std::string_view view);

using ::hw::ValidUtf8;  // base/utf8.h

// Reads the quoted string at line[*pos] == '"'; *pos ends after the closing quote.
// *out views line (no escapes) or scratch. False with *what set on error.
bool ReadQuoted(std::string_view line, std::size_t* pos, Dialect dialect,
                std::string* scratch, std::string_view* out, std::string* what);

// Decodes HELP text: text format \\ and \n (others kept), OpenMetrics \\ \n \" (others
// are errors). Also checks UTF-8.
bool DecodeHelp(std::string_view raw, Dialect dialect, std::string* scratch,
                std::string_view* out, std::string* what);

// Parses the label set at line[*pos] == '{' into *labels (appended); *pos ends after
// '}'. A quoted metric name inside is stored in *metric_name, which must be empty on
// entry (else "metric name given twice"); pass null where a name is not allowed
// (exemplars). Names are not checked for duplicates here (FindDuplicateName).
bool ParseLabelSet(std::string_view line, std::size_t* pos, Dialect dialect,
                   std::string_view* metric_name, std::vector<LabelView>* labels,
                   std::string* scratch, std::string* what);

// True (and *dup set) when two labels share a name or one is named __name__.
bool FindDuplicateName(std::span<const LabelView> labels, std::string_view* dup);

// Go's strconv.ParseFloat(s, 64): decimal forms, Inf/Infinity/NaN in any case (a sign
// only before Inf), and with allow_hex also hex floats (0x1.8p3, underscores after
// the prefix). Overflow is an error, as in Go. NaN is Go's math.NaN() bit pattern,
// never the stale marker.
bool ParseFloat(std::string_view s, bool allow_hex, double* out);

// A decimal int64 with an optional sign (text-format timestamps).
bool ParseInt64(std::string_view s, std::int64_t* out);

// An OpenMetrics timestamp: float seconds (no hex), finite, converted to milliseconds
// by truncation like Prometheus' int64(ts*1000).
bool ParseSecondsAsMs(std::string_view s, std::int64_t* ms);

// Go-quoted s, cut to max_bytes first, for error messages.
std::string QuoteForMessage(std::string_view s, std::size_t max_bytes = 200);

}  // namespace hw::scrape::lex
