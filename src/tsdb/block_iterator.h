// Sample iterators over stored chunks.
//
// NewChunkIterator decodes one chunk by its encoding byte; it is the single place a
// new codec is plugged in (add a ChunkEncoding value and a case). OpenChunk reads a
// chunk by its index meta (ref, batch_index), going through a BatchCache for kBatch
// records and the process-wide SampleCache for their decoded payloads.
// BlockSeriesIterator walks one series' chunks in a block, clipped to [mint, maxt] and
// with tombstoned samples skipped, decoding each chunk only when reached (Seek skips
// whole chunks by their index time range).
//
// Columnar chunks (kColumnar, kZstd, a payload of a kBatch) are decoded in bulk when
// opened; XOR chunks sample by sample.
//
// Not thread-safe (storage::SampleIterator contract). A BlockSeriesIterator holds a
// reference to its Block and its BatchCache, so it stays valid on its own.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "storage/interface.h"
#include "tsdb/block.h"
#include "tsdb/block_batch_cache.h"
#include "tsdb/block_sample_cache.h"
#include "tsdb/chunk_file.h"
#include "tsdb/tombstones.h"

namespace hw::tsdb {

// An iterator over the samples of one encoded chunk (which must outlive it); for a
// kBatch record, of its payload `batch_index` (decompressing the whole record). For an
// unknown encoding or a corrupt payload the iterator is empty and Err() is not OK.
// Columnar payloads in time order yield only their samples in [mint, maxt] (what is
// outside is not materialized); other chunks may yield samples outside it.
std::unique_ptr<storage::SampleIterator> NewChunkIterator(
    const ChunkView& chunk, std::uint32_t batch_index = 0,
    std::int64_t mint = std::numeric_limits<std::int64_t>::min(),
    std::int64_t maxt = std::numeric_limits<std::int64_t>::max());

// Where OpenChunk looks before reading a chunk; null members are skipped.
struct ChunkCaches {
  BatchCache* batches = nullptr;   // decompressed kBatch records
  SampleCache* samples = nullptr;  // decoded kBatch payloads
  std::uint64_t owner = 0;         // the block's key in `samples` (Block::cache_owner)
};

// The chunk at meta.ref / meta.batch_index of `chunks`, CRC-checked (a sample cache
// hit skips the read: the record was checked when it was decoded). kBatch records come
// from caches.batches, and their payloads from caches.samples, decoded whole and
// cached on a miss. Errors (kInternal, naming the segment file and offset) are
// reported by the returned iterator's Err(). [mint, maxt] as for NewChunkIterator.
std::unique_ptr<storage::SampleIterator> OpenChunk(
    const ChunkFileReader& chunks, const ChunkMeta& meta, const ChunkCaches& caches,
    std::int64_t mint = std::numeric_limits<std::int64_t>::min(),
    std::int64_t maxt = std::numeric_limits<std::int64_t>::max());

class BlockSeriesIterator : public storage::SampleIterator {
 public:
  // `chunks` are the series' metas (refs set), sorted by mint; `deleted` its
  // tombstones (may be empty); `cache` (may be null) is shared with the other
  // iterators over the same block; `samples` (may be null: decode every time) is
  // where decoded kBatch payloads are looked up and kept.
  BlockSeriesIterator(std::shared_ptr<const Block> block, std::vector<ChunkMeta> chunks,
                      Intervals deleted, std::int64_t mint, std::int64_t maxt,
                      std::shared_ptr<BatchCache> cache = nullptr,
                      SampleCache* samples = nullptr);

  bool Next() override;
  bool Seek(std::int64_t t) override;
  model::Sample At() const override { return cur_->At(); }
  Status Err() const override { return err_; }
  std::size_t NextBatch(std::span<model::Sample> buf) override;

 private:
  // Opens chunks_[next_chunk_] onwards until one yields a sample >= t; false at end.
  bool OpenNextFrom(std::int64_t t);
  // Advances past tombstoned samples and checks maxt; false when exhausted.
  bool Settle(bool ok);
  // Moves past the current sample, into the next chunk if needed.
  bool Advance();
  // Ends iteration with `s` as the error (OK for a plain end).
  bool Fail(Status s);
  // Fails with cur_'s decoding error, naming the chunk and its file.
  bool FailChunk();

  std::shared_ptr<const Block> block_;
  std::shared_ptr<BatchCache> cache_;
  SampleCache* samples_;
  std::vector<ChunkMeta> chunks_;
  Intervals deleted_;
  std::int64_t mint_;
  std::int64_t maxt_;
  std::size_t next_chunk_ = 0;
  std::unique_ptr<storage::SampleIterator> cur_;
  const ChunkMeta* cur_meta_ = nullptr;  // into chunks_: the chunk cur_ reads
  bool positioned_ = false;
  bool done_ = false;
  Status err_;
};

}  // namespace hw::tsdb
