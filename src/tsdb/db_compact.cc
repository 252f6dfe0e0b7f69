// Db maintenance: persisting the head into blocks, folding the WAL into a checkpoint,
// compacting blocks, and retention. Every step runs under compact_mu_.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "tsdb/block_writer.h"
#include "tsdb/checkpoint.h"
#include "tsdb/compact.h"
#include "tsdb/compact_plan.h"
#include "tsdb/db.h"

namespace hw::tsdb {

bool Db::HeadNeedsCut(std::int64_t* mint, std::int64_t* maxt) const {
  std::int64_t lo = head_->MinTime(), hi = head_->MaxTime();
  if (lo > hi) return false;
  // Prometheus' rule: persist once the head spans 1.5 block ranges, so the newest
  // half range stays in memory for late scrapes.
  if (hi - lo <= options_.block_range_ms * 3 / 2) return false;
  *mint = FloorToRange(lo, options_.block_range_ms);
  *maxt = *mint + options_.block_range_ms;
  return true;
}

Status Db::CutHeadLocked(std::int64_t mint, std::int64_t maxt) {
  auto start = std::chrono::steady_clock::now();
  // First close the window to writes, so no commit can add samples to [mint, maxt)
  // after the snapshot below.
  head_->SetMinValidTime(maxt);
  Result<std::unique_ptr<BlockWriter>> writer = BlockWriter::Create(dir_);
  if (!writer.ok()) return writer.status().Wrap("cannot persist the head");
  std::size_t written = 0;
  std::vector<ChunkMeta> metas;
  for (const auto& series : head_->SortedSeries()) {
    ChunkSnapshot snap = series->Snapshot(mint, maxt - 1);
    if (snap.chunks.empty()) continue;
    metas.clear();
    for (const ClosedChunkPtr& c : snap.chunks) {
      ChunkMeta m;
      m.mint = c->mint;
      m.maxt = c->maxt;
      m.num_samples = static_cast<std::uint32_t>(c->num_samples);
      m.bytes = c->bytes;
      metas.push_back(m);
    }
    HW_RETURN_IF_ERROR((*writer)->AddSeries(series->labels(), metas));
    ++written;
  }
  if (written > 0) {
    BlockMeta meta;
    meta.min_time = mint;
    meta.max_time = maxt;
    meta.compaction.level = 1;
    Result<std::string> block_dir = (*writer)->Finish(meta);
    if (!block_dir.ok()) return block_dir.status().Wrap("cannot persist the head");
    Result<std::shared_ptr<Block>> block = Block::Open(*block_dir);
    if (!block.ok()) return block.status().Wrap("cannot open the block just written");
    BlockList list = *Blocks();
    list.push_back(std::move(block).value());
    SetBlocks(std::move(list));
  }
  head_->Truncate(maxt);
  if (head_cuts_) head_cuts_->Inc();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (compaction_seconds_) compaction_seconds_->Observe(seconds);
  log_.Info("head persisted to a block",
            {{"minTime", mint}, {"maxTime", maxt}, {"series", written}, {"seconds", seconds}});
  return TruncateWalLocked(maxt);
}

Status Db::TruncateWalLocked(std::int64_t min_valid) {
  if (!wal_) return Status::Ok();
  Result<int> current = wal_->NextSegment();
  if (!current.ok()) return current.status().Wrap("cannot truncate the write-ahead log");
  int first = wal_->Segments().first;
  if (*current - 1 < first) return Status::Ok();
  Head* head = head_.get();
  Result<CheckpointStats> cp = Checkpoint(
      *wal_, first, *current - 1, [head](SeriesRef ref) { return head->HasSeries(ref); },
      min_valid, &log_);
  if (!cp.ok()) return cp.status().Wrap("cannot checkpoint the write-ahead log");
  return wal_->TruncateBefore(*current);
}

Status Db::CompactBlocksLocked() {
  // Prometheus' leveled ranges (2h, 6h, 18h, ...), capped at a tenth of the
  // retention (and 31 days) so retention can drop old data in small steps.
  std::int64_t cap = 31LL * 24 * 3600 * 1000;
  if (options_.retention_ms > 0) cap = std::min(cap, options_.retention_ms / 10);
  std::vector<std::int64_t> ranges;
  for (std::int64_t r = options_.block_range_ms; r <= std::max(cap, options_.block_range_ms);
       r *= 3) {
    ranges.push_back(r);
  }
  for (;;) {
    std::shared_ptr<const BlockList> blocks = Blocks();
    std::vector<BlockMeta> metas;
    for (const auto& b : *blocks) metas.push_back(b->meta());
    std::vector<std::string> plan = PlanCompaction(metas, ranges);
    if (plan.empty()) return Status::Ok();
    std::set<std::string> chosen(plan.begin(), plan.end());
    std::vector<std::shared_ptr<Block>> inputs;
    for (const auto& b : *blocks) {
      if (chosen.count(b->meta().ulid)) inputs.push_back(b);
    }
    auto start = std::chrono::steady_clock::now();
    Result<std::string> out = CompactBlocks(inputs, dir_);
    if (!out.ok()) return out.status();
    Result<std::shared_ptr<Block>> merged = Block::Open(*out);
    if (!merged.ok()) return merged.status().Wrap("cannot open the compacted block");
    BlockList next;
    for (const auto& b : *blocks) {
      if (!chosen.count(b->meta().ulid)) next.push_back(b);
    }
    next.push_back(std::move(merged).value());
    SetBlocks(std::move(next));
    for (const auto& b : inputs) {
      if (Status s = b->MarkDeleted(); !s.ok()) {
        log_.Warn("cannot mark a compacted block deleted", {{"block", b->dir()}, {"error", s.message()}});
      }
    }
    if (blocks_deleted_) blocks_deleted_->Inc(static_cast<double>(inputs.size()));
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (compaction_seconds_) compaction_seconds_->Observe(seconds);
    log_.Info("blocks compacted", {{"inputs", inputs.size()}, {"output", *out}, {"seconds", seconds}});
  }
}

Status Db::RetentionLocked() {
  std::shared_ptr<const BlockList> blocks = Blocks();
  if (blocks->empty()) return Status::Ok();
  std::vector<BlockMeta> metas;
  // Retention counts from the newest data, not the wall clock, so backfilled or
  // replayed history is not dropped the moment it lands.
  std::int64_t now = head_->MaxTime();
  for (const auto& b : *blocks) {
    metas.push_back(b->meta());
    now = std::max(now, b->meta().max_time);
  }
  std::vector<std::string> doomed =
      RetentionPlan(metas, options_.retention_ms, options_.retention_bytes, now);
  if (doomed.empty()) return Status::Ok();
  std::set<std::string> gone(doomed.begin(), doomed.end());
  BlockList keep;
  for (const auto& b : *blocks) {
    if (!gone.count(b->meta().ulid)) keep.push_back(b);
  }
  SetBlocks(std::move(keep));
  for (const auto& b : *blocks) {
    if (!gone.count(b->meta().ulid)) continue;
    if (Status s = b->MarkDeleted(); !s.ok()) {
      log_.Warn("cannot delete a block past retention", {{"block", b->dir()}, {"error", s.message()}});
    }
    log_.Info("block deleted by retention", {{"block", b->meta().ulid},
                                             {"minTime", b->meta().min_time},
                                             {"maxTime", b->meta().max_time}});
  }
  if (blocks_deleted_) blocks_deleted_->Inc(static_cast<double>(doomed.size()));
  return Status::Ok();
}

Status Db::Compact() {
  std::lock_guard lock(compact_mu_);
  std::int64_t mint = 0, maxt = 0;
  while (HeadNeedsCut(&mint, &maxt)) HW_RETURN_IF_ERROR(CutHeadLocked(mint, maxt));
  HW_RETURN_IF_ERROR(CompactBlocksLocked());
  return RetentionLocked();
}

Status Db::FlushHead() {
  std::lock_guard lock(compact_mu_);
  std::int64_t lo = head_->MinTime(), hi = head_->MaxTime();
  if (lo > hi) return Status::Ok();
  for (std::int64_t a = FloorToRange(lo, options_.block_range_ms); a <= hi;
       a += options_.block_range_ms) {
    HW_RETURN_IF_ERROR(CutHeadLocked(a, a + options_.block_range_ms));
  }
  return Status::Ok();
}

}  // namespace hw::tsdb
