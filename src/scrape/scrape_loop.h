// ScrapeLoop: scrapes one target and writes what it found.
//
// One ScrapeOnce():
//   1. GET the target's URL with Accept: kAcceptHeader, the configured basic auth or
//      Authorization header (secret files re-read each time), TLS settings,
//      X-Prometheus-Scrape-Timeout-Seconds, and the target's scrape_timeout as the
//      deadline for the whole exchange;
//   2. pick the parser by Content-Type (fallback_scrape_protocol if set) and parse the
//      body (scrape_parse.cc): target labels attached (honor_labels, else a clash
//      moves the exposed value to exported_<name>), metric_relabel_configs, explicit
//      timestamps kept only with honor_timestamps, label limits and sample_limit
//      checked — any breach, or a bad line, fails the whole scrape;
//   3. append through ONE storage::Appender and Commit: the samples; a stale marker
//      (model::kStaleNaN) at the scrape's timestamp for each series of the previous
//      scrape that is missing now (all of them when the scrape failed); and the
//      report series up, scrape_duration_seconds, scrape_samples_scraped,
//      scrape_samples_post_metric_relabeling, scrape_series_added with the target's
//      labels. Samples the storage refuses (out of order, duplicate) are skipped.
// Series with explicit timestamps get no stale markers (Prometheus' default,
// track_timestamps_staleness: false). The sample timestamp is the scrape's start.
//
// Thread-safety: ScrapeOnce, Finish and the first scrape's hand-over run under the
// loop's scrape mutex, so they serialise; Status(), Metadata() and the accessors may
// be called from any thread at any time.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/clock.h"
#include "base/metrics.h"
#include "config/config.h"
#include "scrape/metadata.h"
#include "scrape/relabel.h"
#include "scrape/scrape_parse.h"
#include "scrape/target.h"
#include "storage/interface.h"

namespace hw::scrape {

// What every loop of one scrape config shares; immutable once built.
struct PoolSettings {
  config::ScrapeConfig config;
  RelabelRules metric_relabel;
  std::optional<Format> fallback;  // from fallback_scrape_protocol

  static Result<std::shared_ptr<const PoolSettings>> Make(const config::ScrapeConfig& cfg);
};

// Self-metrics of scraping; families live in the registry. All members null when
// there is no registry.
struct ScrapeMetrics {
  metrics::GaugeFamily* targets = nullptr;          // {job}
  metrics::CounterFamily* scrapes = nullptr;        // {job, result}
  metrics::HistogramFamily* duration = nullptr;     // {job}
  metrics::CounterFamily* samples = nullptr;        // {job}
  metrics::CounterFamily* sample_limit = nullptr;   // {job}

  static ScrapeMetrics Register(metrics::Registry* registry);
};

enum class Health { kUnknown, kUp, kDown };
std::string_view HealthName(Health health);  // "unknown", "up", "down"

struct LoopStatus {
  Health health = Health::kUnknown;
  std::string last_error;
  std::int64_t last_scrape_ms = 0;  // start of the last scrape; 0: never scraped
  double last_duration_s = 0;
  std::uint64_t scrapes = 0;
};

class ScrapeLoop {
 public:
  // `id` is unique per loop object (so callers can tell a restarted loop apart).
  ScrapeLoop(std::uint64_t id, std::shared_ptr<const PoolSettings> settings, Target target,
             storage::Appendable& storage, const Clock& clock, const ScrapeMetrics& metrics);
  ScrapeLoop(const ScrapeLoop&) = delete;
  ScrapeLoop& operator=(const ScrapeLoop&) = delete;

  // One scrape as described above; does nothing once stopped.
  void ScrapeOnce();

  // Marks the loop stopped: later ScrapeOnce calls do nothing. Non-blocking.
  void MarkStopped() { stopped_.store(true); }
  bool stopped() const { return stopped_.load(); }
  // Waits for a scrape in progress, then (if `stale`) writes stale markers at the
  // clock's now for every series of the last scrape, report series included.
  void Finish(bool stale);
  // Continues `previous` (same target labels, new settings): the first scrape takes
  // over its series so that only what really disappeared is marked stale.
  void InheritFrom(std::shared_ptr<ScrapeLoop> previous);

  LoopStatus status() const;
  // TYPE/HELP/UNIT from the last successful scrape (null before one).
  std::shared_ptr<const MetadataMap> Metadata() const;

  std::uint64_t id() const { return id_; }
  const Target& target() const { return target_; }
  const std::shared_ptr<const PoolSettings>& settings() const { return settings_; }
  const std::string& job() const { return settings_->config.job_name; }

  // Scheduling state owned by the manager's scheduler.
  std::atomic<bool> busy{false};

 private:
  struct LabelsHash {
    std::size_t operator()(const model::Labels& l) const { return l.Hash(); }
  };
  using SeriesSet = std::unordered_set<model::Labels, LabelsHash>;

  // Fetches the body; on success *content_type is set.
  Status Fetch(std::string* body, std::string* content_type);
  // Step 3; returns the commit status.
  Status Append(const ScrapeBatch& batch, const Status& scrape_error, std::int64_t t,
                double duration_s, std::size_t* series_added);
  void AppendReport(storage::Appender& app, std::int64_t t, double duration_s, bool up,
                    const ScrapeBatch& batch, std::size_t series_added);
  void AppendStaleReport(storage::Appender& app, std::int64_t t);

  const std::uint64_t id_;
  const std::shared_ptr<const PoolSettings> settings_;
  const Target target_;
  const model::Labels public_labels_;
  storage::Appendable& storage_;
  const Clock& clock_;
  std::atomic<bool> stopped_{false};
  // Metric children, looked up once.
  metrics::Counter* scrapes_ok_ = nullptr;
  metrics::Counter* scrapes_failed_ = nullptr;
  metrics::Histogram* duration_ = nullptr;
  metrics::Counter* samples_ = nullptr;
  metrics::Counter* sample_limit_ = nullptr;

  std::mutex scrape_mu_;                       // held for a whole scrape
  SeriesSet series_;                           // guarded by scrape_mu_: last scrape's
  bool reported_ = false;                      // guarded by scrape_mu_: report written
  LabelCache cache_;                           // guarded by scrape_mu_
  std::shared_ptr<ScrapeLoop> predecessor_;    // guarded by scrape_mu_
  std::vector<model::Labels> report_labels_;   // immutable after construction

  mutable std::mutex status_mu_;
  LoopStatus status_;                          // guarded by status_mu_
  std::shared_ptr<const MetadataMap> metadata_;  // guarded by status_mu_
};

}  // namespace hw::scrape
