#include "tsdb/head_series.h"

#include <bit>

namespace hw::tsdb {

std::int64_t NextBoundary(std::int64_t t, std::int64_t range) {
  std::int64_t q = t / range;
  if (t % range != 0 && t < 0) --q;  // floor
  return (q + 1) * range;
}

AppendCheck MemSeries::CheckLocked(std::int64_t t, double v) const {
  if (last_t_ == std::numeric_limits<std::int64_t>::min() || t > last_t_) return AppendCheck::kOk;
  if (t < last_t_) return AppendCheck::kOutOfOrder;
  return std::bit_cast<std::uint64_t>(v) == last_v_bits_ ? AppendCheck::kDuplicate
                                                         : AppendCheck::kDuplicateTs;
}

namespace {

struct alignas(64) PaddedMutex {
  std::mutex mu;
};

PaddedMutex* SeriesLocks() {
  // Never destroyed: series may be used by static objects' destructors.
  static PaddedMutex* locks = new PaddedMutex[kSeriesLockStripes];
  return locks;
}

}  // namespace

MemSeries::~MemSeries() = default;

std::mutex& MemSeries::mu() const {
  static PaddedMutex* locks = SeriesLocks();
  return locks[ref_ & (kSeriesLockStripes - 1)].mu;
}

ClosedChunkPtr MemSeries::FreezeOpenLocked() const {
  auto c = std::make_shared<ClosedChunk>();
  c->mint = open_->mint;
  c->maxt = open_->maxt;
  c->num_samples = open_->chunk.NumSamples();
  const std::vector<std::uint8_t>& b = open_->chunk.Bytes();
  c->bytes.assign(b.begin(), b.end());  // exact size: assign into an empty vector
  return c;
}

void MemSeries::CutChunkLocked(std::int64_t t, std::int64_t block_range_ms) {
  if (open_ && open_->chunk.NumSamples() > 0) closed_.push_back(FreezeOpenLocked());
  open_.reset();  // before allocating the next, so the allocator can reuse the block
  open_ = std::make_unique<OpenChunk>();
  open_->mint = t;
  open_->next_boundary = NextBoundary(t, block_range_ms);
}

bool MemSeries::AppendLocked(std::int64_t t, double v, std::int64_t block_range_ms) {
  bool cut = false;
  if (!open_ || open_->chunk.IsFull() || t >= open_->next_boundary) {
    CutChunkLocked(t, block_range_ms);
    cut = true;
  }
  // Cannot fail: chunks are cut long before the format's hard limit.
  (void)open_->appender.Append(t, v);
  open_->maxt = t;
  last_t_ = t;
  last_v_bits_ = std::bit_cast<std::uint64_t>(v);
  return cut;
}

ChunkSnapshot MemSeries::Snapshot(std::int64_t mint, std::int64_t maxt) {
  ChunkSnapshot s;
  std::lock_guard lock(mu());
  for (const ClosedChunkPtr& c : closed_) {
    if (c->maxt >= mint && c->mint <= maxt) s.chunks.push_back(c);
  }
  if (open_ && open_->chunk.NumSamples() > 0 && open_->maxt >= mint && open_->mint <= maxt) {
    s.chunks.push_back(FreezeOpenLocked());
  }
  return s;
}

int MemSeries::TruncateBefore(std::int64_t t) {
  std::lock_guard lock(mu());
  size_t keep = 0;
  while (keep < closed_.size() && closed_[keep]->maxt < t) ++keep;
  int dropped = static_cast<int>(keep);
  closed_.erase(closed_.begin(), closed_.begin() + static_cast<std::ptrdiff_t>(keep));
  if (open_ && open_->chunk.NumSamples() > 0 && open_->maxt < t) {
    ++dropped;
    open_.reset();
    // last_t_ stays: a sample older than what was already accepted is still out of order.
  }
  return dropped;
}

int MemSeries::DeleteRange(std::int64_t mint, std::int64_t maxt, std::int64_t block_range_ms) {
  std::lock_guard lock(mu());
  // Decode everything, keep what survives, re-encode: deletion is rare and the head
  // holds at most a few hours per series.
  std::vector<model::Sample> kept;
  int removed = 0;
  auto take = [&](const std::vector<std::uint8_t>& bytes) {
    XorIterator it(bytes);
    while (it.Next()) {
      if (it.T() >= mint && it.T() <= maxt) {
        ++removed;
      } else {
        kept.push_back(it.At());
      }
    }
  };
  for (const ClosedChunkPtr& c : closed_) take(c->bytes);
  if (open_) take(open_->chunk.Bytes());
  if (removed == 0) return 0;
  closed_.clear();
  open_.reset();
  std::int64_t last_t = last_t_;
  std::uint64_t last_v = last_v_bits_;
  for (const model::Sample& s : kept) AppendLocked(s.t, s.v, block_range_ms);
  // Ordering is kept against the newest sample ever accepted, deleted or not.
  last_t_ = last_t;
  last_v_bits_ = last_v;
  return removed;
}

int MemSeries::NumChunks() {
  std::lock_guard lock(mu());
  return static_cast<int>(closed_.size()) + (open_ && open_->chunk.NumSamples() > 0 ? 1 : 0);
}

bool MemSeries::Empty() {
  std::lock_guard lock(mu());
  return closed_.empty() && (!open_ || open_->chunk.NumSamples() == 0);
}

std::int64_t MemSeries::MaxTime() {
  std::lock_guard lock(mu());
  return last_t_;
}

std::int64_t MemSeries::MinTime() {
  std::lock_guard lock(mu());
  if (!closed_.empty()) return closed_.front()->mint;
  if (open_ && open_->chunk.NumSamples() > 0) return open_->mint;
  return std::numeric_limits<std::int64_t>::max();
}

}  // namespace hw::tsdb
