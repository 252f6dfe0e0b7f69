// Planning what to compact and what to delete: pure functions over block metas, so
// the policy is tested without touching disk.
//
// PlanCompaction, in order of preference:
//   1. Overlapping blocks (e.g. out-of-order data written twice): the first group of
//      blocks whose time ranges overlap, transitively, is merged ("vertical"
//      compaction), whatever their sizes.
//   2. For each range r after the first (ranges[0] is the head's block size): blocks
//      are grouped by the aligned window [k*r, (k+1)*r) holding them (a block that
//      does not fit inside one window of r is not a candidate at r). The earliest
//      window with at least two blocks is chosen if its blocks span the whole window,
//      or if the window ends at or before the newest block's minTime (time has moved
//      past it, so no further block will join it). This keeps the newest window open
//      until it is complete — Prometheus' leveled planner.
// With ranges {2h, 6h, 18h, ...}, three 2h blocks make a 6h block, three 6h blocks an
// 18h one, and so on, each sample being rewritten once per level.
//
// RetentionPlan: blocks entirely older than now - retention_time (maxTime <=
// now - retention_time), plus, walking from the newest, every block from the one that
// takes the summed numBytes past retention_bytes onwards. A limit of 0 disables that
// rule. The result is ordered oldest first.
//
// Thread-safe (pure).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tsdb/block_meta.h"

namespace hw::tsdb {

inline constexpr std::int64_t kDefaultBlockRangeMs = 2 * 3600 * 1000;

// {min, min*factor, min*factor^2, ...}, `steps` values: ExponentialRanges(2h, 3, 3) is
// {2h, 6h, 18h}.
std::vector<std::int64_t> ExponentialRanges(std::int64_t min, int steps, std::int64_t factor);

// The ULIDs of the blocks to compact together (sorted by minTime), or empty.
std::vector<std::string> PlanCompaction(const std::vector<BlockMeta>& metas,
                                        const std::vector<std::int64_t>& ranges);

// The ULIDs of the blocks to delete, oldest first. retention_time_ms <= 0 and
// retention_bytes == 0 disable the respective rule.
std::vector<std::string> RetentionPlan(const std::vector<BlockMeta>& metas,
                                       std::int64_t retention_time_ms,
                                       std::uint64_t retention_bytes, std::int64_t now_ms);

}  // namespace hw::tsdb
