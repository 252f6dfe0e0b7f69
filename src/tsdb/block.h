// Block: a persisted, immutable block opened for reading — meta.json, the index and
// the chunk segments mapped into memory, and the tombstones loaded.
//
// Lifetime: blocks are shared (std::shared_ptr<Block>); every querier holds a
// reference, so a block stays fully readable while any querier uses it. Retention and
// compaction call MarkDeleted(), which at once renames the directory to
// `<ULID>.deleted` (so a restart never loads it again) and leaves removal of the files
// to the destructor, i.e. to whoever drops the last reference. The mappings would stay
// valid even if the files were unlinked first (Linux keeps mapped inodes alive), but
// deferring removal also keeps `du` honest about what is still in use.
//
// Thread-safety: thread-safe. Meta, index and chunks are immutable. Tombstones are a
// snapshot (shared_ptr to an immutable map) swapped under mu_ by Delete, so readers
// never block on a delete and a querier sees the tombstones of its creation time.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/matcher.h"
#include "tsdb/block_meta.h"
#include "tsdb/block_sample_cache.h"
#include "tsdb/chunk_file.h"
#include "tsdb/index_reader.h"
#include "tsdb/tombstones.h"

namespace hw::tsdb {

class Block {
 public:
  // Opens `dir` (a block directory). kNotFound if meta.json is missing; kInternal,
  // naming the file and byte offset, when any file is corrupt.
  static Result<std::shared_ptr<Block>> Open(const std::string& dir);
  ~Block();
  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;

  const BlockMeta& meta() const { return meta_; }
  // The directory the block was opened from (not updated by MarkDeleted).
  const std::string& dir() const { return dir_; }
  const IndexReader& index() const { return *index_; }
  const ChunkFileReader& chunks() const { return *chunks_; }
  // Bytes of the chunk segments and index (what retention by size counts).
  std::uint64_t size_bytes() const { return index_->size_bytes() + chunks_->total_bytes(); }
  // This block's key prefix in SampleCache::Shared() (its entries go with the block).
  std::uint64_t cache_owner() const { return cache_owner_; }

  // The current tombstones; never null.
  std::shared_ptr<const TombstoneMap> tombstones() const;
  // Marks [mint, maxt] of every series matching `matchers` deleted and persists the
  // tombstones atomically. Queriers created afterwards no longer see those samples.
  Status Delete(const std::vector<model::Matcher>& matchers, std::int64_t mint, std::int64_t maxt);

  // Renames the directory to `<dir>.deleted`; the files are removed when the last
  // reference to this Block goes away. Idempotent.
  Status MarkDeleted();

 private:
  Block() = default;

  std::string dir_;
  BlockMeta meta_;
  std::unique_ptr<IndexReader> index_;
  std::unique_ptr<ChunkFileReader> chunks_;
  const std::uint64_t cache_owner_ = SampleCache::NewOwner();

  mutable std::mutex mu_;
  std::shared_ptr<const TombstoneMap> tombstones_;  // guarded by mu_
  bool deleted_ = false;                            // guarded by mu_
  std::string deleted_dir_;                         // guarded by mu_: `<dir>.deleted`
};

}  // namespace hw::tsdb
