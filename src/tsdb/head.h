// Head: the in-memory, writable part of the time-series store — the newest few hours
// of every series, in compressed chunks, with an inverted index.
//
// Writers get Appenders (storage::Appendable); readers get Queriers over a snapshot
// (storage::Queryable). Before a commit becomes visible it is handed to the WalWriter
// (when set), so whatever Commit acknowledged survives a crash; replay feeds the log
// back through ReplaySeries/ReplaySamples.
//
// Thread-safety: thread-safe. Which lock guards what:
//   * HashStripe::mu — that stripe's SeriesHashSet (series whose labels hash to it);
//   * RefStripe::mu — that stripe's SeriesRefTable (series whose ref maps to it), the
//     owning reference to each series;
//   * MemSeries::mu() — one series' chunks and last sample (a striped, process-wide
//     lock: hold at most one at a time, see head_series.h);
//   * the PostingsIndex's own shared mutex — the index;
//   * commit_mu_ — shared by commits while they apply, exclusive while the writable
//     window moves (SetMinValidTime) and while Truncate removes series.
// Lock order: a HashStripe mutex may be held while taking a RefStripe mutex (Create),
// never the reverse; no series lock is held while taking a stripe or index lock, and
// no lock is held while calling the WalWriter.
//
// Memory per series (see head_memory_bench): its Labels block (shared with the index
// and every reader), the MemSeries (with its shared_ptr control block), its open
// chunk once written, one slot in each series map and its postings.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include "base/metrics.h"
#include "storage/interface.h"
#include "tsdb/head_maps.h"
#include "tsdb/head_series.h"
#include "tsdb/postings_index.h"
#include "tsdb/record.h"

namespace hw::tsdb {

struct HeadOptions {
  // Blocks cover this much time; head chunks never straddle a multiple of it.
  std::int64_t block_range_ms = 2 * 3600 * 1000;
};

// What one commit adds, as the write-ahead log records it: first the series created
// since they were last logged, then the samples.
struct WalBatch {
  std::vector<std::pair<storage::SeriesRef, model::Labels>> series;
  std::vector<RefSample> samples;
};
using WalWriter = std::function<Status(const WalBatch&)>;

struct HeadStats {
  std::uint64_t series = 0;
  std::int64_t min_time = std::numeric_limits<std::int64_t>::max();
  std::int64_t max_time = std::numeric_limits<std::int64_t>::min();
};

class Head : public storage::Appendable, public storage::Queryable {
 public:
  explicit Head(HeadOptions options = {}, metrics::Registry* registry = nullptr);
  ~Head() override;

  // Set before the first append; commits call it before applying their samples.
  void SetWalWriter(WalWriter writer) { wal_ = std::move(writer); }

  std::unique_ptr<storage::Appender> NewAppender() override;
  Result<std::unique_ptr<storage::Querier>> NewQuerier(std::int64_t mint,
                                                       std::int64_t maxt) override;

  // Replay: recreates series with their logged references and appends samples
  // without logging them again. Samples that fail the order checks are counted.
  void ReplaySeries(storage::SeriesRef ref, const model::Labels& labels);
  void ReplaySamples(const std::vector<RefSample>& samples);
  // Replay of a deletion record.
  void ReplayDelete(storage::SeriesRef ref, std::int64_t mint, std::int64_t maxt);

  // Removes samples of the matching series in [mint, maxt]; returns their refs (for
  // the WAL's tombstone record).
  std::vector<storage::SeriesRef> DeleteSeries(const std::vector<model::Matcher>& matchers,
                                               std::int64_t mint, std::int64_t maxt);

  // Drops all data before t (after it was written to a block) and forgets series
  // left empty. New head min time becomes >= t.
  void Truncate(std::int64_t t);

  // Samples older than this are refused ("out of bounds"): their time range has been
  // persisted to a block. Moving it waits for commits in progress, so a commit either
  // lands before the move (and is in the block cut after it) or sees the new bound.
  void SetMinValidTime(std::int64_t t);
  std::int64_t MinValidTime() const { return min_valid_time_.load(); }

  HeadStats Stats() const;
  std::int64_t MinTime() const { return min_time_.load(); }
  std::int64_t MaxTime() const { return max_time_.load(); }
  std::int64_t block_range_ms() const { return options_.block_range_ms; }

  // Every series (sorted by labels) — for writing blocks.
  std::vector<std::shared_ptr<MemSeries>> SortedSeries(
      const std::vector<model::Matcher>& matchers = {}) const;
  std::shared_ptr<MemSeries> ByRef(storage::SeriesRef ref) const;
  // True if the series is still in the head (used to decide what a checkpoint keeps).
  bool HasSeries(storage::SeriesRef ref) const { return ByRef(ref) != nullptr; }

  // Label names and values over the series matching `matchers` (all if empty).
  std::vector<std::string> LabelNames(const std::vector<model::Matcher>& matchers) const;
  std::vector<std::string> LabelValues(std::string_view name,
                                       const std::vector<model::Matcher>& matchers) const;

  // The existing series with these canonical label pairs (hash = Labels::HashPairs),
  // or null.
  std::shared_ptr<MemSeries> FindPairs(
      std::uint64_t hash,
      std::span<const std::pair<std::string_view, std::string_view>> pairs) const;

  // Finds or creates the series; `created` tells which.
  std::shared_ptr<MemSeries> GetOrCreate(const model::Labels& labels, bool* created);

 private:
  friend class HeadAppender;
  static constexpr int kStripes = 128;
  struct HashStripe {
    std::mutex mu;
    SeriesHashSet series;  // guarded by mu: series whose labels hash % kStripes is this
  };
  struct RefStripe {
    std::mutex mu;
    SeriesRefTable series;  // guarded by mu: ref % kStripes is this, at index ref / kStripes
  };

  std::shared_ptr<MemSeries> Create(storage::SeriesRef ref, const model::Labels& labels,
                                    bool* created);
  void UpdateTimes(std::int64_t mint, std::int64_t maxt);
  // Forgets the series (all of them quiet; commit_mu_ held exclusively).
  void RemoveSeries(const std::vector<std::shared_ptr<MemSeries>>& series);

  HeadOptions options_;
  WalWriter wal_;
  std::unique_ptr<HashStripe[]> by_hash_;
  std::unique_ptr<RefStripe[]> by_ref_;
  PostingsIndex index_;
  std::atomic<storage::SeriesRef> next_ref_{1};
  std::atomic<std::int64_t> min_time_{std::numeric_limits<std::int64_t>::max()};
  std::atomic<std::int64_t> max_time_{std::numeric_limits<std::int64_t>::min()};
  std::atomic<std::uint64_t> num_series_{0};
  std::atomic<std::int64_t> num_chunks_{0};
  std::atomic<std::int64_t> min_valid_time_{std::numeric_limits<std::int64_t>::min()};
  // Commits hold this shared while they check bounds and apply; SetMinValidTime holds
  // it exclusively.
  mutable std::shared_mutex commit_mu_;

  // Self-metrics (null without a registry).
  metrics::Counter* samples_appended_ = nullptr;
  metrics::Counter* out_of_order_ = nullptr;
  metrics::Counter* duplicate_ts_ = nullptr;
  metrics::Counter* out_of_bounds_ = nullptr;
  metrics::Counter* series_created_ = nullptr;
  metrics::Counter* series_removed_ = nullptr;
};

}  // namespace hw::tsdb
