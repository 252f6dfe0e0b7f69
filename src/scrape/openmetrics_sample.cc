// OpenMetricsParser: sample lines (metadata and family rules are in
// openmetrics_parser.cc).
#include "scrape/exposition_lex.h"
#include "scrape/openmetrics_parser.h"

namespace hw::scrape {
namespace {

using lex::Dialect;
using lex::QuoteForMessage;

// End of the space-delimited token starting at line[pos].
std::size_t TokenEnd(std::string_view line, std::size_t pos) {
  std::size_t e = line.find(' ', pos);
  return e == std::string_view::npos ? line.size() : e;
}

}  // namespace

Status OpenMetricsParser::ParseSample(std::string_view line) {
  labels_.clear();
  lex::PrepareScratch(&scratch_, line);
  sample_.timestamp_ms.reset();
  sample_.exemplar.reset();
  std::string what;
  std::string_view name;
  std::size_t p = lex::ScanMetricName(line, 0);
  if (p > 0) {
    name = line.substr(0, p);
  } else if (line[0] != '{') {
    return LineError("expected a metric name or '{', got " + QuoteForMessage(line.substr(0, 1)));
  }
  if (p < line.size() && line[p] == '{') {
    bool named = !name.empty();
    if (!lex::ParseLabelSet(line, &p, Dialect::kOpenMetrics, &name, &labels_, &scratch_,
                            &what)) {
      return LineError(named && what == "metric name given twice"
                           ? "metric name given both before and inside the braces"
                           : what);
    }
    if (name.empty()) return LineError("missing metric name");
  }
  if (p >= line.size()) return LineError("missing value");
  if (line[p] != ' ') {
    return LineError("expected ' ' before the value, got " + QuoteForMessage(line.substr(p, 1)));
  }
  std::size_t e = TokenEnd(line, ++p);
  std::string_view value = line.substr(p, e - p);
  if (value.empty()) return LineError("missing value");
  if (!lex::ParseFloat(value, /*allow_hex=*/false, &sample_.value)) {
    return LineError("invalid value " + QuoteForMessage(value));
  }
  p = e;
  if (p < line.size()) {
    ++p;  // the space
    if (p < line.size() && line[p] == '#') {
      HW_RETURN_IF_ERROR(ParseExemplar(line, p));
    } else {
      e = TokenEnd(line, p);
      std::string_view ts = line.substr(p, e - p);
      std::int64_t ms;
      if (ts.empty()) return LineError("unexpected ' ' after the value");
      if (!lex::ParseSecondsAsMs(ts, &ms)) {
        return LineError("invalid timestamp " + QuoteForMessage(ts) + " (want seconds)");
      }
      sample_.timestamp_ms = ms;
      p = e;
      if (p < line.size()) {
        ++p;
        if (p >= line.size() || line[p] != '#') {
          return LineError("unexpected " + QuoteForMessage(line.substr(p)) + " after timestamp");
        }
        HW_RETURN_IF_ERROR(ParseExemplar(line, p));
      }
    }
  }
  std::string_view dup;
  if (lex::FindDuplicateName(labels_, &dup)) {
    return LineError(dup == model::kMetricName
                         ? std::string("label __name__ is reserved for the metric name")
                         : "duplicate label name " + QuoteForMessage(dup));
  }
  sample_.name = name;
  sample_.labels = labels_;
  return CheckFamily(name);
}

Status OpenMetricsParser::ParseExemplar(std::string_view line, std::size_t pos) {
  exemplar_labels_.clear();
  std::string what;
  if (line.substr(pos, 3) != "# {") {
    return LineError("invalid exemplar: want \" # {labels} value [timestamp]\"");
  }
  std::size_t p = pos + 2;
  if (!lex::ParseLabelSet(line, &p, Dialect::kOpenMetrics, nullptr, &exemplar_labels_,
                          &scratch_, &what)) {
    return LineError("invalid exemplar: " + what);
  }
  std::string_view dup;
  if (lex::FindDuplicateName(exemplar_labels_, &dup)) {
    return LineError("invalid exemplar: duplicate label name " + QuoteForMessage(dup));
  }
  if (p >= line.size() || line[p] != ' ') return LineError("invalid exemplar: missing value");
  ExemplarView ex;
  std::size_t e = TokenEnd(line, ++p);
  std::string_view value = line.substr(p, e - p);
  if (!lex::ParseFloat(value, /*allow_hex=*/false, &ex.value)) {
    return LineError("invalid exemplar value " + QuoteForMessage(value));
  }
  if (e < line.size()) {
    p = e + 1;
    e = TokenEnd(line, p);
    std::string_view ts = line.substr(p, e - p);
    std::int64_t ms;
    if (!lex::ParseSecondsAsMs(ts, &ms)) {
      return LineError("invalid exemplar timestamp " + QuoteForMessage(ts));
    }
    ex.timestamp_ms = ms;
    if (e < line.size()) {
      return LineError("unexpected " + QuoteForMessage(line.substr(e)) + " after exemplar");
    }
  }
  ex.labels = exemplar_labels_;
  sample_.exemplar = ex;
  return Status::Ok();
}

}  // namespace hw::scrape
