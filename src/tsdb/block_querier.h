// BlockQuerier: storage::Querier over one Block for [mint, maxt] (inclusive).
//
// Select resolves matchers through the block index, then yields series lazily in
// index order, which is label order. Chunks outside the range, and chunks whose part
// in range is wholly tombstoned, are dropped from the index metas before any chunk is
// read; a series left with no chunks is skipped (so a series fully covered by
// tombstones disappears). Remaining samples are clipped to the range and filtered
// against the tombstones by BlockSeriesIterator.
//
// Each series set shares one BatchCache among its series' iterators, so reading the
// series of a columnar block in the order they come decompresses each kBatch frame
// once (block_batch_cache.h). A Select with hints (a query) also reads decoded kBatch
// payloads through SampleCache::Shared() (block_sample_cache.h), so repeated queries
// over the same series skip decoding; a Select without hints (compaction, dumps)
// bypasses it, leaving the queries' working set in place.
//
// The tombstones are the block's snapshot at construction. LabelNames/LabelValues
// answer over the whole block (not clipped to the time range, as in Prometheus).
//
// Thread-safety: as storage::Querier — one thread at a time per querier; many
// queriers over one block may run concurrently. The querier, its series sets and
// iterators each hold a reference to the Block.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "storage/interface.h"
#include "tsdb/block.h"

namespace hw::tsdb {

class BlockQuerier : public storage::Querier {
 public:
  BlockQuerier(std::shared_ptr<const Block> block, std::int64_t mint, std::int64_t maxt);

  std::unique_ptr<storage::SeriesSet> Select(const std::vector<model::Matcher>& matchers,
                                             std::int64_t mint, std::int64_t maxt,
                                             const storage::SelectHints* hints) override;
  Result<std::vector<std::string>> LabelNames(
      const std::vector<model::Matcher>& matchers) override;
  Result<std::vector<std::string>> LabelValues(
      const std::string& name, const std::vector<model::Matcher>& matchers) override;
  Status Close() override;

 private:
  std::shared_ptr<const Block> block_;
  std::shared_ptr<const TombstoneMap> tombstones_;
  std::int64_t mint_;
  std::int64_t maxt_;
};

// A SeriesSet that yields nothing and reports `status` (OK for a plain empty set).
std::unique_ptr<storage::SeriesSet> ErrorSeriesSet(Status status);

}  // namespace hw::tsdb
