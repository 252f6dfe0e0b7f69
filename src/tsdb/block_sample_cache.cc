#include "tsdb/block_sample_cache.h"

#include <atomic>
#include <utility>

namespace hw::tsdb {

SampleCache& SampleCache::Shared() {
  static SampleCache* cache = new SampleCache(kSharedCapacityBytes);  // never destroyed
  return *cache;
}

std::uint64_t SampleCache::NewOwner() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

std::size_t SampleCache::KeyHash::operator()(const Key& k) const {
  std::uint64_t h = k.owner * 0x9E3779B97F4A7C15ull;
  h ^= k.ref + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  h ^= k.index + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  return static_cast<std::size_t>(h);
}

std::size_t SampleCache::Cost(const DecodedSamples& d) {
  // The vector's storage plus the node, map slot and control block, roughly.
  return d.samples.capacity() * sizeof(model::Sample) + 160;
}

SampleCache::Entry SampleCache::Lookup(std::uint64_t owner, ChunkRef ref,
                                       std::uint32_t batch_index) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = map_.find(Key{owner, ref, batch_index});
  if (it == map_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->samples;
}

void SampleCache::Insert(std::uint64_t owner, ChunkRef ref, std::uint32_t batch_index,
                         Entry samples) {
  std::size_t cost = Cost(*samples);
  if (cost > capacity_ / 8) return;
  Key key{owner, ref, batch_index};
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = map_.find(key); it != map_.end()) {
    bytes_ -= it->second->bytes;
    lru_.erase(it->second);
    map_.erase(it);
  }
  while (bytes_ + cost > capacity_ && !lru_.empty()) {
    bytes_ -= lru_.back().bytes;
    map_.erase(lru_.back().key);
    lru_.pop_back();
  }
  lru_.push_front(Node{key, std::move(samples), cost});
  map_.emplace(key, lru_.begin());
  bytes_ += cost;
}

void SampleCache::EraseOwner(std::uint64_t owner) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = lru_.begin(); it != lru_.end();) {
    if (it->key.owner == owner) {
      bytes_ -= it->bytes;
      map_.erase(it->key);
      it = lru_.erase(it);
    } else {
      ++it;
    }
  }
}

std::size_t SampleCache::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

std::uint64_t SampleCache::hits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hits_;
}

std::uint64_t SampleCache::misses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return misses_;
}

}  // namespace hw::tsdb
