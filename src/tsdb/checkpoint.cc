#include "tsdb/checkpoint.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "tsdb/wal_files.h"
#include "tsdb/wal_reader.h"

namespace hw::tsdb {
namespace {

// Kept records are batched into Log calls of about this many bytes.
constexpr std::size_t kBatchBytes = 1 << 20;

// Decodes input records, keeps what is live and logs it to the checkpoint's Wal.
class Filter {
 public:
  Filter(Wal* out, const std::function<bool(SeriesRef)>& keep, std::int64_t mint,
         CheckpointStats* stats)
      : out_(out), keep_(keep), mint_(mint), stats_(stats) {}

  Status Add(RecordType type, std::string_view payload) {
    switch (type) {
      case RecordType::kSeries: {
        series_.clear();
        HW_RETURN_IF_ERROR(DecodeSeries(payload, &series_));
        std::size_t dropped =
            std::erase_if(series_, [&](const RefSeries& s) { return !keep_(s.ref); });
        Count(dropped, series_.size(), &stats_->series_kept, &stats_->series_dropped);
        if (!series_.empty()) AppendSeriesRecord(series_, NextRecord());
        break;
      }
      case RecordType::kSamples: {
        samples_.clear();
        HW_RETURN_IF_ERROR(DecodeSamples(payload, &samples_));
        std::size_t dropped = std::erase_if(
            samples_, [&](const RefSample& s) { return s.t < mint_ || !keep_(s.ref); });
        Count(dropped, samples_.size(), &stats_->samples_kept, &stats_->samples_dropped);
        if (!samples_.empty()) AppendSamplesRecord(samples_, NextRecord());
        break;
      }
      case RecordType::kTombstones: {
        tombstones_.clear();
        HW_RETURN_IF_ERROR(DecodeTombstones(payload, &tombstones_));
        std::size_t dropped = std::erase_if(
            tombstones_, [&](const Tombstone& s) { return s.maxt < mint_ || !keep_(s.ref); });
        Count(dropped, tombstones_.size(), &stats_->tombstones_kept,
              &stats_->tombstones_dropped);
        if (!tombstones_.empty()) AppendTombstonesRecord(tombstones_, NextRecord());
        break;
      }
    }
    return batch_bytes_ >= kBatchBytes ? Flush() : Status::Ok();
  }

  Status Flush() {
    Status s = out_->Log(std::span<const std::string>(batch_.data(), used_));
    used_ = 0;
    batch_bytes_ = 0;
    return s;
  }

 private:
  static void Count(std::size_t dropped, std::size_t kept, std::uint64_t* k, std::uint64_t* d) {
    *k += kept;
    *d += dropped;
  }

  // A cleared string at the end of the batch, reusing an earlier buffer. The caller
  // fills it before the next call; its size is counted then (or not at all for the
  // last one, which only delays a flush by one record).
  std::string* NextRecord() {
    if (used_ > 0) batch_bytes_ += batch_[used_ - 1].size();
    if (used_ == batch_.size()) batch_.emplace_back();
    std::string* s = &batch_[used_++];
    s->clear();
    return s;
  }

  Wal* out_;
  const std::function<bool(SeriesRef)>& keep_;
  std::int64_t mint_;
  CheckpointStats* stats_;
  std::vector<RefSeries> series_;
  std::vector<RefSample> samples_;
  std::vector<Tombstone> tombstones_;
  std::vector<std::string> batch_;  // batch_[0, used_) are pending records
  std::size_t used_ = 0;
  std::size_t batch_bytes_ = 0;  // of the pending records but the last
};

// Feeds segments [first, last] of `dir` to the filter; a corruption is an error here
// (the WAL was verified when it was opened, and checkpoints are written atomically).
Status Copy(const std::string& dir, int first, int last, Filter* filter) {
  WalReader reader(dir, first, last);
  while (reader.Next()) {
    Status s = filter->Add(reader.type(), reader.payload());
    if (!s.ok()) {
      return s.Wrap(fmt::format("cannot copy record at {} segment {} offset {}", dir,
                                SegmentName(reader.segment()), reader.offset()));
    }
  }
  if (!reader.status().ok()) return reader.status();
  if (reader.corruption()) {
    return Status::Internal(
        fmt::format("corrupt record in {}: {}", dir, reader.corruption()->ToString()));
  }
  return Status::Ok();
}

Status SyncTree(const std::string& dir) {
  Result<std::vector<int>> segs = ListSegments(dir);
  if (!segs.ok()) return segs.status();
  for (int s : *segs) HW_RETURN_IF_ERROR(SyncPath(SegmentPath(dir, s)));
  return SyncPath(dir);
}

Status Build(Wal& wal, int from, int to, const std::function<bool(SeriesRef)>& keep,
             std::int64_t mint, const std::string& tmp, CheckpointStats* stats) {
  HW_RETURN_IF_ERROR(RemovePath(tmp));
  WalOptions opts;
  opts.segment_size = wal.options().segment_size;
  opts.fsync = FsyncPolicy::kNever;  // one fsync of everything at the end
  Result<std::unique_ptr<Wal>> out = Wal::Open(tmp, opts);
  if (!out.ok()) return out.status();
  Filter filter(out->get(), keep, mint, stats);
  if (stats->previous >= 0) {
    std::string prev = CheckpointPath(wal.dir(), stats->previous);
    Result<std::vector<int>> segs = ListSegments(prev);
    if (!segs.ok()) return segs.status();
    if (!segs->empty()) HW_RETURN_IF_ERROR(Copy(prev, segs->front(), segs->back(), &filter));
  }
  HW_RETURN_IF_ERROR(Copy(wal.dir(), from, to, &filter));
  HW_RETURN_IF_ERROR(filter.Flush());
  HW_RETURN_IF_ERROR((*out)->Close());
  return SyncTree(tmp);
}

}  // namespace

Result<int> LastCheckpoint(const std::string& dir) {
  Result<std::vector<int>> all = ListCheckpoints(dir);
  if (!all.ok()) {
    if (all.status().code() == StatusCode::kNotFound) return -1;
    return all.status();
  }
  return all->empty() ? -1 : all->back();
}

Result<CheckpointStats> Checkpoint(Wal& wal, int from, int to,
                                   const std::function<bool(SeriesRef)>& keep_series,
                                   std::int64_t mint, Logger* logger) {
  auto fail = [&](const Status& s) {
    return s.Wrap(fmt::format("cannot create checkpoint {} of {}", CheckpointName(to), wal.dir()));
  };
  int current = wal.Segments().second;
  if (from > to) return fail(Status::BadData(fmt::format("empty segment range {}..{}", from, to)));
  if (to >= current) {
    return fail(Status::BadData(fmt::format(
        "segment {} is being written (checkpoint only closed segments; call NextSegment)",
        current)));
  }
  CheckpointStats stats;
  stats.checkpoint = to;
  Result<int> last = LastCheckpoint(wal.dir());
  if (!last.ok()) return fail(last.status());
  stats.previous = *last;
  if (*last >= to) {
    return fail(Status::BadData(fmt::format("{} already covers it", CheckpointName(*last))));
  }

  std::string final_dir = CheckpointPath(wal.dir(), to);
  std::string tmp = final_dir + ".tmp";
  Status s = Build(wal, from, to, keep_series, mint, tmp, &stats);
  if (s.ok()) {
    std::error_code ec;
    std::filesystem::rename(tmp, final_dir, ec);
    if (ec) s = Status::Internal(fmt::format("cannot rename {}: {}", tmp, ec.message()));
  }
  if (s.ok()) s = SyncPath(wal.dir());
  if (!s.ok()) {
    (void)RemovePath(tmp);
    return fail(s);
  }
  // The new checkpoint is durable; older ones are now redundant.
  Result<std::vector<int>> all = ListCheckpoints(wal.dir());
  if (!all.ok()) return fail(all.status());  // the checkpoint itself is in place
  for (int c : *all) {
    if (c >= to) continue;
    Status removed = RemovePath(CheckpointPath(wal.dir(), c));
    if (!removed.ok() && logger) {
      logger->Warn("cannot delete old write-ahead log checkpoint", {{"error", removed.message()}});
    }
  }
  if (logger) {
    logger->Info("created write-ahead log checkpoint",
                 {{"checkpoint", CheckpointName(to)},
                  {"fromSegment", from},
                  {"toSegment", to},
                  {"seriesKept", static_cast<unsigned long long>(stats.series_kept)},
                  {"seriesDropped", static_cast<unsigned long long>(stats.series_dropped)},
                  {"samplesKept", static_cast<unsigned long long>(stats.samples_kept)},
                  {"samplesDropped", static_cast<unsigned long long>(stats.samples_dropped)}});
  }
  return stats;
}

}  // namespace hw::tsdb
