#include "tsdb/block_sample_cache.h"

#include <gtest/gtest.h>

namespace hw::tsdb {
namespace {

SampleCache::Entry Samples(std::size_t n) {
  auto d = std::make_shared<DecodedSamples>();
  d->samples.resize(n);
  return d;
}

TEST(SampleCacheTest, HitsMissesAndLeastRecentlyUsedEviction) {
  // Room for eight 100-sample entries (1,600 B each plus overhead), not nine.
  const std::size_t capacity = 8 * 1'800;
  SampleCache cache(capacity);
  EXPECT_EQ(cache.Lookup(1, 10, 0), nullptr);
  for (std::uint32_t i = 0; i < 8; ++i) cache.Insert(1, 10, i, Samples(100));
  EXPECT_NE(cache.Lookup(1, 10, 0), nullptr);  // now the most recently used
  EXPECT_EQ(cache.Lookup(2, 10, 0), nullptr);  // another owner
  cache.Insert(2, 10, 0, Samples(100));        // evicts (1, 10, 1)
  EXPECT_EQ(cache.Lookup(1, 10, 1), nullptr);
  EXPECT_NE(cache.Lookup(1, 10, 0), nullptr);
  for (std::uint32_t i = 2; i < 8; ++i) EXPECT_NE(cache.Lookup(1, 10, i), nullptr) << i;
  EXPECT_NE(cache.Lookup(2, 10, 0), nullptr);
  EXPECT_LE(cache.bytes(), capacity);
  EXPECT_EQ(cache.hits(), 9u);
  EXPECT_EQ(cache.misses(), 3u);
}

TEST(SampleCacheTest, EraseOwnerDropsOnlyThatOwner) {
  SampleCache cache(1 << 20);
  cache.Insert(1, 10, 0, Samples(10));
  cache.Insert(2, 10, 0, Samples(10));
  cache.Insert(1, 30, 2, Samples(10));
  std::size_t before = cache.bytes();
  cache.EraseOwner(1);
  EXPECT_LT(cache.bytes(), before);
  EXPECT_EQ(cache.Lookup(1, 10, 0), nullptr);
  EXPECT_EQ(cache.Lookup(1, 30, 2), nullptr);
  EXPECT_NE(cache.Lookup(2, 10, 0), nullptr);
  cache.EraseOwner(2);
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST(SampleCacheTest, OversizedEntriesAndZeroCapacityAreNotKept) {
  SampleCache small(8 * 16'000);
  small.Insert(1, 1, 0, Samples(1001));  // over an eighth of the budget
  EXPECT_EQ(small.Lookup(1, 1, 0), nullptr);
  SampleCache off(0);
  off.Insert(1, 1, 0, Samples(1));
  EXPECT_EQ(off.Lookup(1, 1, 0), nullptr);
  EXPECT_EQ(off.bytes(), 0u);
}

TEST(SampleCacheTest, AnEvictedEntryStaysValidForItsHolder) {
  SampleCache cache(8 * 1'000);
  cache.Insert(1, 1, 0, Samples(10));
  SampleCache::Entry held = cache.Lookup(1, 1, 0);
  ASSERT_NE(held, nullptr);
  cache.EraseOwner(1);
  EXPECT_EQ(held->samples.size(), 10u);
}

TEST(SampleCacheTest, OwnersAreUnique) {
  EXPECT_NE(SampleCache::NewOwner(), SampleCache::NewOwner());
}

}  // namespace
}  // namespace hw::tsdb
