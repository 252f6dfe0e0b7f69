// Opening the blocks of a data directory (`data/tsdb/`), with crash recovery:
//   - `<ULID>.tmp` directories (a block write that never finished) are deleted;
//   - `<ULID>.deleted` directories (removal interrupted by a crash) are deleted;
//   - a block listed in another present block's compaction.parents (crash between
//     writing a compacted block and marking its inputs deleted) is deleted.
// Entries whose names are not ULIDs are left alone.
//
// Thread-safety: call with no other writer in the directory (at startup).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "tsdb/block.h"
#include "tsdb/block_meta.h"

namespace hw::tsdb {

// The ULIDs in `metas` that some other meta names as a parent.
std::vector<std::string> SupersededBlocks(const std::vector<BlockMeta>& metas);

// Cleans up as above and opens every block, sorted by (minTime, ULID). The first
// block that fails to open fails the call (with the block's directory in the message).
Result<std::vector<std::shared_ptr<Block>>> OpenBlocks(const std::string& parent_dir);

}  // namespace hw::tsdb
