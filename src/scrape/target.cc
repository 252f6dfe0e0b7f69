#include "scrape/target.h"

#include <map>
#include <vector>

#include <fmt/format.h>

#include "http/request.h"

namespace hw::scrape {
namespace {

constexpr std::string_view kAddress = "__address__";
constexpr std::string_view kScheme = "__scheme__";
constexpr std::string_view kMetricsPath = "__metrics_path__";
constexpr std::string_view kInterval = "__scrape_interval__";
constexpr std::string_view kTimeout = "__scrape_timeout__";
constexpr std::string_view kParamPrefix = "__param_";
constexpr std::string_view kMetaPrefix = "__meta_";

std::string BuildUrl(const config::ScrapeConfig& cfg, const model::Labels& labels) {
  std::map<std::string, std::vector<std::string>> params = cfg.params;
  for (const model::Label& l : labels) {
    if (!l.name.starts_with(kParamPrefix)) continue;
    std::vector<std::string>& v = params[std::string(l.name.substr(kParamPrefix.size()))];
    if (v.empty()) {
      v.emplace_back(l.value);
    } else {
      v[0] = std::string(l.value);
    }
  }
  std::string url = fmt::format("{}://{}{}", labels.Get(kScheme), labels.Get(kAddress),
                                labels.Get(kMetricsPath));
  char sep = '?';
  for (const auto& [k, values] : params) {  // std::map: sorted by key, as Encode()
    for (const std::string& v : values) {
      url += sep;
      url += http::QueryEscape(k);
      url += '=';
      url += http::QueryEscape(v);
      sep = '&';
    }
  }
  return url;
}

}  // namespace

model::Labels Target::PublicLabels() const {
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  for (const model::Label& l : labels) {
    if (!l.name.starts_with("__")) pairs.emplace_back(l.name, l.value);
  }
  return model::Labels::FromPairs(std::move(pairs));
}

Result<PopulateResult> PopulateTarget(const config::ScrapeConfig& cfg,
                                      const RelabelRules& relabel,
                                      const model::Labels& target_labels,
                                      const model::Labels& group_labels) {
  model::LabelsBuilder b(group_labels);
  for (const model::Label& l : target_labels) b.Set(l.name, l.value);
  auto set_default = [&](std::string_view name, std::string_view value) {
    if (b.Get(name).empty()) b.Set(name, value);
  };
  set_default("job", cfg.job_name);
  set_default(kInterval, FormatDuration(cfg.scrape_interval));
  set_default(kTimeout, FormatDuration(cfg.scrape_timeout));
  set_default(kMetricsPath, cfg.metrics_path);
  set_default(kScheme, cfg.scheme);
  for (const auto& [name, values] : cfg.params) {
    if (!values.empty()) set_default(std::string(kParamPrefix) + name, values.front());
  }
  PopulateResult res;
  res.discovered = b.Build();

  model::Labels relabeled;
  if (!relabel.Process(res.discovered, &relabeled)) return res;  // dropped
  std::string_view addr = relabeled.Get(kAddress);
  if (addr.empty()) return Status::BadData("cannot use target: no address");
  if (addr.find('/') != std::string_view::npos) {
    return Status::BadData(fmt::format("cannot use target: \"{}\" is not a valid hostname", addr));
  }
  Result<Duration> interval = ParseDuration(relabeled.Get(kInterval));
  if (!interval.ok()) {
    return Status::BadData(fmt::format("cannot use target {}: error parsing scrape interval: {}",
                                       addr, interval.status().message()));
  }
  Result<Duration> timeout = ParseDuration(relabeled.Get(kTimeout));
  if (!timeout.ok()) {
    return Status::BadData(fmt::format("cannot use target {}: error parsing scrape timeout: {}",
                                       addr, timeout.status().message()));
  }
  if (interval->count() == 0) {
    return Status::BadData(fmt::format("cannot use target {}: scrape interval cannot be 0", addr));
  }
  if (timeout->count() == 0) {
    return Status::BadData(fmt::format("cannot use target {}: scrape timeout cannot be 0", addr));
  }
  if (*timeout > *interval) {
    return Status::BadData(fmt::format(
        "cannot use target {}: scrape timeout cannot be greater than scrape interval "
        "(\"{}\" > \"{}\")",
        addr, relabeled.Get(kTimeout), relabeled.Get(kInterval)));
  }
  model::LabelsBuilder out(relabeled);
  for (const model::Label& l : relabeled) {
    if (l.name.starts_with(kMetaPrefix)) out.Del(l.name);
  }
  if (out.Get("instance").empty()) out.Set("instance", addr);

  Target t;
  t.labels = out.Build();
  t.discovered = res.discovered;
  t.url = BuildUrl(cfg, t.labels);
  t.interval = *interval;
  t.timeout = *timeout;
  res.target = std::move(t);
  return res;
}

}  // namespace hw::scrape
