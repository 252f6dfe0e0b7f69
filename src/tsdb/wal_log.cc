// The write path of Wal: group commit, framing, rollover, fsync.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "tsdb/record.h"
#include "tsdb/wal.h"
#include "tsdb/wal_files.h"
#include "tsdb/wal_internal.h"

namespace hw::tsdb {
namespace {

// A leader stops adding queued batches to its group past this many payload bytes, so
// one write() stays bounded and a caller with a small batch is not held up long behind
// big ones. (LevelDB uses 1 MiB; WAL batches are larger, and bigger writes are cheaper.)
constexpr std::size_t kMaxGroupBytes = 8 << 20;

std::size_t BatchBytes(std::span<const std::string> records) {
  std::size_t n = 0;
  for (const std::string& r : records) n += r.size() + kFrameHeaderSize - 1;
  return n;
}

}  // namespace

Status Wal::Log(std::span<const std::string> records) {
  if (records.empty()) return Status::Ok();
  for (const std::string& r : records) {
    if (r.empty()) return Status::BadData("cannot log record: empty record");
    if (!IsKnownRecordType(static_cast<std::uint8_t>(r[0]))) {
      return Status::BadData(fmt::format("cannot log record: unknown record type 0x{:02x}",
                                         static_cast<std::uint8_t>(r[0])));
    }
    if (r.size() - 1 > kMaxPayloadSize) {
      return Status::BadData(fmt::format("cannot log record: {} bytes is over the limit",
                                         r.size()));
    }
  }

  Writer w;
  w.records = records;
  std::unique_lock lock(mu_);
  queue_.push_back(&w);
  while (!w.done && &w != queue_.front()) w.cv.wait(lock);
  if (w.done) return w.status;

  // This caller leads: take its own batch and those queued behind it.
  std::vector<Writer*> group;
  std::size_t bytes = 0;
  for (Writer* q : queue_) {
    std::size_t b = BatchBytes(q->records);
    if (!group.empty() && bytes + b > kMaxGroupBytes) break;
    group.push_back(q);
    bytes += b;
  }
  lock.unlock();
  Status s = WriteGroup(group);
  lock.lock();
  for (Writer* q : group) {
    queue_.pop_front();  // the group is the front of the queue, in order
    q->status = s;
    q->done = true;
    if (q != &w) q->cv.notify_one();
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();
  return s;
}

Status Wal::WriteGroup(std::span<Writer* const> group) {
  std::lock_guard io(io_mu_);
  if (seg_ == nullptr) return Status::Unavailable("cannot log record: write-ahead log is closed");
  if (!error_.ok()) return error_;
  buf_.clear();
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;
  for (const Writer* w : group) {
    for (const std::string& r : w->records) {
      std::uint64_t frame = r.size() - 1 + kFrameHeaderSize;
      std::uint64_t used = seg_bytes_ + buf_.size();
      if (used > 0 && used + frame > options_.segment_size) {
        HW_RETURN_IF_ERROR(FlushLocked());
        HW_RETURN_IF_ERROR(RollLocked());
      }
      AppendFrame(r, &buf_);
      ++records;
      bytes += frame;
    }
  }
  HW_RETURN_IF_ERROR(FlushLocked());
  if (options_.fsync == FsyncPolicy::kAlways) {
    Status s = SyncSegment(*seg_);
    if (!s.ok()) {
      error_ = s;
      return s;
    }
    dirty_ = false;
  }
  if (metrics_) {
    metrics_->records->Inc(static_cast<double>(records));
    metrics_->bytes->Inc(static_cast<double>(bytes));
  }
  return Status::Ok();
}

Status Wal::FlushLocked() {
  if (buf_.empty()) return Status::Ok();
  Status s = WriteFully(seg_->fd, buf_, seg_bytes_, seg_->path);
  if (!s.ok()) {
    // Cut off whatever part did reach the file, so later frames follow good ones.
    if (::ftruncate(seg_->fd, static_cast<off_t>(seg_bytes_)) != 0) {
      error_ = Status::Internal(fmt::format("cannot cut failed write from {}: {}",
                                            seg_->path, strerror(errno)));
    }
    buf_.clear();
    return s.Wrap("cannot log record");
  }
  seg_bytes_ += buf_.size();
  buf_.clear();
  dirty_ = true;
  return Status::Ok();
}

Status Wal::RollLocked() {
  if (options_.fsync != FsyncPolicy::kNever && dirty_) {
    Status s = SyncSegment(*seg_);
    if (!s.ok()) {
      error_ = s;
      return s;
    }
  }
  int next = seg_->index + 1;
  if (next > kMaxSegmentIndex) {
    return Status::Internal("cannot start write-ahead log segment: index space exhausted");
  }
  auto seg = std::make_shared<Segment>();
  seg->index = next;
  seg->path = SegmentPath(dir_, next);
  seg->fd = ::open(seg->path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (seg->fd < 0) {
    return Status::Internal(fmt::format("cannot create write-ahead log segment {}: {}",
                                        seg->path, strerror(errno)));
  }
  if (options_.fsync != FsyncPolicy::kNever) {
    HW_RETURN_IF_ERROR(SyncPath(dir_).Wrap("cannot start write-ahead log segment"));
  }
  seg_ = std::move(seg);
  seg_bytes_ = 0;
  dirty_ = false;
  UpdateSegmentGauges();
  return Status::Ok();
}

Status Wal::SyncSegment(const Segment& seg) {
  auto start = std::chrono::steady_clock::now();
  int rc = ::fdatasync(seg.fd);
  int err = errno;
  if (metrics_) {
    metrics_->fsync_duration->Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  if (rc != 0) {
    Status s = Status::Internal(fmt::format("cannot fsync {}: {}", seg.path, strerror(err)));
    if (options_.logger) {
      options_.logger->Error("write-ahead log fsync failed; logging stops until reopened",
                             {{"path", seg.path}, {"errno", err}});
    }
    return s;
  }
  return Status::Ok();
}

}  // namespace hw::tsdb
