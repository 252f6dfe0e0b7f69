#include "tsdb/block_batch_cache.h"

#include <utility>

namespace hw::tsdb {

std::shared_ptr<const BatchReader> BatchCache::Lookup(ChunkRef ref) {
  std::lock_guard<std::mutex> lock(mu_);
  if (batch_ != nullptr && ref_ == ref) {
    ++hits_;
    return batch_;
  }
  ++misses_;
  return nullptr;
}

void BatchCache::Insert(ChunkRef ref, std::shared_ptr<const BatchReader> batch) {
  std::lock_guard<std::mutex> lock(mu_);
  ref_ = ref;
  batch_ = std::move(batch);
}

std::uint64_t BatchCache::hits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hits_;
}

std::uint64_t BatchCache::misses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return misses_;
}

}  // namespace hw::tsdb
