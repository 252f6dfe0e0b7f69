// TextParser: the Prometheus text exposition format 0.0.4 (and 1.0.0, which adds
// Prometheus 3's quoted UTF-8 names), as Prometheus' own parser reads it.
//
// Rules checked (each failure names its line; see scrape/exposition.h):
//   * lines: blank lines and "#" comments are skipped ("#" not followed by HELP/TYPE
//     and a blank); blanks/tabs may surround tokens, also inside label sets;
//   * `# HELP name text`: help escapes are only \\ and \n (others kept as written);
//     help must be UTF-8; one HELP per name;
//   * `# TYPE name counter|gauge|histogram|summary|untyped`: anything else is an
//     error; one TYPE per name; a TYPE after samples of that metric is an error;
//   * samples: name [{labels}] value [timestamp], name [a-zA-Z_:][a-zA-Z0-9_:]* or a
//     quoted name inside the braces ({"my.metric", a="b"}); label values escape
//     \\ \" \n (others kept, as Prometheus does), must be UTF-8; a trailing comma
//     and `{}` are allowed; label names unique and never __name__;
//   * value: Go ParseFloat forms (1, -1.5e3, .5, 0x1p-3, +Inf, -inf, NaN, ...);
//     timestamp: integer milliseconds;
//   * a trailing "# {labels} value [timestamp]" exemplar is not part of 0.0.4; it is
//     kept when well-formed (timestamp in seconds, as in OpenMetrics) and otherwise
//     ignored — never an error (Prometheus rejects such lines).
// Stricter than Prometheus' parser, as the 0.0.4 spec asks: duplicate TYPE or HELP
// lines for one name, and a TYPE after that metric's samples, are errors.
// `_created` series have no special meaning in this format (SampleView::created is
// always false; client_python writes them as separate gauges).
//
// Thread-safety: not thread-safe (see Parser).
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>

#include "scrape/exposition.h"

namespace hw::scrape {

class TextParser final : public Parser {
 public:
  explicit TextParser(std::string_view body = {}) { Reset(body); }

  void Reset(std::string_view body) override;
  Result<Entry> Next() override;
  Format format() const override { return Format::kPrometheusText; }

 private:
  Status ParseSample(std::string_view line, std::size_t pos);
  // Line starting with '#' (pos after it): HELP, TYPE or a comment.
  Status ParseHashLine(std::string_view line, std::size_t pos, Entry* entry);
  Status ParseMetadata(std::string_view line, std::size_t pos, Entry kind);
  // Parses " # {labels} value [timestamp]" at line[pos] == '#'; false when malformed.
  bool ParseExemplar(std::string_view line, std::size_t pos);
  // A copy of `name` that outlives the line when it was decoded into scratch_.
  std::string_view Keep(std::string_view name);

  // Family tracking for the TYPE/HELP rules (views into body_ or owned_).
  std::string_view typed_family_;  // the last TYPE'd name
  MetricType typed_type_ = MetricType::kUnknown;
  bool has_typed_family_ = false;
  std::string_view last_family_;   // family of the previous sample
  bool has_last_family_ = false;
  std::unordered_set<std::string_view> typed_;    // names with a TYPE line
  std::unordered_set<std::string_view> helped_;   // names with a HELP line
  std::unordered_set<std::string_view> sampled_;  // families that had samples
  std::deque<std::string> owned_;                 // decoded (escaped) quoted names
  std::string probe_;                             // family + suffix lookups
};

}  // namespace hw::scrape
