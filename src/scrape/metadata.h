// Metric metadata from an exposition: the TYPE, HELP and UNIT of each metric family.
//
// A "family" is the name written on TYPE/HELP/UNIT lines; its samples carry that name
// plus a type-specific suffix (a histogram `foo` has foo_bucket, foo_count, foo_sum).
// The suffix rules differ between the formats: in the text format 0.0.4 a counter is
// typed under its full sample name (`# TYPE foo_total counter`), in OpenMetrics under
// the family name (`# TYPE foo counter` with samples foo_total and foo_created).
// FamilySuffixes() is the one table both parsers and MetadataMap use.
//
// MetadataMap is what a scrape keeps per target (Prometheus' scrape cache metadata,
// served by /api/v1/metadata): a plain value, not thread-safe to mutate; concurrent
// const reads are safe.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hw::scrape {

// The exposition wire formats the parsers read.
enum class Format {
  kPrometheusText,  // text/plain; version=0.0.4 (and Prometheus 3's 1.0.0 with UTF-8 names)
  kOpenMetrics,     // application/openmetrics-text; version=1.0.0 (or 0.0.1)
};

// "prometheus-text" or "openmetrics".
std::string_view FormatName(Format format);

// The metric types of both formats. The text format's "untyped" is kUnknown; gauge
// histograms, info and stateset exist only in OpenMetrics.
enum class MetricType {
  kUnknown,
  kCounter,
  kGauge,
  kHistogram,
  kGaugeHistogram,
  kSummary,
  kInfo,
  kStateset,
};

// The name Prometheus' metadata API uses: "counter", "gaugehistogram", "unknown", ...
std::string_view MetricTypeName(MetricType type);

// The type named on a TYPE line of `format`, or nullopt when the format has no such
// type ("untyped" is valid only in the text format, "unknown" only in OpenMetrics).
std::optional<MetricType> ParseMetricType(std::string_view name, Format format);

// The suffixes a sample name may add to its family name for `type` in `format`; ""
// stands for the bare family name. E.g. OpenMetrics counter: {"_total", "_created"}.
std::span<const std::string_view> FamilySuffixes(MetricType type, Format format);

// True when sample `name` belongs to `family` of `type`; *suffix (optional) gets the
// suffix it carries ("" for the bare name).
bool BelongsToFamily(std::string_view name, std::string_view family, MetricType type,
                     Format format, std::string_view* suffix = nullptr);

// True for the suffix of a created-timestamp series (`_created`) of a type that has
// one: counter, histogram and summary (OpenMetrics only).
bool IsCreatedSuffix(std::string_view suffix, MetricType type, Format format);

struct MetricMetadata {
  MetricType type = MetricType::kUnknown;
  std::string help;
  std::string unit;
  bool operator==(const MetricMetadata&) const = default;
};

// Family name -> metadata, ordered by name.
class MetadataMap {
 public:
  using Map = std::map<std::string, MetricMetadata, std::less<>>;

  void SetType(std::string_view family, MetricType type) { Entry(family).type = type; }
  void SetHelp(std::string_view family, std::string_view help) { Entry(family).help = help; }
  void SetUnit(std::string_view family, std::string_view unit) { Entry(family).unit = unit; }

  // The metadata written for exactly `family`, or null.
  const MetricMetadata* Find(std::string_view family) const;
  // The metadata for a sample's metric name: its own entry, else the entry of the
  // family it is a sample of (name minus a suffix its family's type allows, under the
  // rules of either format). Null when there is none.
  const MetricMetadata* FindForMetric(std::string_view metric_name) const;

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  Map::const_iterator begin() const { return entries_.begin(); }
  Map::const_iterator end() const { return entries_.end(); }
  void clear() { entries_.clear(); }

 private:
  MetricMetadata& Entry(std::string_view family);
  Map entries_;
};

}  // namespace hw::scrape
