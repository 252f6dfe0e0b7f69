// Sample iterators over stored chunks.
//
// NewChunkIterator decodes one chunk by its encoding byte; it is the single place a
// new codec is plugged in (add a ChunkEncoding value and a case). BlockSeriesIterator
// walks one series' chunks in a block, clipped to [mint, maxt] and with tombstoned
// samples skipped, decoding each chunk only when reached (Seek skips whole chunks by
// their index time range).
//
// Not thread-safe (storage::SampleIterator contract). A BlockSeriesIterator holds a
// reference to its Block, so it stays valid on its own.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "storage/interface.h"
#include "tsdb/block.h"
#include "tsdb/chunk_file.h"
#include "tsdb/tombstones.h"

namespace hw::tsdb {

// An iterator over the samples of one encoded chunk (which must outlive it). For an
// unknown encoding the iterator is empty and Err() is kInternal.
std::unique_ptr<storage::SampleIterator> NewChunkIterator(const ChunkView& chunk);

class BlockSeriesIterator : public storage::SampleIterator {
 public:
  // `chunks` are the series' metas (refs set), sorted by mint; `deleted` its
  // tombstones (may be empty).
  BlockSeriesIterator(std::shared_ptr<const Block> block, std::vector<ChunkMeta> chunks,
                      Intervals deleted, std::int64_t mint, std::int64_t maxt);

  bool Next() override;
  bool Seek(std::int64_t t) override;
  model::Sample At() const override { return cur_->At(); }
  Status Err() const override { return err_; }

 private:
  // Opens chunks_[next_chunk_] onwards until one yields a sample >= t; false at end.
  bool OpenNextFrom(std::int64_t t);
  // Advances past tombstoned samples and checks maxt; false when exhausted.
  bool Settle(bool ok);
  // Moves past the current sample, into the next chunk if needed.
  bool Advance();
  // Ends iteration with `s` as the error (OK for a plain end).
  bool Fail(Status s);

  std::shared_ptr<const Block> block_;
  std::vector<ChunkMeta> chunks_;
  Intervals deleted_;
  std::int64_t mint_;
  std::int64_t maxt_;
  std::size_t next_chunk_ = 0;
  std::unique_ptr<storage::SampleIterator> cur_;
  bool positioned_ = false;
  bool done_ = false;
  Status err_;
};

}  // namespace hw::tsdb
