// Checkpoints: the part of old WAL segments still needed after the head has been
// persisted, so those segments can be deleted (the design of Prometheus' tsdb/wlog
// checkpoints; layout in docs/format/wal.md "Checkpoints").
//
// Checkpoint(wal, from, to, keep_series, mint) reads the newest existing checkpoint
// and segments from..to and writes what is still live into <dir>/checkpoint.<to>:
//   - series records of series for which keep_series(ref) is true;
//   - samples of kept series with t >= mint;
//   - tombstones of kept series whose interval ends at or after mint.
// Records keep their order (a series record still precedes its samples). The
// checkpoint is built in checkpoint.<to>.tmp, its files and directory fsynced, then
// renamed into place and the WAL directory fsynced, so a crash leaves either the old
// checkpoint or the new one, never half of one. Older checkpoints are then deleted.
// The caller then deletes the covered segments with wal.TruncateBefore(to + 1);
// Replay reads checkpoint.<to> and then only segments after `to`, and Wal::Open
// finishes that truncation if a crash interrupted it.
//
// Thread-safety: Checkpoint may run while other threads Log to `wal`: it reads only
// segments before the current one (`to` must be below it; call wal.NextSegment()
// first if needed). At most one Checkpoint per directory at a time. keep_series is
// called from the calling thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "base/logger.h"
#include "base/status.h"
#include "tsdb/record.h"
#include "tsdb/wal.h"

namespace hw::tsdb {

struct CheckpointStats {
  int checkpoint = -1;  // index of the checkpoint written (`to`)
  int previous = -1;    // index of the checkpoint it was built on, -1 for none
  std::uint64_t series_kept = 0, series_dropped = 0;
  std::uint64_t samples_kept = 0, samples_dropped = 0;
  std::uint64_t tombstones_kept = 0, tombstones_dropped = 0;
};

// See the file comment. kBadData when from > to, when `to` is not below the current
// segment, or when the newest checkpoint already covers `to`; kInternal on I/O errors
// or a corrupt record in the input (the temporary directory is then removed).
Result<CheckpointStats> Checkpoint(Wal& wal, int from, int to,
                                   const std::function<bool(SeriesRef)>& keep_series,
                                   std::int64_t mint, Logger* logger);

// The index of the newest checkpoint in the WAL directory `dir`, or -1 when there is
// none (or no such directory).
Result<int> LastCheckpoint(const std::string& dir);

}  // namespace hw::tsdb
