// Db: the time-series store of one data directory — the head (newest samples, in
// memory, protected by the write-ahead log) plus the immutable blocks on disk — behind
// storage::Appendable and storage::Queryable.
//
//   data/tsdb/wal/         the head's write-ahead log (docs/format/wal.md)
//   data/tsdb/<ULID>/      blocks (docs/format/block.md)
//
// Open replays the WAL, so every sample whose Commit returned OK before a crash or
// kill -9 is there again. A background loop (Run/Stop) cuts the head into a block
// once it spans 1.5 block ranges, checkpoints and truncates the WAL, compacts blocks
// into larger ones and applies retention by time and size; Compact() runs one round
// by hand (tests, the import command).
//
// Thread-safety: thread-safe. Appenders and queriers may be used from any thread
// while the loop runs. The block list is an immutable snapshot swapped under mu_;
// queriers hold the blocks they read, so compaction and retention never block them
// and never pull data from under them.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/logger.h"
#include "base/metrics.h"
#include "base/units.h"
#include "storage/interface.h"
#include "tsdb/block.h"
#include "tsdb/head.h"
#include "tsdb/wal.h"

namespace hw::tsdb {

struct DbOptions {
  std::int64_t block_range_ms = 2 * 3600 * 1000;
  std::int64_t retention_ms = 15LL * 24 * 3600 * 1000;  // <= 0: keep forever
  std::uint64_t retention_bytes = 0;                   // 0: no size limit
  FsyncPolicy wal_fsync = FsyncPolicy::kInterval;
  std::chrono::milliseconds wal_fsync_interval{1000};
  std::uint64_t wal_segment_size = 128ULL << 20;
  std::chrono::milliseconds compaction_interval{60'000};
};

struct DbStats {
  HeadStats head;
  std::size_t blocks = 0;
  std::uint64_t block_bytes = 0;
  std::uint64_t block_samples = 0;
  std::int64_t min_time = 0;  // over blocks and head; 0/0 when empty
  std::int64_t max_time = 0;
};

class Db : public storage::Appendable, public storage::Queryable {
 public:
  // Opens (creating) `dir`: opens the blocks, replays the WAL into the head, opens the
  // WAL for appending. Corrupt WAL tails are cut with a WARN; a corrupt block fails
  // the open with its directory named.
  static Result<std::unique_ptr<Db>> Open(std::string dir, DbOptions options, Logger& log,
                                          metrics::Registry* registry = nullptr);
  ~Db() override;

  std::unique_ptr<storage::Appender> NewAppender() override { return head_->NewAppender(); }
  Result<std::unique_ptr<storage::Querier>> NewQuerier(std::int64_t mint,
                                                       std::int64_t maxt) override;

  // Deletes [mint, maxt] of the matching series: tombstones in blocks, removal from the
  // head (logged to the WAL so a restart keeps it deleted).
  Status DeleteSeries(const std::vector<model::Matcher>& matchers, std::int64_t mint,
                      std::int64_t maxt);

  // One maintenance round: cut the head, compact, apply retention. Safe to call while
  // the loop runs (rounds are serialised).
  Status Compact();
  // Cuts everything in the head into blocks now, whatever its span (import, tests).
  Status FlushHead();

  // Starts and stops the background maintenance loop.
  void Run();
  void Stop();
  // Stops the loop and closes the WAL. Idempotent; the destructor calls it.
  Status Close();

  DbStats Stats() const;
  const std::string& dir() const { return dir_; }
  Head& head() { return *head_; }

 private:
  using BlockList = std::vector<std::shared_ptr<Block>>;

  Db(std::string dir, DbOptions options, Logger& log, metrics::Registry* registry);
  Status Replay();
  Status WriteWalBatch(const WalBatch& batch);
  std::shared_ptr<const BlockList> Blocks() const;
  void SetBlocks(BlockList blocks);

  // Maintenance steps; each requires compact_mu_.
  Status CutHeadLocked(std::int64_t mint, std::int64_t maxt);
  Status TruncateWalLocked(std::int64_t min_valid);
  Status CompactBlocksLocked();
  Status RetentionLocked();
  bool HeadNeedsCut(std::int64_t* mint, std::int64_t* maxt) const;

  const std::string dir_;
  const DbOptions options_;
  Logger& log_;
  metrics::Registry* registry_;
  std::unique_ptr<Head> head_;
  std::unique_ptr<Wal> wal_;

  mutable std::mutex mu_;
  std::shared_ptr<const BlockList> blocks_;  // guarded by mu_ (the pointer; lists are immutable)

  std::mutex compact_mu_;  // serialises maintenance rounds

  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  bool loop_stop_ = false;  // guarded by loop_mu_
  std::thread loop_;
  bool closed_ = false;

  metrics::Histogram* compaction_seconds_ = nullptr;
  metrics::Counter* compactions_failed_ = nullptr;
  metrics::Counter* head_cuts_ = nullptr;
  metrics::Counter* blocks_deleted_ = nullptr;
};

FsyncPolicy ParseFsyncPolicy(std::string_view name);  // "always" | "interval" | "never"

}  // namespace hw::tsdb
