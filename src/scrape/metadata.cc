#include "scrape/metadata.h"

#include <array>

namespace hw::scrape {
namespace {

using Suffixes = std::span<const std::string_view>;

constexpr std::array<std::string_view, 1> kBare = {""};
// Text format 0.0.4: counters are typed under the full name (foo_total), so only
// histograms and summaries add suffixes.
constexpr std::array<std::string_view, 3> kTextHistogram = {"_bucket", "_count", "_sum"};
constexpr std::array<std::string_view, 3> kTextSummary = {"", "_count", "_sum"};
// OpenMetrics 1.0, "Metric types" section of the specification.
constexpr std::array<std::string_view, 2> kOmCounter = {"_total", "_created"};
constexpr std::array<std::string_view, 4> kOmHistogram = {"_bucket", "_count", "_sum",
                                                          "_created"};
constexpr std::array<std::string_view, 3> kOmGaugeHistogram = {"_bucket", "_gcount", "_gsum"};
constexpr std::array<std::string_view, 4> kOmSummary = {"", "_count", "_sum", "_created"};
constexpr std::array<std::string_view, 1> kOmInfo = {"_info"};

}  // namespace

std::string_view FormatName(Format format) {
  return format == Format::kOpenMetrics ? "openmetrics" : "prometheus-text";
}

std::string_view MetricTypeName(MetricType type) {
  switch (type) {
    case MetricType::kUnknown: return "unknown";
    case MetricType::kCounter: return "counter";
    case MetricType::kGauge: return "gauge";
    case MetricType::kHistogram: return "histogram";
    case MetricType::kGaugeHistogram: return "gaugehistogram";
    case MetricType::kSummary: return "summary";
    case MetricType::kInfo: return "info";
    case MetricType::kStateset: return "stateset";
  }
  return "unknown";
}

std::optional<MetricType> ParseMetricType(std::string_view name, Format format) {
  if (name == "counter") return MetricType::kCounter;
  if (name == "gauge") return MetricType::kGauge;
  if (name == "histogram") return MetricType::kHistogram;
  if (name == "summary") return MetricType::kSummary;
  if (format == Format::kPrometheusText) {
    if (name == "untyped") return MetricType::kUnknown;
    return std::nullopt;
  }
  if (name == "unknown") return MetricType::kUnknown;
  if (name == "gaugehistogram") return MetricType::kGaugeHistogram;
  if (name == "info") return MetricType::kInfo;
  if (name == "stateset") return MetricType::kStateset;
  return std::nullopt;
}

Suffixes FamilySuffixes(MetricType type, Format format) {
  if (format == Format::kPrometheusText) {
    switch (type) {
      case MetricType::kHistogram: return kTextHistogram;
      case MetricType::kSummary: return kTextSummary;
      default: return kBare;
    }
  }
  switch (type) {
    case MetricType::kCounter: return kOmCounter;
    case MetricType::kHistogram: return kOmHistogram;
    case MetricType::kGaugeHistogram: return kOmGaugeHistogram;
    case MetricType::kSummary: return kOmSummary;
    case MetricType::kInfo: return kOmInfo;
    default: return kBare;
  }
}

bool BelongsToFamily(std::string_view name, std::string_view family, MetricType type,
                     Format format, std::string_view* suffix) {
  if (!name.starts_with(family)) return false;
  std::string_view rest = name.substr(family.size());
  for (std::string_view s : FamilySuffixes(type, format)) {
    if (rest == s) {
      if (suffix != nullptr) *suffix = s;
      return true;
    }
  }
  return false;
}

bool IsCreatedSuffix(std::string_view suffix, MetricType type, Format format) {
  if (format != Format::kOpenMetrics || suffix != "_created") return false;
  return type == MetricType::kCounter || type == MetricType::kHistogram ||
         type == MetricType::kSummary;
}

const MetricMetadata* MetadataMap::Find(std::string_view family) const {
  auto it = entries_.find(family);
  return it == entries_.end() ? nullptr : &it->second;
}

const MetricMetadata* MetadataMap::FindForMetric(std::string_view metric_name) const {
  if (const MetricMetadata* m = Find(metric_name)) return m;
  // Try every suffix any type may add; accept the family only when its type allows it.
  static constexpr std::array<std::string_view, 8> kAll = {
      "_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info"};
  for (std::string_view s : kAll) {
    if (!metric_name.ends_with(s)) continue;
    std::string_view family = metric_name.substr(0, metric_name.size() - s.size());
    const MetricMetadata* m = Find(family);
    if (m == nullptr) continue;
    if (BelongsToFamily(metric_name, family, m->type, Format::kOpenMetrics) ||
        BelongsToFamily(metric_name, family, m->type, Format::kPrometheusText)) {
      return m;
    }
  }
  return nullptr;
}

MetricMetadata& MetadataMap::Entry(std::string_view family) {
  auto it = entries_.find(family);
  if (it == entries_.end()) it = entries_.emplace(std::string(family), MetricMetadata{}).first;
  return it->second;
}

}  // namespace hw::scrape
