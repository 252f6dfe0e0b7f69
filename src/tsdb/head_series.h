// MemSeries: one series in the head — its labels, its closed (immutable) chunks and
// the open chunk new samples are appended to.
//
// Chunks never straddle a block boundary: the open chunk is cut when it is full
// (XorChunk::IsFull) or when a sample crosses the next multiple of the block range,
// so cutting the head into a block takes whole chunks.
//
// Thread-safety: mu() guards every mutable field. Readers take a ChunkSnapshot under
// the lock (closed chunks are shared immutable buffers; the open chunk is copied)
// and decode it without the lock. mu() is not a per-series mutex (that cost 40 bytes
// a series): it is one of kSeriesLockStripes process-wide mutexes, picked by ref, so
// unrelated series (of any head) may share it. Hence: never hold two series' locks at
// once, and call nothing that may take another series' lock while holding one.
//
// Memory: a series with no samples is its ref, labels (one shared pointer), an empty
// closed-chunk list and the last-sample fields; the open chunk, its appender state
// and its time span are one allocation (OpenChunk) made on the first sample.
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

// Series lock stripes. A power of two; 1024 keeps the chance that two of a few
// appender threads meet on one stripe small, at 64 KiB (one cache line each).
inline constexpr std::size_t kSeriesLockStripes = 1024;

class MemSeries {
 public:
  MemSeries(storage::SeriesRef ref, model::Labels labels)
      : ref_(ref), labels_(std::move(labels)) {}
  ~MemSeries();

  storage::SeriesRef ref() const { return ref_; }
  const model::Labels& labels() const { return labels_; }

  // The lock guarding this series (see the file comment: shared with other series).
  std::mutex& mu() const;

  // Checks (t, v) against the last sample without appending. Requires mu() held.
  AppendCheck CheckLocked(std::int64_t t, double v) const;
  // Appends after CheckLocked returned kOk. Requires mu() held. Returns true when the
  // sample started a new chunk. `block_range_ms` is the head's (chunks never straddle
  // a multiple of it).
  bool AppendLocked(std::int64_t t, double v, std::int64_t block_range_ms);

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
  int DeleteRange(std::int64_t mint, std::int64_t maxt, std::int64_t block_range_ms);

  // True when the series holds no samples at all. Takes mu.
  bool Empty();
  // Newest sample time, or INT64_MIN when none was ever appended. Takes mu.
  std::int64_t MaxTime();
  // Oldest sample time still held, or INT64_MAX when empty. Takes mu.
  std::int64_t MinTime();

 private:
  // The chunk being appended to, with its encoder state and span: one allocation.
  // Pinned in memory (the appender points at the chunk).
  struct OpenChunk {
    OpenChunk() : appender(*chunk.NewAppender()) {}
    OpenChunk(const OpenChunk&) = delete;
    OpenChunk& operator=(const OpenChunk&) = delete;

    XorChunk chunk;
    XorAppender appender;  // appends to chunk
    std::int64_t mint = 0;
    std::int64_t maxt = 0;
    std::int64_t next_boundary = 0;  // the first block boundary after mint
  };

  // Closes the open chunk (if it has samples) and opens a new one starting at t.
  void CutChunkLocked(std::int64_t t, std::int64_t block_range_ms);
  // The open chunk as a closed one (bytes copied, trimmed to size).
  ClosedChunkPtr FreezeOpenLocked() const;

  const storage::SeriesRef ref_;
  const model::Labels labels_;

  std::vector<ClosedChunkPtr> closed_;  // guarded by mu()
  std::unique_ptr<OpenChunk> open_;     // guarded by mu(); null before the first sample
  std::int64_t last_t_ = std::numeric_limits<std::int64_t>::min();  // guarded by mu()
  std::uint64_t last_v_bits_ = 0;                                   // guarded by mu()

 public:
  // Set once a WAL Series record for this series is durable.
  std::atomic<bool> wal_logged{false};
  // Set when the head forgets the series (Truncate); an appender still holding it
  // re-resolves its labels at commit.
  std::atomic<bool> removed{false};
};

// The first multiple of `range` strictly after t (floor division for negatives).
std::int64_t NextBoundary(std::int64_t t, std::int64_t range);
// The last multiple of `range` at or before t: the start of t's block range.
inline std::int64_t FloorToRange(std::int64_t t, std::int64_t range) {
  return NextBoundary(t, range) - range;
}

}  // namespace hw::tsdb
