// BlockWriter: writes one immutable block directory (docs/format/block.md).
//
// Everything goes to `<parent>/<ULID>.tmp/` first: chunk segments are streamed as
// series arrive; the index, then meta.json, are written by Finish, which fsyncs every
// file and the directory and renames it to `<parent>/<ULID>` in one atomic step. A
// crash before the rename leaves only a `.tmp` directory, which openers delete.
//
// Encodings (BlockWriterOptions::encoding):
//   kColumnarBatched (default) — each series' samples in the block become one columnar
//     payload (tsdb/codec.h; more than kMaxSamplesPerChunk samples are split), and the
//     payloads of label-adjacent series are grouped into kBatch records of about
//     BatchBuilder::kTargetRawBytes, each one zstd frame. Incoming chunks of any
//     encoding are decoded first, exactly as a reader would see them (a later chunk
//     contributes only samples after the previous chunk's last timestamp).
//   kXor — chunks are stored as given (the head's XOR chunks; kept for tests and for
//     writing blocks that older readers understand chunk-wise).
//
// Memory: the writer keeps each series' Labels and ~10 bytes per chunk for the index,
// plus, in batched mode, the open batch (~64 KiB) and the series waiting for its ref.
//
// Not thread-safe: one thread adds the series and calls Finish. Destroying a writer
// that was not finished removes its temporary directory.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "model/sample.h"
#include "tsdb/block_meta.h"
#include "tsdb/chunk_file.h"
#include "tsdb/codec.h"
#include "tsdb/index_writer.h"
#include "tsdb/ulid.h"

namespace hw::tsdb {

enum class BlockEncoding { kXor, kColumnarBatched };

struct BlockWriterOptions {
  std::uint64_t max_segment_size = kDefaultMaxSegmentSize;
  BlockEncoding encoding = BlockEncoding::kColumnarBatched;
  int zstd_level = kCodecZstdLevel;  // of kBatch frames
};

class BlockWriter {
 public:
  // Most samples one columnar chunk holds: a 2 h block scraped every second (7,200)
  // stays one chunk, while a Seek into a long compacted series decodes at most this
  // many samples (tens of microseconds).
  static constexpr std::size_t kMaxSamplesPerChunk = 8192;

  // Creates `<parent_dir>/<ulid>.tmp/chunks/` (the parent must exist).
  static Result<std::unique_ptr<BlockWriter>> Create(const std::string& parent_dir,
                                                     Ulid ulid = NewUlid(),
                                                     BlockWriterOptions options = {});
  ~BlockWriter();
  BlockWriter(const BlockWriter&) = delete;
  BlockWriter& operator=(const BlockWriter&) = delete;

  // Adds the next series with its chunks (sorted by mint, bytes set; any encoding
  // NewChunkIterator reads). Labels must be strictly after the previous series' in
  // model::Labels order: kBadData otherwise, and nothing is written. A series without
  // chunks (or, in batched mode, without samples) is skipped.
  Status AddSeries(const model::Labels& labels, std::span<const ChunkMeta> chunks);
  // As AddSeries, from samples (in the order a reader should return them). Batched
  // mode encodes them directly; kXor mode cuts XOR chunks of XorChunk's size.
  Status AddSeriesSamples(const model::Labels& labels, std::span<const model::Sample> samples);

  // Completes the block and returns its final directory. From `meta` the writer keeps
  // min_time/max_time (when both are 0 they become [min chunk mint, max chunk maxt+1))
  // and compaction (sources default to the block's own ULID); it sets ulid, stats and
  // version. The writer cannot be used afterwards.
  Result<std::string> Finish(BlockMeta meta);

  const Ulid& ulid() const { return ulid_; }

 private:
  // A series whose index entry waits for the ref of the batch holding its payloads.
  struct Pending {
    model::Labels labels;
    std::vector<ChunkMeta> metas;
    std::size_t added = 0;     // metas[0, added) have their payload in a batch
    std::size_t resolved = 0;  // metas[0, resolved) have their batch's ref
  };

  BlockWriter() = default;
  Status CheckOrder(const model::Labels& labels) const;
  // Writes chunks as given and indexes them (kXor mode).
  Status WriteChunks(const model::Labels& labels, std::span<const ChunkMeta> chunks);
  Status AddBatched(const model::Labels& labels, std::span<const model::Sample> samples);
  // The samples a BlockSeriesIterator would return from `chunks`, in order.
  static Status DecodeChunks(const model::Labels& labels, std::span<const ChunkMeta> chunks,
                             std::vector<model::Sample>* out);
  // Writes the open batch as one kBatch record and indexes the series it completes.
  Status FlushBatch();
  void Account(const ChunkMeta& c);

  std::string parent_dir_;
  std::string tmp_dir_;
  Ulid ulid_;
  BlockWriterOptions options_;
  std::unique_ptr<ChunkFileWriter> chunks_;
  IndexWriter index_;
  model::Labels last_;
  bool finished_ = false;
  BlockStats stats_;
  std::int64_t min_t_ = INT64_MAX;
  std::int64_t max_t_ = INT64_MIN;
  std::vector<ChunkMeta> scratch_;
  BatchBuilder batch_;
  std::deque<Pending> pending_;
  std::vector<model::Sample> samples_;  // scratch for decoded chunks
};

}  // namespace hw::tsdb
