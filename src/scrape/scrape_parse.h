// The parse step of a scrape: body -> the samples to append, with target labels
// attached, metric relabeling applied and limits checked (see scrape_loop.h).
//
// Building a sample's final label set (target labels, relabeling) is the costly part,
// and most series repeat from one scrape to the next, so LabelCache remembers the
// result per series as written in the body (name and label pairs); entries not seen
// in a scrape are forgotten at its end.
//
// Thread-safety: pure functions; a LabelCache belongs to one scrape loop.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "config/config.h"
#include "model/labels.h"
#include "scrape/exposition.h"
#include "scrape/metadata.h"
#include "scrape/relabel.h"

namespace hw::scrape {

struct ScrapedSample {
  model::Labels labels;
  std::int64_t t = 0;
  double v = 0;
  bool explicit_timestamp = false;  // honored timestamp from the body
};

struct ScrapeBatch {
  std::vector<ScrapedSample> samples;  // after metric relabeling
  MetadataMap metadata;
  std::size_t scraped = 0;       // samples in the body (scrape_samples_scraped)
  std::size_t post_relabel = 0;  // kept by metric relabeling
  bool sample_limit_exceeded = false;
};

class LabelCache {
 public:
  // The cached final labels of a raw series, or null. An empty Labels means
  // "dropped by relabeling".
  const model::Labels* Find(const std::string& key);
  void Insert(std::string key, model::Labels labels);
  // Ends a scrape: entries not used in it are dropped.
  void EndScrape();
  void Clear() { current_.clear(); previous_.clear(); }

 private:
  std::unordered_map<std::string, model::Labels> current_;
  std::unordered_map<std::string, model::Labels> previous_;
};

struct ParseParams {
  const model::Labels* target_labels = nullptr;  // public target labels
  const config::ScrapeConfig* config = nullptr;  // honor_*, limits
  const RelabelRules* metric_relabel = nullptr;
  std::int64_t default_timestamp = 0;            // the scrape's start
};

// Parses `body`. Errors (kBadData) name the problem: the parser's "line N: ...",
// "sample limit exceeded" (then batch->sample_limit_exceeded), "label_limit
// exceeded (...)" and the like; the batch's counts hold what was seen so far.
Status ParseScrape(std::string_view body, Format format, const ParseParams& params,
                   LabelCache* cache, ScrapeBatch* batch);

// Prometheus' mutateSampleLabels without the relabeling: adds `target` labels to
// `exposed`. With honor, exposed values win; otherwise target values win and a
// clashing exposed value moves to exported_<name> (exported_exported_<name>, ... if
// taken), shorter names first.
model::Labels AddTargetLabels(const model::Labels& exposed, const model::Labels& target,
                              bool honor);

}  // namespace hw::scrape
