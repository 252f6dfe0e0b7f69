#include "tsdb/chunk_list_iterator.h"

namespace hw::tsdb {

ChunkListIterator::ChunkListIterator(std::vector<ClosedChunkPtr> chunks, std::int64_t mint,
                                     std::int64_t maxt)
    : chunks_(std::move(chunks)), mint_(mint), maxt_(maxt) {}

bool ChunkListIterator::OpenChunk(size_t i) {
  idx_ = i;
  if (i >= chunks_.size()) {
    it_.reset();
    return false;
  }
  it_.emplace(chunks_[i]->bytes);
  return true;
}

bool ChunkListIterator::Next() {
  if (done_) return false;
  if (!started_) {
    started_ = true;
    return Seek(mint_);
  }
  while (it_) {
    if (it_->Next()) {
      cur_ = it_->At();
      if (cur_.t > maxt_) break;
      return true;
    }
    if (Status s = it_->Err(); !s.ok()) {
      err_ = s;
      break;
    }
    OpenChunk(idx_ + 1);
  }
  done_ = true;
  return false;
}

bool ChunkListIterator::Seek(std::int64_t t) {
  if (done_) return false;
  if (t < mint_) t = mint_;
  if (started_ && it_ && cur_.t >= t) return true;
  started_ = true;
  // Skip whole chunks that end before t.
  size_t i = it_ ? idx_ : 0;
  while (i < chunks_.size() && chunks_[i]->maxt < t) ++i;
  if (!it_ || i != idx_) {
    if (!OpenChunk(i)) {
      done_ = true;
      return false;
    }
  }
  while (it_) {
    if (it_->Seek(t)) {
      cur_ = it_->At();
      if (cur_.t > maxt_) break;
      return true;
    }
    if (Status s = it_->Err(); !s.ok()) {
      err_ = s;
      break;
    }
    OpenChunk(idx_ + 1);
  }
  done_ = true;
  return false;
}

}  // namespace hw::tsdb
