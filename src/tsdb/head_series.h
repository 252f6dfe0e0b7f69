// MemSeries: one series in the head — its labels, its closed (immutable) chunks and
// the open chunk new samples are appended to.
//
// Chunks never straddle a block boundary: the open chunk is cut when it is full
// (XorChunk::IsFull) or when a sample crosses the next multiple of the block range,
// so cutting the head into a block takes whole chunks.
//
// Thread-safety: `mu` guards every mutable field. Readers take a ChunkSnapshot under
// the lock (closed chunks are shared immutable buffers; the open chunk is copied)
// and decode it without the lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "model/labels.h"
#include "model/sample.h"
#include "storage/interface.h"
#include "tsdb/chunk.h"

namespace hw::tsdb {

// An immutable encoded XOR chunk and the time span it covers.
struct ClosedChunk {
  std::int64_t mint = 0;
  std::int64_t maxt = 0;
  int num_samples = 0;
  std::vector<std::uint8_t> bytes;
};
using ClosedChunkPtr = std::shared_ptr<const ClosedChunk>;

// What a reader sees of one series at one moment.
struct ChunkSnapshot {
  std::vector<ClosedChunkPtr> chunks;  // in time order, the open chunk copied last
};

// The outcome of trying to add one sample to a series.
enum class AppendCheck {
  kOk,            // newer than the last sample: appended
  kDuplicate,     // same timestamp and bit-identical value: ignored
  kOutOfOrder,    // older than the last sample
  kDuplicateTs,   // same timestamp, different value
};

class MemSeries {
 public:
  MemSeries(storage::SeriesRef ref, model::Labels labels, std::int64_t block_range_ms)
      : ref_(ref), labels_(std::move(labels)), block_range_ms_(block_range_ms) {}

  storage::SeriesRef ref() const { return ref_; }
  const model::Labels& labels() const { return labels_; }

  // Checks (t, v) against the last sample without appending. Requires mu held.
  AppendCheck CheckLocked(std::int64_t t, double v) const;
  // Appends after CheckLocked returned kOk. Requires mu held. Returns true when the
  // sample started a new chunk.
  bool AppendLocked(std::int64_t t, double v);

  // The chunks overlapping [mint, maxt]. Takes mu.
  ChunkSnapshot Snapshot(std::int64_t mint, std::int64_t maxt);

  // Drops every chunk that ends before `t`; returns how many chunks went. Takes mu.
  // Chunks never straddle a block boundary, so truncating at one drops exactly the
  // data before it.
  int TruncateBefore(std::int64_t t);
  // Number of chunks held, open one included. Takes mu.
  int NumChunks();

  // Keeps only samples outside [mint, maxt], re-encoding affected chunks. Takes mu.
  // Returns the number of samples removed.
  int DeleteRange(std::int64_t mint, std::int64_t maxt);

  // True when the series holds no samples at all. Takes mu.
  bool Empty();
  // Newest sample time, or INT64_MIN when none was ever appended. Takes mu.
  std::int64_t MaxTime();
  // Oldest sample time still held, or INT64_MAX when empty. Takes mu.
  std::int64_t MinTime();

  std::mutex mu;
  // Set once a WAL Series record for this series is durable.
  std::atomic<bool> wal_logged{false};
  // Set when the head forgets the series (Truncate); an appender still holding it
  // re-resolves its labels at commit.
  std::atomic<bool> removed{false};

 private:
  void CutChunkLocked();

  const storage::SeriesRef ref_;
  const model::Labels labels_;
  const std::int64_t block_range_ms_;

  std::vector<ClosedChunkPtr> closed_;      // guarded by mu
  std::unique_ptr<XorChunk> open_;          // guarded by mu; null before the first sample
  std::optional<XorAppender> appender_;     // guarded by mu; appends to *open_
  std::int64_t open_mint_ = 0;              // guarded by mu
  std::int64_t open_maxt_ = 0;              // guarded by mu
  std::int64_t next_boundary_ = std::numeric_limits<std::int64_t>::min();  // guarded by mu
  std::int64_t last_t_ = std::numeric_limits<std::int64_t>::min();         // guarded by mu
  std::uint64_t last_v_bits_ = 0;                                          // guarded by mu
};

// The first multiple of `range` strictly after t (floor division for negatives).
std::int64_t NextBoundary(std::int64_t t, std::int64_t range);

}  // namespace hw::tsdb
