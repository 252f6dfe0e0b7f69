#include "tsdb/db.h"

#include <filesystem>

#include <fmt/format.h>

#include "tsdb/block_dir.h"
#include "tsdb/block_merge_querier.h"
#include "tsdb/block_querier.h"
#include "tsdb/record.h"
#include "tsdb/wal_reader.h"

namespace hw::tsdb {

FsyncPolicy ParseFsyncPolicy(std::string_view name) {
  if (name == "always") return FsyncPolicy::kAlways;
  if (name == "never") return FsyncPolicy::kNever;
  return FsyncPolicy::kInterval;
}

Db::Db(std::string dir, DbOptions options, Logger& log, metrics::Registry* registry)
    : dir_(std::move(dir)),
      options_(options),
      log_(log),
      registry_(registry),
      blocks_(std::make_shared<const BlockList>()) {
  HeadOptions head_options;
  head_options.block_range_ms = options_.block_range_ms;
  head_ = std::make_unique<Head>(head_options, registry);
  if (registry == nullptr) return;
  compaction_seconds_ = &registry->Histogram("hastewatch_tsdb_compaction_duration_seconds",
                                             "Time to write one block (head cut or compaction).",
                                             {}, {0.1, 0.5, 1, 5, 10, 30, 60, 300})
                             .With();
  compactions_failed_ = &registry->Counter("hastewatch_tsdb_compactions_failed_total",
                                           "Maintenance rounds that failed.").With();
  head_cuts_ = &registry->Counter("hastewatch_tsdb_head_cuts_total",
                                  "Times the head was persisted to a block.").With();
  blocks_deleted_ = &registry->Counter("hastewatch_tsdb_blocks_deleted_total",
                                       "Blocks deleted by retention or after compaction.").With();
  registry->AddCollector([this](metrics::TextWriter& w) {
    auto blocks = Blocks();
    std::uint64_t bytes = 0;
    for (const auto& b : *blocks) bytes += b->size_bytes();
    w.Family("hastewatch_tsdb_blocks_loaded", "gauge", "Blocks on disk.");
    w.Sample("hastewatch_tsdb_blocks_loaded", static_cast<double>(blocks->size()));
    w.Family("hastewatch_tsdb_storage_blocks_bytes", "gauge", "Bytes of all blocks.");
    w.Sample("hastewatch_tsdb_storage_blocks_bytes", static_cast<double>(bytes));
  });
}

Db::~Db() {
  Status s = Close();
  if (!s.ok()) log_.Error("cannot close the TSDB cleanly", {{"error", s.message()}});
}

Result<std::unique_ptr<Db>> Db::Open(std::string dir, DbOptions options, Logger& log,
                                     metrics::Registry* registry) {
  std::error_code ec;
  std::filesystem::create_directories(dir + "/wal", ec);
  if (ec) {
    return Status::Unavailable(fmt::format("cannot create {}/wal: {}", dir, ec.message()));
  }
  std::unique_ptr<Db> db(new Db(dir, options, log, registry));
  Result<std::vector<std::shared_ptr<Block>>> blocks = OpenBlocks(dir);
  if (!blocks.ok()) return blocks.status().Wrap("cannot open TSDB blocks");
  std::int64_t persisted_until = std::numeric_limits<std::int64_t>::min();
  for (const auto& b : *blocks) persisted_until = std::max(persisted_until, b->meta().max_time);
  db->SetBlocks(std::move(blocks).value());
  db->head_->SetMinValidTime(persisted_until);

  auto start = std::chrono::steady_clock::now();
  HW_RETURN_IF_ERROR(db->Replay());
  HeadStats hs = db->head_->Stats();
  log.Info("TSDB opened", {{"dir", dir},
                           {"blocks", db->Blocks()->size()},
                           {"headSeries", hs.series},
                           {"replayMs", std::chrono::duration<double, std::milli>(
                                            std::chrono::steady_clock::now() - start)
                                            .count()}});

  WalOptions wo;
  wo.fsync = options.wal_fsync;
  wo.fsync_interval = options.wal_fsync_interval;
  wo.segment_size = options.wal_segment_size;
  wo.logger = &log;
  wo.registry = registry;
  Result<std::unique_ptr<Wal>> wal = Wal::Open(dir + "/wal", wo);
  if (!wal.ok()) return wal.status().Wrap("cannot open the write-ahead log");
  db->wal_ = std::move(wal).value();
  Db* self = db.get();
  db->head_->SetWalWriter([self](const WalBatch& b) { return self->WriteWalBatch(b); });
  return db;
}

Status Db::Replay() {
  std::vector<RefSeries> series;
  std::vector<RefSample> samples;
  std::vector<Tombstone> tombstones;
  std::int64_t min_valid = head_->MinValidTime();
  ReplayStats stats;
  Status s = tsdb::Replay(
      dir_ + "/wal",
      [&](RecordType type, std::string_view payload) -> Status {
        switch (type) {
          case RecordType::kSeries:
            series.clear();
            HW_RETURN_IF_ERROR(DecodeSeries(payload, &series));
            for (const RefSeries& rs : series) head_->ReplaySeries(rs.ref, rs.labels);
            break;
          case RecordType::kSamples:
            samples.clear();
            HW_RETURN_IF_ERROR(DecodeSamples(payload, &samples));
            // Samples already persisted in a block are skipped.
            std::erase_if(samples, [min_valid](const RefSample& r) { return r.t < min_valid; });
            head_->ReplaySamples(samples);
            break;
          case RecordType::kTombstones:
            tombstones.clear();
            HW_RETURN_IF_ERROR(DecodeTombstones(payload, &tombstones));
            for (const Tombstone& t : tombstones) head_->ReplayDelete(t.ref, t.mint, t.maxt);
            break;
        }
        return Status::Ok();
      },
      &log_, &stats);
  if (!s.ok()) return s.Wrap("cannot replay the write-ahead log");
  return Status::Ok();
}

Status Db::WriteWalBatch(const WalBatch& batch) {
  std::vector<std::string> records;
  if (!batch.series.empty()) {
    std::vector<RefSeries> series;
    series.reserve(batch.series.size());
    for (const auto& [ref, labels] : batch.series) series.push_back({ref, labels});
    records.push_back(EncodeSeries(series));
  }
  if (!batch.samples.empty()) records.push_back(EncodeSamples(batch.samples));
  return wal_->Log(records);
}

std::shared_ptr<const Db::BlockList> Db::Blocks() const {
  std::lock_guard lock(mu_);
  return blocks_;
}

void Db::SetBlocks(BlockList blocks) {
  std::sort(blocks.begin(), blocks.end(), [](const auto& a, const auto& b) {
    return a->meta().min_time != b->meta().min_time ? a->meta().min_time < b->meta().min_time
                                                    : a->meta().ulid < b->meta().ulid;
  });
  auto list = std::make_shared<const BlockList>(std::move(blocks));
  std::lock_guard lock(mu_);
  blocks_ = std::move(list);
}

Result<std::unique_ptr<storage::Querier>> Db::NewQuerier(std::int64_t mint, std::int64_t maxt) {
  std::vector<std::unique_ptr<storage::Querier>> parts;
  for (const auto& b : *Blocks()) {
    // Block ranges are [min_time, max_time).
    if (b->meta().max_time > mint && b->meta().min_time <= maxt) {
      parts.push_back(std::make_unique<BlockQuerier>(b, mint, maxt));
    }
  }
  Result<std::unique_ptr<storage::Querier>> head = head_->NewQuerier(mint, maxt);
  if (!head.ok()) return head.status();
  parts.push_back(std::move(head).value());
  if (parts.size() == 1) return std::move(parts.front());
  return std::unique_ptr<storage::Querier>(std::make_unique<MergeQuerier>(std::move(parts)));
}

Status Db::DeleteSeries(const std::vector<model::Matcher>& matchers, std::int64_t mint,
                        std::int64_t maxt) {
  for (const auto& b : *Blocks()) {
    if (b->meta().max_time <= mint || b->meta().min_time > maxt) continue;
    HW_RETURN_IF_ERROR(b->Delete(matchers, mint, maxt));
  }
  std::vector<SeriesRef> refs = head_->DeleteSeries(matchers, mint, maxt);
  if (refs.empty() || !wal_) return Status::Ok();
  std::vector<Tombstone> ts;
  ts.reserve(refs.size());
  for (SeriesRef r : refs) ts.push_back({r, mint, maxt});
  std::string record = EncodeTombstones(ts);
  return wal_->Log(std::span<const std::string>(&record, 1));
}

DbStats Db::Stats() const {
  DbStats st;
  st.head = head_->Stats();
  auto blocks = Blocks();
  st.blocks = blocks->size();
  std::int64_t mint = std::numeric_limits<std::int64_t>::max();
  std::int64_t maxt = std::numeric_limits<std::int64_t>::min();
  for (const auto& b : *blocks) {
    st.block_bytes += b->size_bytes();
    st.block_samples += b->meta().stats.num_samples;
    mint = std::min(mint, b->meta().min_time);
    maxt = std::max(maxt, b->meta().max_time - 1);
  }
  if (st.head.min_time <= st.head.max_time) {
    mint = std::min(mint, st.head.min_time);
    maxt = std::max(maxt, st.head.max_time);
  }
  if (mint <= maxt) {
    st.min_time = mint;
    st.max_time = maxt;
  }
  return st;
}

void Db::Run() {
  if (loop_.joinable()) return;
  loop_ = std::thread([this] {
    std::unique_lock lock(loop_mu_);
    while (!loop_stop_) {
      loop_cv_.wait_for(lock, options_.compaction_interval, [this] { return loop_stop_; });
      if (loop_stop_) break;
      lock.unlock();
      Status s = Compact();
      if (!s.ok()) {
        if (compactions_failed_) compactions_failed_->Inc();
        log_.Error("TSDB maintenance failed", {{"error", s.message()}});
      }
      lock.lock();
    }
  });
}

void Db::Stop() {
  {
    std::lock_guard lock(loop_mu_);
    loop_stop_ = true;
  }
  loop_cv_.notify_all();
  if (loop_.joinable()) loop_.join();
}

Status Db::Close() {
  if (closed_) return Status::Ok();
  closed_ = true;
  Stop();
  if (wal_) return wal_->Close();
  return Status::Ok();
}

}  // namespace hw::tsdb
