// BlockWriter: writes one immutable block directory (docs/format/block.md).
//
// Everything goes to `<parent>/<ULID>.tmp/` first: chunk segments are streamed as
// series arrive; the index, then meta.json, are written by Finish, which fsyncs every
// file and the directory and renames it to `<parent>/<ULID>` in one atomic step. A
// crash before the rename leaves only a `.tmp` directory, which openers delete.
//
// Memory: the writer keeps each series' Labels and ~10 bytes per chunk for the
// index, never chunk data.
//
// Not thread-safe: one thread adds the series and calls Finish. Destroying a writer
// that was not finished removes its temporary directory.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "base/status.h"
#include "model/labels.h"
#include "tsdb/block_meta.h"
#include "tsdb/chunk_file.h"
#include "tsdb/index_writer.h"
#include "tsdb/ulid.h"

namespace hw::tsdb {

struct BlockWriterOptions {
  std::uint64_t max_segment_size = kDefaultMaxSegmentSize;
};

class BlockWriter {
 public:
  // Creates `<parent_dir>/<ulid>.tmp/chunks/` (the parent must exist).
  static Result<std::unique_ptr<BlockWriter>> Create(const std::string& parent_dir,
                                                     Ulid ulid = NewUlid(),
                                                     BlockWriterOptions options = {});
  ~BlockWriter();
  BlockWriter(const BlockWriter&) = delete;
  BlockWriter& operator=(const BlockWriter&) = delete;

  // Adds the next series with its chunks (sorted by mint, bytes set). Labels must be
  // strictly after the previous series' in model::Labels order: kBadData otherwise,
  // and nothing is written. A series without chunks is skipped.
  Status AddSeries(const model::Labels& labels, std::span<const ChunkMeta> chunks);

  // Completes the block and returns its final directory. From `meta` the writer keeps
  // min_time/max_time (when both are 0 they become [min chunk mint, max chunk maxt+1))
  // and compaction (sources default to the block's own ULID); it sets ulid, stats and
  // version. The writer cannot be used afterwards.
  Result<std::string> Finish(BlockMeta meta);

  const Ulid& ulid() const { return ulid_; }

 private:
  BlockWriter() = default;

  std::string parent_dir_;
  std::string tmp_dir_;
  Ulid ulid_;
  std::unique_ptr<ChunkFileWriter> chunks_;
  IndexWriter index_;
  model::Labels last_;
  bool finished_ = false;
  BlockStats stats_;
  std::int64_t min_t_ = INT64_MAX;
  std::int64_t max_t_ = INT64_MIN;
  std::vector<ChunkMeta> scratch_;
};

}  // namespace hw::tsdb
