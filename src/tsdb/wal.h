// Wal: the time-series store's write-ahead log. The head logs every series creation,
// sample batch and deletion here before acknowledging it, replays the log on start
// (Replay in wal_reader.h) and, once the head is persisted to a block, folds old
// segments into a checkpoint (checkpoint.h) and deletes them (TruncateBefore).
// Format: docs/format/wal.md.
//
// A Wal owns one directory of numbered segment files. Log appends framed records
// (type, length, CRC-32C, payload) to the newest segment; a segment is closed and the
// next one started when a record would take it past options.segment_size (a record
// never spans segments; a record bigger than segment_size gets a segment to itself).
//
// Durability (FsyncPolicy):
//   kAlways    Log returns after write() and fdatasync(): acknowledged records survive
//              kill -9 and power loss. The only policy that keeps "everything a user
//              was told was accepted survives" through a power cut.
//   kInterval  Log returns after write(); a background thread fdatasyncs every
//              fsync_interval. Acknowledged records survive kill -9 of the process
//              (they are in the kernel's page cache) but up to one interval of them
//              can be lost if the machine itself goes down.
//   kNever     write() only; the kernel flushes when it likes. Same kill -9 guarantee
//              as kInterval, no bound on loss at power failure. For tests, benchmarks
//              and checkpoint building (which fsyncs once at the end).
// Under kAlways and kInterval a segment is fsynced before it is closed and the
// directory is fsynced after a segment is created or deleted.
//
// Open scans every segment (checksums included) and repairs the log: a torn or corrupt
// record is cut with a WARN (Repair in wal_reader.h), never a crash or a refusal to
// start. It also finishes an interrupted truncation by deleting segments that the
// newest checkpoint covers. Appending continues after the last good record.
//
// Errors: a failed write is cut back off the segment and reported to the callers of
// that group; a failed fsync is sticky (the page cache's state is unknown afterwards,
// so every later Log fails until the Wal is reopened). On error some of a group's
// records may still be in the log and are replayed after a restart.
//
// Thread-safety: every method is thread-safe. Log uses group commit (LevelDB's writer
// queue): concurrent callers queue up; the caller at the front writes the queued
// batches with one write() and at most one fsync, then wakes the others. Each caller's
// records are contiguous in the log and in its call order; each caller returns once
// its own records are written (and, under kAlways, fsynced).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <utility>

#include "base/logger.h"
#include "base/metrics.h"
#include "base/status.h"

namespace hw::tsdb {

enum class FsyncPolicy { kAlways, kInterval, kNever };

struct WalOptions {
  // Prometheus' default segment size: big enough that rollover is rare, small enough
  // that truncation frees space in useful steps.
  std::uint64_t segment_size = 128ULL << 20;
  FsyncPolicy fsync = FsyncPolicy::kAlways;
  // kInterval only; must be positive.
  std::chrono::milliseconds fsync_interval{1000};
  Logger* logger = nullptr;             // repairs (WARN), open and fsync errors; may be null
  metrics::Registry* registry = nullptr;  // self-metrics; may be null. Registers its
                                          // families: open one Wal per registry.
};

class Wal {
 public:
  // Opens (creating it if needed) the WAL in `dir`, repairing it as described above.
  static Result<std::unique_ptr<Wal>> Open(std::string dir, WalOptions options);
  ~Wal();  // Close(), logging an error it returns.
  Wal(const Wal&) = delete;
  Wal& operator=(const Wal&) = delete;

  // Appends `records` (each a type byte + payload, see record.h) contiguously and in
  // order. kBadData for an empty record, an unknown type or a payload over 4 GiB
  // (nothing is written); kUnavailable after Close.
  Status Log(std::span<const std::string> records);

  // Closes the current segment and starts the next; returns the new segment's index.
  Result<int> NextSegment();
  // The first and last (current) segment indices.
  std::pair<int, int> Segments() const;
  // Deletes segments with index < `segment`. kBadData if that includes the current one.
  Status TruncateBefore(int segment);
  // fdatasync of the current segment now, whatever the policy.
  Status Sync();
  // Stops the background syncer, fsyncs (unless kNever) and closes. Idempotent.
  Status Close();

  const std::string& dir() const { return dir_; }
  const WalOptions& options() const { return options_; }

 private:
  struct Writer;
  struct Segment;
  struct Metrics;

  Wal(std::string dir, WalOptions options);
  Status OpenExisting();
  Status WriteGroup(std::span<Writer* const> group);  // called by the queue leader
  Status FlushLocked();                            // requires io_mu_
  Status RollLocked();                             // requires io_mu_
  Status SyncSegment(const Segment& seg);          // fdatasync + metrics, no lock
  void SyncLoop();
  void UpdateSegmentGauges();                      // requires io_mu_

  const std::string dir_;
  const WalOptions options_;
  std::unique_ptr<Metrics> metrics_;  // null without a registry; set before use

  std::mutex mu_;                // the writer queue
  std::deque<Writer*> queue_;    // guarded by mu_; front is the leader

  mutable std::mutex io_mu_;     // the files; held by the leader while writing
  std::shared_ptr<Segment> seg_;  // guarded by io_mu_; null once closed
  std::uint64_t seg_bytes_ = 0;   // guarded by io_mu_: bytes in seg_ (write offset)
  int first_ = 0;                 // guarded by io_mu_
  bool dirty_ = false;            // guarded by io_mu_: written since the last fsync
  Status error_;                  // guarded by io_mu_: sticky fsync failure
  std::string buf_;               // guarded by io_mu_: frames not yet written

  std::mutex close_mu_;           // serialises Close (joining the syncer)
  std::mutex sync_mu_;            // the kInterval syncer's sleep
  std::condition_variable sync_cv_;
  bool stop_ = false;             // guarded by sync_mu_
  std::thread syncer_;            // running only under kInterval
};

}  // namespace hw::tsdb
