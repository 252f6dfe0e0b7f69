// Tombstones: deleted time ranges of a block's series, kept beside the immutable
// index and chunks in `<block>/tombstones` until compaction drops the samples
// (docs/format/block.md, "Tombstones").
//
//   magic u32 BE 0x48575453 ("HWTS") | version u8 (1) | 3 zero bytes |
//   uvarint num_series | per series (ascending ref): uvarint ref delta |
//     uvarint num_intervals | per interval: varint mint | uvarint maxt - mint |
//   CRC-32C u32 BE of everything before it
//
// Intervals are inclusive on both ends and kept sorted and disjoint (AddInterval
// merges overlapping and adjacent ones). A missing file means no tombstones.
//
// Pure values and functions; WriteTombstones replaces the file atomically
// (write to a temporary, fsync, rename, fsync the directory), so a crash leaves either
// the old or the new set. Callers serialise writers of one block (Block::Delete does).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "storage/interface.h"

namespace hw::tsdb {

struct Interval {
  std::int64_t mint = 0;
  std::int64_t maxt = 0;  // inclusive
  bool operator==(const Interval&) const = default;
};
using Intervals = std::vector<Interval>;
// Series id inside a block -> its deleted ranges.
using TombstoneMap = std::map<storage::SeriesRef, Intervals>;

inline constexpr char kTombstonesFileName[] = "tombstones";

// Adds iv to the sorted, disjoint list, merging what it overlaps or touches.
void AddInterval(Intervals* list, Interval iv);
// Whether t falls in one of the (sorted) intervals.
bool IsDeleted(const Intervals& list, std::int64_t t);
// Whether [mint, maxt] lies entirely inside the union of the intervals.
bool Covers(const Intervals& list, std::int64_t mint, std::int64_t maxt);

// Atomically replaces `<block_dir>/tombstones` (removes it when `tombstones` is empty).
Status WriteTombstones(const std::string& block_dir, const TombstoneMap& tombstones);
// Reads `<block_dir>/tombstones`; empty when absent. kInternal naming the file and
// offset when it is corrupt.
Result<TombstoneMap> ReadTombstones(const std::string& block_dir);

}  // namespace hw::tsdb
