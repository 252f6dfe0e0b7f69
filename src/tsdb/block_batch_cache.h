// BatchCache: remembers the last kBatch chunk record decompressed from one block.
//
// In a columnar block a zstd frame (one kBatch record, ~64 KiB raw) holds the payloads
// of many label-adjacent series. A querier reads series in label order, so consecutive
// series almost always sit in the same frame: keeping the last one decompressed turns
// "one decompression per series" into "one per frame". One entry suffices for that
// access pattern and bounds memory at one frame (~64 KiB plus offsets) per series set.
// A hit also skips re-reading the record, whose CRC was checked when it was inserted.
//
// Ownership: a series set (block_querier.cc) owns one cache through a shared_ptr and
// hands it to every iterator it creates; entries are shared_ptr<const BatchReader>, so
// an iterator keeps using its batch after the cache has moved on to another.
//
// Thread-safety: thread-safe; mu_ guards the entry and counters. Callers decompress
// outside the lock (two threads missing at once both decompress; the later one stays).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>

#include "tsdb/chunk_file.h"
#include "tsdb/codec.h"

namespace hw::tsdb {

class BatchCache {
 public:
  // The batch of the record at `ref` if it is the cached one (counted as a hit), else
  // null (counted as a miss). All refs given to one cache are of the same block.
  std::shared_ptr<const BatchReader> Lookup(ChunkRef ref);
  // Makes `batch`, decompressed from the record at `ref`, the cached entry.
  void Insert(ChunkRef ref, std::shared_ptr<const BatchReader> batch);

  std::uint64_t hits() const;
  std::uint64_t misses() const;

 private:
  mutable std::mutex mu_;
  ChunkRef ref_ = 0;                          // guarded by mu_
  std::shared_ptr<const BatchReader> batch_;  // guarded by mu_; null: empty
  std::uint64_t hits_ = 0;                    // guarded by mu_
  std::uint64_t misses_ = 0;                  // guarded by mu_
};

}  // namespace hw::tsdb
