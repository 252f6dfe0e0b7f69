// Repair and Replay (declared in wal_reader.h).
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "tsdb/wal_files.h"
#include "tsdb/wal_reader.h"

namespace hw::tsdb {
namespace {

// Reads segments [first, last] of `dir` into fn; repairs and counts a corruption.
Status ReadSegments(const std::string& dir, int first, int last, const RecordFn& fn,
                    Logger* logger, ReplayStats* stats) {
  WalReader reader(dir, first, last);
  while (reader.Next()) {
    Status s = fn(reader.type(), reader.payload());
    if (!s.ok()) {
      return s.Wrap(fmt::format("cannot replay {} record in {} segment {} offset {}",
                                RecordTypeName(reader.type()), dir,
                                SegmentName(reader.segment()), reader.offset()));
    }
    ++stats->records;
  }
  if (!reader.status().ok()) return reader.status().Wrap("cannot replay write-ahead log");
  if (reader.corruption()) {
    ++stats->corruptions;
    HW_RETURN_IF_ERROR(Repair(dir, *reader.corruption(), logger));
  }
  return Status::Ok();
}

}  // namespace

Status Repair(const std::string& dir, const Corruption& c, Logger* logger) {
  std::string path = SegmentPath(dir, c.segment);
  Result<std::uint64_t> size = FileSize(path);
  if (!size.ok()) return size.status().Wrap("cannot repair write-ahead log");
  auto offset = static_cast<std::uint64_t>(c.offset);
  std::uint64_t dropped = *size > offset ? *size - offset : 0;
  if (dropped > 0) {
    if (::truncate(path.c_str(), static_cast<off_t>(offset)) != 0) {
      return Status::Internal(fmt::format("cannot repair write-ahead log: cannot truncate {}: {}",
                                          path, strerror(errno)));
    }
    HW_RETURN_IF_ERROR(SyncPath(path).Wrap("cannot repair write-ahead log"));
  }
  Result<std::vector<int>> segments = ListSegments(dir);
  if (!segments.ok()) return segments.status().Wrap("cannot repair write-ahead log");
  int deleted = 0;
  // Newest first, so that a crash half-way leaves a gap-free prefix.
  for (auto it = segments->rbegin(); it != segments->rend() && *it > c.segment; ++it) {
    std::string later = SegmentPath(dir, *it);
    Result<std::uint64_t> later_size = FileSize(later);
    if (later_size.ok()) dropped += *later_size;
    HW_RETURN_IF_ERROR(RemovePath(later).Wrap("cannot repair write-ahead log"));
    ++deleted;
  }
  HW_RETURN_IF_ERROR(SyncPath(dir).Wrap("cannot repair write-ahead log"));
  if (logger != nullptr) {
    logger->Warn("cut the write-ahead log at a torn or corrupt record; what followed is lost",
                 {{"dir", dir},
                  {"segment", SegmentName(c.segment)},
                  {"offset", static_cast<long long>(c.offset)},
                  {"reason", c.reason},
                  {"bytesDropped", static_cast<unsigned long long>(dropped)},
                  {"segmentsDeleted", deleted}});
  }
  return Status::Ok();
}

Status Replay(const std::string& dir, const RecordFn& fn, Logger* logger, ReplayStats* stats) {
  ReplayStats local;
  if (stats == nullptr) stats = &local;
  *stats = ReplayStats{};

  Result<std::vector<int>> checkpoints = ListCheckpoints(dir);
  if (!checkpoints.ok()) {
    if (checkpoints.status().code() == StatusCode::kNotFound) return Status::Ok();
    return checkpoints.status().Wrap("cannot replay write-ahead log");
  }
  int after = -1;
  if (!checkpoints->empty()) {
    after = checkpoints->back();
    stats->checkpoint = after;
    std::string cdir = CheckpointPath(dir, after);
    Result<std::vector<int>> segs = ListSegments(cdir);
    if (!segs.ok()) return segs.status().Wrap("cannot replay checkpoint");
    if (!segs->empty()) {
      HW_RETURN_IF_ERROR(ReadSegments(cdir, segs->front(), segs->back(), fn, logger, stats));
    }
  }

  Result<std::vector<int>> segs = ListSegments(dir);
  if (!segs.ok()) return segs.status().Wrap("cannot replay write-ahead log");
  std::vector<int> todo;
  for (int s : *segs) {
    if (s > after) todo.push_back(s);
  }
  if (todo.empty()) return Status::Ok();
  stats->first_segment = todo.front();
  stats->last_segment = todo.back();
  return ReadSegments(dir, todo.front(), todo.back(), fn, logger, stats);
}

}  // namespace hw::tsdb
