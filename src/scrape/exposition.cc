#include "scrape/exposition.h"

#include <cmath>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "scrape/exposition_lex.h"
#include "scrape/openmetrics_parser.h"
#include "scrape/text_parser.h"

namespace hw::scrape {

std::int64_t CreatedTimestampMs(const SampleView& sample) {
  double ms = sample.value * 1000;
  if (!std::isfinite(ms) || ms <= -9.2e18 || ms >= 9.2e18) return 0;
  return static_cast<std::int64_t>(ms);
}

void Parser::ResetBase(std::string_view body) {
  body_ = body;
  pos_ = 0;
  line_no_ = 0;
  line_ = {};
  error_ = Status::Ok();
  done_ = false;
  sample_ = SampleView{};
  metadata_ = MetadataView{};
  comment_ = {};
  labels_.clear();
  exemplar_labels_.clear();
  scratch_.clear();
}

bool Parser::NextLine(bool* had_newline) {
  if (pos_ >= body_.size()) return false;
  const char* start = body_.data() + pos_;
  const std::size_t rest = body_.size() - pos_;
  const void* nl = std::memchr(start, '\n', rest);
  const std::size_t len = nl != nullptr ? static_cast<const char*>(nl) - start : rest;
  line_ = std::string_view(start, len);
  pos_ += len + (nl != nullptr ? 1 : 0);
  *had_newline = nl != nullptr;
  ++line_no_;
  return true;
}

Status Parser::LineError(std::string_view what) const {
  return Status::BadData(
      fmt::format("line {}: {}: {}", line_no_, what, lex::QuoteForMessage(line_)));
}

std::unique_ptr<Parser> NewParser(std::string_view body, Format format) {
  if (format == Format::kOpenMetrics) return std::make_unique<OpenMetricsParser>(body);
  return std::make_unique<TextParser>(body);
}

namespace {

model::Labels ToLabels(std::span<const LabelView> labels, std::string_view name,
                       std::vector<std::pair<std::string_view, std::string_view>>* pairs) {
  pairs->clear();
  if (!name.empty()) pairs->emplace_back(model::kMetricName, name);
  for (const LabelView& l : labels) pairs->emplace_back(l.name, l.value);
  return model::Labels::FromPairs(*pairs);
}

}  // namespace

Result<ParsedScrape> ParseAll(std::string_view body, Format format,
                              const ParseOptions& options) {
  std::unique_ptr<Parser> parser = NewParser(body, format);
  ParsedScrape out;
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  while (true) {
    Result<Entry> entry = parser->Next();
    if (!entry.ok()) return entry.status();
    const MetadataView& md = parser->metadata();
    switch (*entry) {
      case Entry::kEof:
        out.lines = parser->line_number();
        return out;
      case Entry::kType: out.metadata.SetType(md.family, md.type); break;
      case Entry::kHelp: out.metadata.SetHelp(md.family, md.text); break;
      case Entry::kUnit: out.metadata.SetUnit(md.family, md.text); break;
      case Entry::kComment: break;
      case Entry::kSample: {
        const SampleView& s = parser->sample();
        if (options.require_timestamps && !s.timestamp_ms.has_value()) {
          return parser->LineError("sample has no timestamp (import needs one on every sample)");
        }
        if (s.created && !options.keep_created) {
          ++out.created_skipped;
          break;
        }
        ParsedSample p;
        p.labels = ToLabels(s.labels, s.name, &pairs);
        p.value = s.value;
        p.timestamp_ms = s.timestamp_ms;
        p.created = s.created;
        if (options.keep_exemplars && s.exemplar.has_value()) {
          p.exemplar = Exemplar{ToLabels(s.exemplar->labels, {}, &pairs), s.exemplar->value,
                                s.exemplar->timestamp_ms};
        }
        out.samples.push_back(std::move(p));
        break;
      }
    }
  }
}

}  // namespace hw::scrape
