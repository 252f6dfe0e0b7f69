#include "tsdb/block_iterator.h"

#include <algorithm>

#include <fmt/format.h>

#include "tsdb/chunk.h"

namespace hw::tsdb {
namespace {

class XorSampleIterator : public storage::SampleIterator {
 public:
  explicit XorSampleIterator(std::span<const std::uint8_t> bytes) : it_(bytes) {}
  bool Next() override { return it_.Next(); }
  bool Seek(std::int64_t t) override { return it_.Seek(t); }
  model::Sample At() const override { return it_.At(); }
  Status Err() const override { return it_.Err(); }

 private:
  XorIterator it_;
};

class ErrorSampleIterator : public storage::SampleIterator {
 public:
  explicit ErrorSampleIterator(Status s) : s_(std::move(s)) {}
  bool Next() override { return false; }
  bool Seek(std::int64_t) override { return false; }
  model::Sample At() const override { return {}; }
  Status Err() const override { return s_; }

 private:
  Status s_;
};

}  // namespace

std::unique_ptr<storage::SampleIterator> NewChunkIterator(const ChunkView& chunk) {
  switch (static_cast<ChunkEncoding>(chunk.encoding)) {
    case ChunkEncoding::kXor:
      return std::make_unique<XorSampleIterator>(chunk.bytes);
  }
  return std::make_unique<ErrorSampleIterator>(
      Status::Internal(fmt::format("cannot decode chunk: unknown encoding {}", chunk.encoding)));
}

BlockSeriesIterator::BlockSeriesIterator(std::shared_ptr<const Block> block,
                                         std::vector<ChunkMeta> chunks, Intervals deleted,
                                         std::int64_t mint, std::int64_t maxt)
    : block_(std::move(block)),
      chunks_(std::move(chunks)),
      deleted_(std::move(deleted)),
      mint_(mint),
      maxt_(maxt) {}

bool BlockSeriesIterator::Fail(Status s) {
  err_ = std::move(s);
  done_ = true;
  cur_.reset();
  return false;
}

bool BlockSeriesIterator::OpenNextFrom(std::int64_t t) {
  while (next_chunk_ < chunks_.size()) {
    const ChunkMeta& meta = chunks_[next_chunk_++];
    if (meta.maxt < t) continue;
    if (meta.mint > maxt_) break;
    auto view = block_->chunks().Chunk(meta.ref);
    if (!view.ok()) return Fail(view.status());
    cur_ = NewChunkIterator(*view);
    if (cur_->Seek(t)) return true;
    if (!cur_->Err().ok()) return Fail(cur_->Err());
  }
  done_ = true;
  cur_.reset();
  return false;
}

bool BlockSeriesIterator::Settle(bool ok) {
  while (true) {
    if (!ok) return false;
    model::Sample s = cur_->At();
    if (s.t > maxt_) {
      done_ = true;
      cur_.reset();
      return false;
    }
    if (deleted_.empty() || !IsDeleted(deleted_, s.t)) return true;
    ok = Advance();  // skip the tombstoned sample
  }
}

bool BlockSeriesIterator::Advance() {
  std::int64_t last = cur_->At().t;
  if (cur_->Next()) return true;
  if (!cur_->Err().ok()) return Fail(cur_->Err());
  if (last == INT64_MAX) return Fail(Status::Ok());
  return OpenNextFrom(last + 1);
}

bool BlockSeriesIterator::Next() {
  if (done_) return false;
  bool ok;
  if (!positioned_) {
    positioned_ = true;
    ok = OpenNextFrom(mint_);
  } else {
    ok = Advance();
  }
  return Settle(ok);
}

bool BlockSeriesIterator::Seek(std::int64_t t) {
  if (done_) return false;
  t = std::max(t, mint_);
  if (positioned_ && cur_->At().t >= t) return true;
  positioned_ = true;
  bool ok;
  if (cur_ != nullptr && cur_->Seek(t)) {
    ok = true;
  } else {
    if (cur_ != nullptr && !cur_->Err().ok()) return Fail(cur_->Err());
    ok = OpenNextFrom(t);
  }
  return Settle(ok);
}

}  // namespace hw::tsdb
