// Wal: opening (with repair), segments, truncation, the kInterval syncer, closing.
// The write path is in wal_log.cc.
#include "tsdb/wal.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "tsdb/wal_files.h"
#include "tsdb/wal_internal.h"
#include "tsdb/wal_reader.h"

namespace hw::tsdb {

Wal::Metrics::Metrics(metrics::Registry& r)
    : fsync_duration(&r.Histogram("hastewatch_tsdb_wal_fsync_duration_seconds",
                                  "Duration of write-ahead log fsyncs.", {},
                                  {0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                   0.1, 0.25, 0.5, 1, 2.5})
                          .With()),
      records(&r.Counter("hastewatch_tsdb_wal_records_total",
                         "Records written to the write-ahead log.")
                   .With()),
      bytes(&r.Counter("hastewatch_tsdb_wal_bytes_written_total",
                       "Bytes written to the write-ahead log, frame headers included.")
                 .With()),
      corruptions(&r.Counter("hastewatch_tsdb_wal_corruptions_total",
                             "Torn or corrupt write-ahead log records cut on open.")
                       .With()),
      segments(&r.Gauge("hastewatch_tsdb_wal_segments",
                        "Write-ahead log segment files on disk.")
                    .With()),
      segment_current(&r.Gauge("hastewatch_tsdb_wal_segment_current",
                               "Index of the write-ahead log segment being written.")
                           .With()) {}

Wal::Wal(std::string dir, WalOptions options)
    : dir_(std::move(dir)), options_(std::move(options)) {
  if (options_.registry != nullptr) metrics_ = std::make_unique<Metrics>(*options_.registry);
}

Wal::~Wal() {
  Status s = Close();
  if (!s.ok() && options_.logger) {
    options_.logger->Error("cannot close write-ahead log", {{"error", s.message()}});
  }
}

Result<std::unique_ptr<Wal>> Wal::Open(std::string dir, WalOptions options) {
  if (options.segment_size == 0) {
    return Status::BadData("cannot open write-ahead log: segment_size must be positive");
  }
  if (options.fsync == FsyncPolicy::kInterval && options.fsync_interval.count() <= 0) {
    return Status::BadData("cannot open write-ahead log: fsync_interval must be positive");
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Status::Internal(fmt::format("cannot create write-ahead log directory {}: {}", dir,
                                        ec.message()));
  }
  std::unique_ptr<Wal> wal(new Wal(std::move(dir), std::move(options)));
  HW_RETURN_IF_ERROR(wal->OpenExisting());
  if (wal->options_.fsync == FsyncPolicy::kInterval) {
    wal->syncer_ = std::thread([w = wal.get()] { w->SyncLoop(); });
  }
  return wal;
}

Status Wal::OpenExisting() {
  std::lock_guard io(io_mu_);
  Result<std::vector<int>> checkpoints = ListCheckpoints(dir_);
  if (!checkpoints.ok()) return checkpoints.status().Wrap("cannot open write-ahead log");
  int checkpoint = checkpoints->empty() ? -1 : checkpoints->back();
  Result<std::vector<int>> segs = ListSegments(dir_);
  if (!segs.ok()) return segs.status().Wrap("cannot open write-ahead log");

  // Segments the newest checkpoint covers are left over from a truncation cut short.
  std::vector<int> live;
  for (int s : *segs) {
    if (s > checkpoint) {
      live.push_back(s);
      continue;
    }
    HW_RETURN_IF_ERROR(RemovePath(SegmentPath(dir_, s)).Wrap("cannot open write-ahead log"));
    if (options_.logger) {
      options_.logger->Info("deleted write-ahead log segment covered by a checkpoint",
                            {{"segment", SegmentName(s)}, {"checkpoint", checkpoint}});
    }
  }

  int corruptions = 0;
  if (!live.empty()) {
    WalReader reader(dir_, live.front(), live.back());
    while (reader.Next()) {
    }
    if (!reader.status().ok()) return reader.status().Wrap("cannot open write-ahead log");
    if (reader.corruption()) {
      ++corruptions;
      HW_RETURN_IF_ERROR(Repair(dir_, *reader.corruption(), options_.logger)
                             .Wrap("cannot open write-ahead log"));
      Result<std::vector<int>> after = ListSegments(dir_);
      if (!after.ok()) return after.status().Wrap("cannot open write-ahead log");
      live.clear();
      for (int s : *after) {
        if (s > checkpoint) live.push_back(s);
      }
    }
  }

  seg_ = std::make_shared<Segment>();
  if (live.empty()) {
    seg_->index = checkpoint + 1;
    seg_->path = SegmentPath(dir_, seg_->index);
    seg_->fd = ::open(seg_->path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    first_ = seg_->index;
  } else {
    seg_->index = live.back();
    seg_->path = SegmentPath(dir_, seg_->index);
    seg_->fd = ::open(seg_->path.c_str(), O_WRONLY | O_CLOEXEC);
    first_ = live.front();
  }
  if (seg_->fd < 0) {
    Status s = Status::Internal(
        fmt::format("cannot open write-ahead log segment {}: {}", seg_->path, strerror(errno)));
    seg_.reset();
    return s;
  }
  Result<std::uint64_t> size = FileSize(seg_->path);
  if (!size.ok()) return size.status().Wrap("cannot open write-ahead log");
  seg_bytes_ = *size;
  if (options_.fsync != FsyncPolicy::kNever) {
    HW_RETURN_IF_ERROR(SyncPath(dir_).Wrap("cannot open write-ahead log"));
  }
  if (metrics_) metrics_->corruptions->Inc(corruptions);
  UpdateSegmentGauges();
  if (options_.logger) {
    options_.logger->Info("opened write-ahead log",
                          {{"dir", dir_},
                           {"firstSegment", first_},
                           {"lastSegment", seg_->index},
                           {"offset", static_cast<unsigned long long>(seg_bytes_)},
                           {"checkpoint", checkpoint},
                           {"corruptions", corruptions}});
  }
  return Status::Ok();
}

void Wal::UpdateSegmentGauges() {
  if (!metrics_ || !seg_) return;
  metrics_->segments->Set(seg_->index - first_ + 1);
  metrics_->segment_current->Set(seg_->index);
}

Result<int> Wal::NextSegment() {
  std::lock_guard io(io_mu_);
  if (seg_ == nullptr) return Status::Unavailable("cannot start segment: write-ahead log is closed");
  if (!error_.ok()) return error_;
  HW_RETURN_IF_ERROR(RollLocked());
  return seg_->index;
}

std::pair<int, int> Wal::Segments() const {
  std::lock_guard io(io_mu_);
  return {first_, seg_ ? seg_->index : first_};
}

Status Wal::TruncateBefore(int segment) {
  int current;
  {
    std::lock_guard io(io_mu_);
    if (seg_ == nullptr) return Status::Unavailable("cannot truncate: write-ahead log is closed");
    current = seg_->index;
  }
  if (segment > current) {
    return Status::BadData(fmt::format(
        "cannot truncate write-ahead log before segment {}: segment {} is being written",
        segment, current));
  }
  Result<std::vector<int>> segs = ListSegments(dir_);
  if (!segs.ok()) return segs.status().Wrap("cannot truncate write-ahead log");
  // Oldest first: a crash half-way leaves a gap-free suffix.
  for (int s : *segs) {
    if (s >= segment) break;
    HW_RETURN_IF_ERROR(RemovePath(SegmentPath(dir_, s)).Wrap("cannot truncate write-ahead log"));
  }
  HW_RETURN_IF_ERROR(SyncPath(dir_).Wrap("cannot truncate write-ahead log"));
  std::lock_guard io(io_mu_);
  first_ = std::max(first_, segment);
  UpdateSegmentGauges();
  return Status::Ok();
}

Status Wal::Sync() {
  std::lock_guard io(io_mu_);
  if (seg_ == nullptr) return Status::Unavailable("cannot fsync: write-ahead log is closed");
  if (!error_.ok()) return error_;
  Status s = SyncSegment(*seg_);
  if (!s.ok()) {
    error_ = s;
    return s;
  }
  dirty_ = false;
  return Status::Ok();
}

void Wal::SyncLoop() {
  std::unique_lock lock(sync_mu_);
  while (!sync_cv_.wait_for(lock, options_.fsync_interval, [this] { return stop_; })) {
    lock.unlock();
    std::shared_ptr<Segment> seg;
    {
      std::lock_guard io(io_mu_);
      if (dirty_ && seg_ != nullptr && error_.ok()) {
        seg = seg_;
        dirty_ = false;
      }
    }
    if (seg != nullptr) {
      // Outside io_mu_: writers go on while the disk flushes. seg keeps the fd open
      // even if a rollover replaces it meanwhile.
      Status s = SyncSegment(*seg);
      if (!s.ok()) {
        std::lock_guard io(io_mu_);
        if (error_.ok()) error_ = s;
      }
    }
    lock.lock();
  }
}

Status Wal::Close() {
  std::lock_guard closing(close_mu_);
  {
    std::lock_guard lock(sync_mu_);
    stop_ = true;
  }
  sync_cv_.notify_all();
  if (syncer_.joinable()) syncer_.join();
  std::lock_guard io(io_mu_);
  if (seg_ == nullptr) return Status::Ok();
  Status s;
  if (options_.fsync != FsyncPolicy::kNever && dirty_ && error_.ok()) s = SyncSegment(*seg_);
  seg_.reset();
  return s;
}

}  // namespace hw::tsdb
