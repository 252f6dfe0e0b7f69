#include "tsdb/tombstones.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "tsdb/block.h"
#include "tsdb/block_querier.h"
#include "tsdb/block_test_util.h"

namespace hw::tsdb {
namespace {

TEST(IntervalsTest, AddMergesOverlappingAndAdjacent) {
  struct Case {
    Intervals start;
    Interval add;
    Intervals want;
  } cases[] = {
      {{}, {1, 5}, {{1, 5}}},
      {{{1, 5}}, {7, 9}, {{1, 5}, {7, 9}}},
      {{{7, 9}}, {1, 5}, {{1, 5}, {7, 9}}},
      {{{1, 5}}, {6, 9}, {{1, 9}}},
      {{{1, 5}, {10, 12}}, {4, 10}, {{1, 12}}},
      {{{1, 2}, {5, 6}, {9, 10}}, {5, 5}, {{1, 2}, {5, 6}, {9, 10}}},
      {{{1, 2}, {9, 10}}, {4, 6}, {{1, 2}, {4, 6}, {9, 10}}},
      {{{INT64_MIN, 0}}, {10, INT64_MAX}, {{INT64_MIN, 0}, {10, INT64_MAX}}},
      {{{INT64_MIN, 0}}, {1, INT64_MAX}, {{INT64_MIN, INT64_MAX}}},
  };
  for (auto& c : cases) {
    Intervals list = c.start;
    AddInterval(&list, c.add);
    EXPECT_EQ(list, c.want);
  }
}

TEST(IntervalsTest, DeletedAndCovers) {
  Intervals list{{1, 5}, {10, 20}};
  EXPECT_FALSE(IsDeleted(list, 0));
  EXPECT_TRUE(IsDeleted(list, 1));
  EXPECT_TRUE(IsDeleted(list, 5));
  EXPECT_FALSE(IsDeleted(list, 7));
  EXPECT_TRUE(IsDeleted(list, 20));
  EXPECT_FALSE(IsDeleted(list, 21));
  EXPECT_TRUE(Covers(list, 11, 19));
  EXPECT_TRUE(Covers(list, 10, 20));
  EXPECT_FALSE(Covers(list, 4, 11));
  EXPECT_FALSE(Covers({}, 1, 1));
}

TEST(TombstonesFileTest, RoundTripAndRemoval) {
  testing::TempDir dir;
  auto empty = ReadTombstones(dir.path());
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  TombstoneMap m{{0, {{-5, 5}}}, {7, {{1, 2}, {100, INT64_MAX}}}, {1'000'000, {{INT64_MIN, 0}}}};
  ASSERT_TRUE(WriteTombstones(dir.path(), m).ok());
  auto back = ReadTombstones(dir.path());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, m);
  ASSERT_TRUE(WriteTombstones(dir.path(), {}).ok());
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/tombstones"));
}

TEST(BlockDeleteTest, TombstonedSeriesDisappearAndSamplesAreSkipped) {
  testing::TempDir dir;
  testing::GenerateOptions o;
  o.num_series = 60;
  auto series = testing::GenerateSeries(o);
  auto path = testing::WriteBlock(dir.path(), series);
  ASSERT_TRUE(path.ok());
  auto block = Block::Open(*path).value();
  BlockQuerier before(block, INT64_MIN, INT64_MAX);

  std::int64_t base = o.mint;
  // Delete job=api entirely, and a window of everything else.
  ASSERT_TRUE(block->Delete({model::Matcher::Equal("job", "api")}, INT64_MIN, INT64_MAX).ok());
  ASSERT_TRUE(block->Delete({model::Matcher::NotEqual("job", "api")}, base + 600'000, base + 1'200'000).ok());

  std::vector<testing::TestSeries> want;
  for (const auto& s : series) {
    if (s.labels.Get("job") == "api") continue;
    testing::TestSeries c{s.labels, {}};
    for (const auto& x : s.samples) {
      if (x.t < base + 600'000 || x.t > base + 1'200'000) c.samples.push_back(x);
    }
    want.push_back(std::move(c));
  }
  for (int reopen = 0; reopen < 2; ++reopen) {
    BlockQuerier q(block, INT64_MIN, INT64_MAX);
    auto got = testing::ReadAll(q, {}, INT64_MIN, INT64_MAX);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(testing::Diff(want, *got), "");
    block = Block::Open(*path).value();  // tombstones persist
  }
  // A querier made before the delete keeps its snapshot.
  auto old = testing::ReadAll(before, {}, INT64_MIN, INT64_MAX);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(testing::Diff(series, *old), "");
  // A range fully tombstoned yields no series at all.
  BlockQuerier window(block, base + 700'000, base + 1'100'000);
  auto none = testing::ReadAll(window, {}, INT64_MIN, INT64_MAX);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace hw::tsdb
