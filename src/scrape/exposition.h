// Exposition parsing: the common API of the Prometheus text format 0.0.4 parser
// (scrape/text_parser.h) and the OpenMetrics 1.0 parser (scrape/openmetrics_parser.h).
//
// A Parser is a streaming, zero-copy iterator over one scrape body. Next() advances to
// the next entry (a sample, a TYPE/HELP/UNIT line, a comment, or the end) and the
// accessors describe it. Names and label values are string_views into the body; a
// value is copied (escape-decoded into the parser's line buffer) only when it holds an
// escape sequence. Everything an accessor returns is valid until the next call to
// Next() or Reset(), and only while the body outlives the parser.
//
// Errors: Next() returns a kBadData Status reading
//   line N: <what is wrong>: "<the line, Go-quoted, truncated to 200 bytes>"
// and the parser stays in that error (further calls return it again). A bad line fails
// the whole scrape, as in Prometheus. A well-formed exemplar is never an error: the
// caller keeps or drops it.
//
// Line endings: OpenMetrics lines end in "\n" exactly (a "\r" is an error, as the spec
// says). The text format also accepts "\r\n" — Prometheus does not, but nothing can
// be misread by accepting it and Windows-written textfile exports then work. A last
// text-format line may lack its "\n" (OpenMetrics ends in "# EOF" anyway).
//
// Thread-safety: a Parser is not thread-safe; use one per scrape loop (Reset() reuses
// its buffers for the next body). Free functions are thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "scrape/metadata.h"

namespace hw::scrape {

enum class Entry { kSample, kType, kHelp, kUnit, kComment, kEof };

// One label as written (never __name__: the metric name is SampleView::name).
struct LabelView {
  std::string_view name;
  std::string_view value;
  bool operator==(const LabelView&) const = default;
};

struct ExemplarView {
  std::span<const LabelView> labels;
  double value = 0;
  std::optional<std::int64_t> timestamp_ms;  // OpenMetrics seconds, converted
};

struct SampleView {
  std::string_view name;               // metric name, decoded if it was quoted
  std::span<const LabelView> labels;   // in written order, names unique
  double value = 0;                    // Go strconv.ParseFloat forms, as Prometheus
  std::optional<std::int64_t> timestamp_ms;
  std::optional<ExemplarView> exemplar;
  // The family the sample belongs to: the TYPE'd/HELP'd name when the sample is one of
  // its series (foo for foo_bucket), else the sample's own name.
  std::string_view family;
  MetricType type = MetricType::kUnknown;  // the family's type
  // An OpenMetrics `<family>_created` sample of a counter, histogram or summary: its
  // value is the series' start time in seconds. Prometheus skips these unless
  // created-timestamp ingestion is on; CreatedTimestampMs() converts the value.
  bool created = false;
};

// The start time a `_created` sample carries, in milliseconds (truncated).
std::int64_t CreatedTimestampMs(const SampleView& sample);

struct MetadataView {
  std::string_view family;
  MetricType type = MetricType::kUnknown;  // kType
  std::string_view text;                   // kHelp: decoded help; kUnit: the unit
};

class Parser {
 public:
  virtual ~Parser() = default;
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // Starts over on a new body, keeping allocated buffers.
  virtual void Reset(std::string_view body) = 0;
  // The next entry; kEof at the end (and on every call after it), or a kBadData error.
  virtual Result<Entry> Next() = 0;

  // The current sample (after kSample).
  const SampleView& sample() const { return sample_; }
  // The current metadata line (after kType, kHelp, kUnit).
  const MetadataView& metadata() const { return metadata_; }
  // The comment text after "#" (after kComment; text format only).
  std::string_view comment() const { return comment_; }
  // 1-based number of the current entry's line; after kEof, the number of lines.
  std::size_t line_number() const { return line_no_; }
  virtual Format format() const = 0;
  // A kBadData error naming the current line: line N: <what>: "<line>". For callers
  // that reject an entry the format allows (e.g. import wants timestamps).
  Status LineError(std::string_view what) const;

 protected:
  Parser() = default;
  // Resets the shared state; subclasses call it from Reset().
  void ResetBase(std::string_view body);
  // Takes the next line into line_ (without its "\n"), bumping line_no_. False at the
  // end of the body. *had_newline tells whether the line ended in "\n".
  bool NextLine(bool* had_newline);

  std::string_view body_;
  std::size_t pos_ = 0;       // start of the next line in body_
  std::size_t line_no_ = 0;   // number of line_
  std::string_view line_;     // the current line
  Status error_;              // sticky error
  bool done_ = false;         // kEof returned

  SampleView sample_;
  MetadataView metadata_;
  std::string_view comment_;
  std::vector<LabelView> labels_;           // sample_.labels points here
  std::vector<LabelView> exemplar_labels_;  // sample_.exemplar->labels points here
  std::string scratch_;                     // decoded strings of the current line
};

// A parser of `format` over body.
std::unique_ptr<Parser> NewParser(std::string_view body, Format format);

// --- Whole-body parsing, for tests, import and tools. -----------------------------

struct Exemplar {
  model::Labels labels;
  double value = 0;
  std::optional<std::int64_t> timestamp_ms;
};

struct ParsedSample {
  model::Labels labels;  // __name__ included
  double value = 0;
  std::optional<std::int64_t> timestamp_ms;
  std::optional<Exemplar> exemplar;
  bool created = false;  // a `_created` sample (present only with keep_created)
};

struct ParsedScrape {
  std::vector<ParsedSample> samples;
  MetadataMap metadata;         // per family: TYPE, HELP, UNIT
  std::size_t lines = 0;        // lines in the body
  std::size_t created_skipped = 0;
};

struct ParseOptions {
  // Keep `_created` samples as ordinary samples (flagged); by default they are skipped,
  // as Prometheus does unless created-timestamp ingestion is enabled.
  bool keep_created = false;
  bool keep_exemplars = true;
  // Fail on a sample without a timestamp, naming its line (backfill, like promtool
  // tsdb create-blocks-from openmetrics).
  bool require_timestamps = false;
};

// Parses all of body. Errors as Parser::Next().
Result<ParsedScrape> ParseAll(std::string_view body, Format format,
                              const ParseOptions& options = {});

}  // namespace hw::scrape
