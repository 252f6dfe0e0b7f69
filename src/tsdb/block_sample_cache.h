// SampleCache: decoded samples of columnar block chunks, shared across queries.
//
// Blocks are immutable, so a columnar payload decodes to the same samples every time;
// dashboards and alert rules re-read the same recent series every few seconds, and
// decoding was most of such a query's CPU. The cache keeps whole decoded payloads
// (least recently used first out) within a byte budget; a reader binary-searches the
// part of a payload it needs, so an instant query over a 2 h payload copies a few
// samples instead of decoding 480. XOR chunks are not cached (they decode lazily,
// sample by sample, already).
//
// Keys are (owner, ChunkRef, batch index); an owner is one open Block (NewOwner),
// whose destructor calls EraseOwner, so a block id is never reused and a dropped
// block's samples do not wait for eviction.
//
// Ownership: entries are shared_ptr<const DecodedSamples>; an iterator keeps using
// its samples after the entry is evicted.
//
// Thread-safety: thread-safe; mu_ guards everything. Callers decode outside the lock
// (two threads missing at once both decode; the later insert stays).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "model/sample.h"
#include "tsdb/chunk_file.h"

namespace hw::tsdb {

struct DecodedSamples {
  std::vector<model::Sample> samples;
  bool sorted = true;  // timestamps non-decreasing (readers may binary-search)
};

class SampleCache {
 public:
  using Entry = std::shared_ptr<const DecodedSamples>;

  // The process-wide cache every Block reads through: 64 MiB holds 4M decoded samples
  // (16 B each), e.g. 2 h of ~8,000 series scraped every 15 s.
  static constexpr std::size_t kSharedCapacityBytes = std::size_t{64} << 20;
  static SampleCache& Shared();

  // capacity_bytes 0 disables caching (Lookup always misses, Insert keeps nothing).
  explicit SampleCache(std::size_t capacity_bytes) : capacity_(capacity_bytes) {}

  // A key prefix unique for the life of the process.
  static std::uint64_t NewOwner();

  // The cached samples, or null.
  Entry Lookup(std::uint64_t owner, ChunkRef ref, std::uint32_t batch_index);
  // Caches `samples` (evicting the least recently used entries to stay in budget);
  // an entry larger than an eighth of the budget is not kept.
  void Insert(std::uint64_t owner, ChunkRef ref, std::uint32_t batch_index, Entry samples);
  // Drops every entry of `owner`.
  void EraseOwner(std::uint64_t owner);

  std::size_t bytes() const;
  std::uint64_t hits() const;
  std::uint64_t misses() const;

 private:
  struct Key {
    std::uint64_t owner;
    ChunkRef ref;
    std::uint32_t index;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const;
  };
  struct Node {
    Key key;
    Entry samples;
    std::size_t bytes;
  };
  static std::size_t Cost(const DecodedSamples& d);

  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::list<Node> lru_;  // guarded by mu_; most recently used first
  std::unordered_map<Key, std::list<Node>::iterator, KeyHash> map_;  // guarded by mu_
  std::size_t bytes_ = 0;                                            // guarded by mu_
  std::uint64_t hits_ = 0;                                           // guarded by mu_
  std::uint64_t misses_ = 0;                                         // guarded by mu_
};

}  // namespace hw::tsdb
