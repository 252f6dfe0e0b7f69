// Manager: the scrape subsystem as the server sees it. It turns `scrape_configs` into
// scrape pools (one per job), discovers each pool's targets (static_configs,
// file_sd_configs), relabels them, and runs one ScrapeLoop per target on the
// Scheduler's bounded threads (scheduler.h). It also answers what /api/v1/targets
// and /api/v1/metadata need.
//
// Reload (ApplyConfig) compares per job and per target:
//   - a job whose scrape config is unchanged keeps its pool; each target whose labels
//     are unchanged keeps its loop object, running on without restart;
//   - a target of a changed job whose labels are unchanged gets a new loop that takes
//     over the old one's series (no stale markers for what it still exposes);
//   - targets that are gone (job removed, target no longer discovered or now dropped
//     by relabeling) stop, and stale markers are written for all their series
//     (report series included) — on a worker, so ApplyConfig never waits on a scrape.
// Stop() writes no stale markers (Prometheus does not on shutdown either: the series
// continue after a restart).
//
// file_sd files are polled every ManagerOptions::discovery_poll (mtime and size) and
// re-read fully every refresh_interval; changes re-sync that pool only.
//
// Lifecycle: construct, ApplyConfig (any number of times, before or after Run), Run()
// (starts the threads and returns), Stop() (joins them; also done by the destructor).
// Thread-safety: every method is thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/logger.h"
#include "base/metrics.h"
#include "base/status.h"
#include "config/config.h"
#include "scrape/metadata.h"
#include "scrape/scrape_loop.h"
#include "storage/interface.h"

namespace hw::scrape {

class Scheduler;

struct ManagerOptions {
  int workers = 0;  // scrape worker threads; 0: 4 per core, between 4 and 64
  Duration discovery_poll = Duration(1'000);  // how often file_sd files are stat'ed
  // Host put in globalUrl for loopback targets; "" : this machine's hostname.
  std::string global_host;
};

// One target as /api/v1/targets shows it. For dropped targets only scrape_pool and
// discovered are set.
struct TargetStatus {
  std::string scrape_pool;
  model::Labels labels;      // what samples get (no "__" labels)
  model::Labels discovered;  // before relabeling
  std::string scrape_url;
  std::string global_url;    // scrape_url with a loopback host replaced
  Health health = Health::kUnknown;
  std::string last_error;
  std::int64_t last_scrape_ms = 0;  // 0: not scraped yet
  double last_scrape_duration_s = 0;
  Duration scrape_interval{0};
  Duration scrape_timeout{0};
  std::uint64_t loop_id = 0;  // the loop object; changes when the target restarts
};

class Manager {
 public:
  Manager(storage::Appendable& storage, Logger& log, metrics::Registry* registry,
          const Clock& clock, ManagerOptions options = {});
  ~Manager();
  Manager(const Manager&) = delete;
  Manager& operator=(const Manager&) = delete;

  // Applies config.scrape_configs (see the file comment). A relabel rule that does not
  // compile fails the whole call and changes nothing.
  Status ApplyConfig(const config::Config& config);
  void Run();
  void Stop();

  // Sorted by pool, then by labels.
  std::vector<TargetStatus> ActiveTargets() const;
  std::vector<TargetStatus> DroppedTargets() const;
  // Dropped targets per pool (Prometheus' droppedTargetCounts).
  std::map<std::string, std::size_t> DroppedTargetCounts() const;

  // /api/v1/metadata: metric family -> its distinct {type, help, unit} over the active
  // targets' last successful scrapes. `metric` "" means all; limit < 0 no limit on
  // metrics; limit_per_metric < 0 no limit on entries per metric.
  std::map<std::string, std::vector<MetricMetadata>> MetadataFor(std::string_view metric,
                                                                 int limit = -1,
                                                                 int limit_per_metric = -1) const;

 private:
  struct Pool;
  // Re-discovers `pool`'s targets and reconciles its loops. Requires mu_.
  void SyncPool(Pool& pool, std::map<std::uint64_t, std::shared_ptr<ScrapeLoop>> old_loops);
  void PollDiscovery();
  void Retire(std::shared_ptr<ScrapeLoop> loop, bool stale);
  TargetStatus StatusOf(const Pool& pool, const ScrapeLoop& loop) const;

  storage::Appendable& storage_;
  Logger& log_;
  const Clock& clock_;
  const ManagerOptions options_;
  const ScrapeMetrics metrics_;
  std::string global_host_;
  std::uint64_t offset_seed_ = 0;
  std::unique_ptr<Scheduler> scheduler_;

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Pool>> pools_;  // guarded by mu_; by job name
  std::uint64_t next_loop_id_ = 1;                      // guarded by mu_
};

}  // namespace hw::scrape
