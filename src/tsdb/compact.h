// Compaction: merging several blocks into one.
//
// CompactBlocks reads every input through a MergeQuerier of BlockQueriers over the
// union of their time ranges, so series are merged by labels, samples by timestamp
// (for equal timestamps the input sorting first by (minTime, ULID) wins), and
// tombstoned samples are dropped for good. The merged samples of each series go to a
// BlockWriter (BlockWriter::AddSeriesSamples), so the output has the encoding of
// options.writer: columnar batches by default, XOR chunks of XorChunk's size (120
// samples or 1 KiB) with BlockEncoding::kXor. Inputs may overlap in time.
//
// Every series is decoded and re-encoded, even one that only a single input holds:
// a columnar payload cannot be spliced without decoding, and one payload per series
// per block is what makes the output dense.
//
// The result's meta: [min minTime, max maxTime), level = max input level + 1,
// sources = sorted union of the inputs' sources, parents = the inputs' ULIDs. The
// inputs are left untouched; the caller swaps the new block in and calls
// MarkDeleted() on them. A result with no series is still written (with zero stats).
//
// Thread-safety: CompactBlocks only reads its inputs (blocks are thread-safe) and
// writes a new directory, so it may run beside queries.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "tsdb/block.h"
#include "tsdb/block_writer.h"

namespace hw::tsdb {

struct CompactOptions {
  BlockWriterOptions writer;
};

// Returns the directory of the new block inside out_parent_dir. kBadData when inputs
// is empty; any read error of an input is returned wrapped ("cannot compact ...").
Result<std::string> CompactBlocks(std::vector<std::shared_ptr<Block>> inputs,
                                  const std::string& out_parent_dir,
                                  const CompactOptions& options = {});

}  // namespace hw::tsdb
