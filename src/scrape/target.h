// Targets: turning what discovery found into what a scrape loop scrapes.
//
// PopulateTarget follows Prometheus' scrape.PopulateLabels:
//   1. discovered labels = the target's own labels, then its group's labels (the
//      target's win), then, where unset: job, __scrape_interval__, __scrape_timeout__,
//      __metrics_path__, __scheme__ from the scrape config and __param_<name> for the
//      first value of each configured param;
//   2. relabel_configs run over them; a keep/drop may drop the target;
//   3. a kept target needs __address__ (without "/"), and a non-zero interval and
//      timeout (timeout <= interval) read back from __scrape_interval__ and
//      __scrape_timeout__; __meta_* labels are removed; instance defaults to
//      __address__.
// The scrape URL is __scheme__://__address____metrics_path__?params, the params being
// the config's overridden by __param_* labels, encoded as Go's url.Values.Encode().
// Labels starting with "__" never reach samples (Target::PublicLabels()).
//
// Plain values and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"
#include "base/units.h"
#include "config/config.h"
#include "model/labels.h"
#include "scrape/relabel.h"

namespace hw::scrape {

struct Target {
  model::Labels labels;      // after relabeling, with __address__, __scheme__, ...
  model::Labels discovered;  // before relabeling (Prometheus' discoveredLabels)
  std::string url;
  Duration interval{0};
  Duration timeout{0};

  // The labels every sample of this target gets: `labels` without "__" ones.
  model::Labels PublicLabels() const;
  // Identity within a scrape pool (Prometheus hashes labels and URL; the URL is a
  // function of the labels here, so the labels' hash suffices).
  std::uint64_t Hash() const { return labels.Hash(); }
};

struct PopulateResult {
  model::Labels discovered;
  std::optional<Target> target;  // nullopt: dropped by relabeling
};

// Steps 1–3 above for one target of a group. An error (no address, bad interval)
// means the target can be neither scraped nor shown as dropped; the caller logs it.
Result<PopulateResult> PopulateTarget(const config::ScrapeConfig& cfg,
                                      const RelabelRules& relabel,
                                      const model::Labels& target_labels,
                                      const model::Labels& group_labels);


}  // namespace hw::scrape
