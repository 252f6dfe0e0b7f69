// Scheduler: runs every scrape loop on its own schedule with a fixed set of threads —
// one scheduler thread and N workers — so 1,000 targets never mean 1,000 threads.
//
// The scheduler thread keeps a min-heap of (due time, loop). When a loop is due it is
// queued for the workers, unless its previous scrape is still queued or running (then
// the tick is skipped, as a Prometheus ticker drops ticks). A worker runs
// ScrapeLoop::ScrapeOnce, which blocks on the target's HTTP GET for up to its
// scrape_timeout: N bounds how many slow targets can be waited on at once, and a
// scrape that waits for a free worker simply starts late. Because a loop is queued at
// most once, the work queue never holds more entries than there are loops (plus the
// posted tasks below).
//
// Schedules are pinned to wall-clock time: a loop with interval I and offset O is
// scraped when now % I == O, so restarts keep the spacing, and offsets spread over the
// interval (Prometheus hashes the target's labels for O). Waiting uses the steady
// clock.
//
// Posted tasks (stale markers of removed targets) run on the workers in order with
// scrapes; Stop() still runs the posted tasks already queued but no more scrapes,
// then joins every thread (waiting for scrapes in progress, each bounded by its
// timeout). A periodic tick runs on the scheduler thread (file discovery polls).
//
// Thread-safety: all methods are thread-safe; Start and Stop are called once each.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/metrics.h"
#include "scrape/scrape_loop.h"

namespace hw::scrape {

class Scheduler {
 public:
  // `skipped_ticks` (optional) counts ticks skipped because the loop was still busy.
  Scheduler(int workers, const Clock& clock, metrics::Counter* skipped_ticks = nullptr);
  ~Scheduler();

  void Start();
  void Stop();

  // Schedules `loop` every loop->target().interval at wall times t with
  // t % interval == offset % interval. A stopped loop leaves the schedule at its next
  // due time.
  void Add(std::shared_ptr<ScrapeLoop> loop, std::uint64_t offset_ms);
  // Runs fn on a worker (or at Stop, if it never got one).
  void Post(std::function<void()> fn);
  // Runs fn on the scheduler thread every `every` (set before Start).
  void SetTick(std::chrono::milliseconds every, std::function<void()> fn);

  // Ticks skipped because the loop was still busy.
  std::uint64_t skipped() const;

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;
  struct Due {
    SteadyTime when;
    std::weak_ptr<ScrapeLoop> loop;
    bool operator>(const Due& o) const { return when > o.when; }
  };
  struct Task {
    std::shared_ptr<ScrapeLoop> scrape;  // a scrape, or
    std::function<void()> fn;            // a posted task
  };

  void SchedulerMain();
  void WorkerMain();

  const int workers_;
  const Clock& clock_;
  metrics::Counter* const skipped_ticks_;
  std::chrono::milliseconds tick_every_{0};
  std::function<void()> tick_;

  mutable std::mutex mu_;
  std::condition_variable schedule_cv_;  // heap changed or stopping
  std::condition_variable work_cv_;      // queue changed or stopping
  std::priority_queue<Due, std::vector<Due>, std::greater<>> heap_;  // guarded by mu_
  std::deque<Task> queue_;                                          // guarded by mu_
  bool stopping_ = false;                                           // guarded by mu_
  bool started_ = false;                                            // guarded by mu_
  bool stopped_ = false;  // guarded by mu_: Stop() finished; Post runs inline
  std::uint64_t skipped_ = 0;                                       // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace hw::scrape
