// OpenMetricsParser: the OpenMetrics 1.0 text format (application/openmetrics-text;
// version=1.0.0, also 0.0.1), with Prometheus 3's quoted UTF-8 names.
//
// Stricter than the text format, as the specification's ABNF and Prometheus' parser
// are. Rules checked (each failure names its line; see scrape/exposition.h):
//   * every line ends in "\n"; no blank lines, no "\r", no comments other than
//     `# HELP`, `# TYPE`, `# UNIT` and the final `# EOF`, which is required and
//     must be the last line (a "\n" after it is optional, nothing else may follow);
//   * single spaces between tokens, none inside label sets;
//   * `# TYPE name counter|gauge|histogram|gaugehistogram|summary|info|stateset|
//     unknown`; `# UNIT name unit` where a non-empty unit is a suffix of the name
//     ("_seconds"); `# HELP` escapes \\ \n \" and nothing else; at most one of each
//     per family, all before the family's samples;
//   * families are not interleaved: a family's lines are contiguous and a name that
//     ended cannot come back; a TYPE after samples of its family is an error;
//   * a sample belongs to the current family when its name is the family plus a
//     suffix its type allows (counter: _total, _created; histogram: _bucket, _count,
//     _sum, _created; gaugehistogram: _bucket, _gcount, _gsum; summary: bare, _count,
//     _sum, _created; info: _info); the bare family name where the type needs a
//     suffix (e.g. a counter sample without _total) is an error; any other name
//     starts a new untyped family;
//   * histogram buckets carry `le`, summary quantiles carry `quantile`;
//   * label values escape \\ \" \n only, are UTF-8, names are unique;
//   * values are Go ParseFloat forms without hex ('p', 'P', '_' rejected, as
//     Prometheus does); timestamps and exemplar timestamps are float seconds,
//     converted to milliseconds by truncation;
//   * exemplars ` # {labels} value [timestamp]` are parsed and returned; a malformed
//     one is an error (it is a malformed line), a well-formed one never is — the
//     128-character label limit is left to the caller.
// `_created` samples of counters, histograms and summaries are flagged
// (SampleView::created).
//
// Thread-safety: not thread-safe (see Parser).
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>

#include "scrape/exposition.h"

namespace hw::scrape {

class OpenMetricsParser final : public Parser {
 public:
  explicit OpenMetricsParser(std::string_view body = {}) { Reset(body); }

  void Reset(std::string_view body) override;
  Result<Entry> Next() override;
  Format format() const override { return Format::kOpenMetrics; }

 private:
  Status ParseLine(bool newline, Entry* entry);
  Status ParseMetadata(std::string_view rest, Entry kind);
  Status ParseSample(std::string_view line);
  Status ParseExemplar(std::string_view line, std::size_t pos);
  Status CheckFamily(std::string_view name);
  // Ends the current family and starts `name` (untyped, no metadata yet).
  Status StartFamily(std::string_view name);
  std::string_view Keep(std::string_view name);

  // The current family (views into body_ or owned_).
  std::string_view family_;
  MetricType family_type_ = MetricType::kUnknown;
  bool in_family_ = false;
  bool family_has_type_ = false;
  bool family_has_help_ = false;
  bool family_has_unit_ = false;
  bool family_has_samples_ = false;
  std::unordered_set<std::string_view> finished_;  // families that ended
  std::deque<std::string> owned_;                  // decoded (escaped) quoted names
  std::string probe_;
};

}  // namespace hw::scrape
