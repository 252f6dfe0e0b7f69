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

void MemSeries::CutChunkLocked() {
  if (open_ && open_->NumSamples() > 0) {
    auto c = std::make_shared<ClosedChunk>();
    c->mint = open_mint_;
    c->maxt = open_maxt_;
    c->num_samples = open_->NumSamples();
    c->bytes = open_->Bytes();
    c->bytes.shrink_to_fit();
    closed_.push_back(std::move(c));
  }
  appender_.reset();
  open_ = std::make_unique<XorChunk>();
  appender_.emplace(*open_->NewAppender());
}

bool MemSeries::AppendLocked(std::int64_t t, double v) {
  bool cut = false;
  if (!open_ || open_->IsFull() || t >= next_boundary_) {
    CutChunkLocked();
    open_mint_ = t;
    next_boundary_ = NextBoundary(t, block_range_ms_);
    cut = true;
  }
  // Cannot fail: chunks are cut long before the format's hard limit.
  (void)appender_->Append(t, v);
  open_maxt_ = t;
  last_t_ = t;
  last_v_bits_ = std::bit_cast<std::uint64_t>(v);
  return cut;
}

ChunkSnapshot MemSeries::Snapshot(std::int64_t mint, std::int64_t maxt) {
  ChunkSnapshot s;
  std::lock_guard lock(mu);
  for (const ClosedChunkPtr& c : closed_) {
    if (c->maxt >= mint && c->mint <= maxt) s.chunks.push_back(c);
  }
  if (open_ && open_->NumSamples() > 0 && open_maxt_ >= mint && open_mint_ <= maxt) {
    auto c = std::make_shared<ClosedChunk>();
    c->mint = open_mint_;
    c->maxt = open_maxt_;
    c->num_samples = open_->NumSamples();
    c->bytes = open_->Bytes();
    s.chunks.push_back(std::move(c));
  }
  return s;
}

int MemSeries::TruncateBefore(std::int64_t t) {
  std::lock_guard lock(mu);
  size_t keep = 0;
  while (keep < closed_.size() && closed_[keep]->maxt < t) ++keep;
  int dropped = static_cast<int>(keep);
  closed_.erase(closed_.begin(), closed_.begin() + static_cast<std::ptrdiff_t>(keep));
  if (open_ && open_->NumSamples() > 0 && open_maxt_ < t) {
    ++dropped;
    appender_.reset();
    open_.reset();
    next_boundary_ = std::numeric_limits<std::int64_t>::min();
    // last_t_ stays: a sample older than what was already accepted is still out of order.
  }
  return dropped;
}

int MemSeries::DeleteRange(std::int64_t mint, std::int64_t maxt) {
  std::lock_guard lock(mu);
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
  if (open_) take(open_->Bytes());
  if (removed == 0) return 0;
  closed_.clear();
  appender_.reset();
  open_.reset();
  next_boundary_ = std::numeric_limits<std::int64_t>::min();
  std::int64_t last_t = last_t_;
  std::uint64_t last_v = last_v_bits_;
  for (const model::Sample& s : kept) AppendLocked(s.t, s.v);
  // Ordering is kept against the newest sample ever accepted, deleted or not.
  last_t_ = last_t;
  last_v_bits_ = last_v;
  return removed;
}

int MemSeries::NumChunks() {
  std::lock_guard lock(mu);
  return static_cast<int>(closed_.size()) + (open_ && open_->NumSamples() > 0 ? 1 : 0);
}

bool MemSeries::Empty() {
  std::lock_guard lock(mu);
  return closed_.empty() && (!open_ || open_->NumSamples() == 0);
}

std::int64_t MemSeries::MaxTime() {
  std::lock_guard lock(mu);
  return last_t_;
}

std::int64_t MemSeries::MinTime() {
  std::lock_guard lock(mu);
  if (!closed_.empty()) return closed_.front()->mint;
  if (open_ && open_->NumSamples() > 0) return open_mint_;
  return std::numeric_limits<std::int64_t>::max();
}

}  // namespace hw::tsdb
