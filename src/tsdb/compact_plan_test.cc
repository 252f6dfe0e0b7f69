#include "tsdb/compact_plan.h"

#include <gtest/gtest.h>

namespace hw::tsdb {
namespace {

constexpr std::int64_t kH = 3600 * 1000;

BlockMeta Meta(std::string ulid, std::int64_t min_h, std::int64_t max_h, std::uint64_t bytes = 0) {
  BlockMeta m;
  m.ulid = std::move(ulid);
  m.min_time = min_h * kH;
  m.max_time = max_h * kH;
  m.stats.num_bytes = bytes;
  return m;
}

TEST(CompactPlanTest, ExponentialRanges) {
  EXPECT_EQ(ExponentialRanges(2 * kH, 4, 3),
            (std::vector<std::int64_t>{2 * kH, 6 * kH, 18 * kH, 54 * kH}));
}

TEST(CompactPlanTest, Table) {
  const std::vector<std::int64_t> ranges = ExponentialRanges(2 * kH, 4, 3);  // 2, 6, 18, 54 h
  struct Case {
    const char* name;
    std::vector<BlockMeta> metas;
    std::vector<std::string> want;
  } cases[] = {
      {"empty", {}, {}},
      {"one block", {Meta("a", 0, 2)}, {}},
      {"two of three 2h blocks, window still open", {Meta("a", 0, 2), Meta("b", 2, 4)}, {}},
      {"three 2h blocks fill 6h", {Meta("a", 0, 2), Meta("b", 2, 4), Meta("c", 4, 6)}, {"a", "b", "c"}},
      {"input order does not matter", {Meta("c", 4, 6), Meta("a", 0, 2), Meta("b", 2, 4)}, {"a", "b", "c"}},
      {"window passed with a gap", {Meta("a", 0, 2), Meta("c", 4, 6), Meta("d", 6, 8)}, {"a", "c"}},
      {"newest window not passed", {Meta("x", 0, 6), Meta("d", 6, 8), Meta("e", 8, 10)}, {}},
      {"three 6h blocks fill 18h", {Meta("a", 0, 6), Meta("b", 6, 12), Meta("c", 12, 18)}, {"a", "b", "c"}},
      {"smaller range first",
       {Meta("a", 0, 6), Meta("b", 6, 12), Meta("c", 12, 14), Meta("d", 14, 16), Meta("e", 16, 18)},
       {"c", "d", "e"}},
      {"overlap wins", {Meta("a", 0, 2), Meta("b", 2, 4), Meta("c", 4, 6), Meta("o", 5, 7)}, {"c", "o"}},
      {"overlap chains", {Meta("a", 0, 3), Meta("b", 2, 5), Meta("c", 4, 6), Meta("d", 8, 10)}, {"a", "b", "c"}},
      {"touching is not overlap", {Meta("a", 0, 2), Meta("b", 2, 4)}, {}},
      {"block larger than any window is left alone", {Meta("big", 0, 60), Meta("a", 60, 62)}, {}},
  };
  for (const Case& c : cases) EXPECT_EQ(PlanCompaction(c.metas, ranges), c.want) << c.name;
}

TEST(RetentionPlanTest, ByTime) {
  std::vector<BlockMeta> metas{Meta("c", 4, 6), Meta("a", 0, 2), Meta("b", 2, 4)};
  // now = 10h, retention 6h: blocks ending at or before 4h go.
  EXPECT_EQ(RetentionPlan(metas, 6 * kH, 0, 10 * kH), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(RetentionPlan(metas, 7 * kH, 0, 10 * kH), (std::vector<std::string>{"a"}));
  EXPECT_TRUE(RetentionPlan(metas, 100 * kH, 0, 10 * kH).empty());
  EXPECT_TRUE(RetentionPlan(metas, 0, 0, 10 * kH).empty());  // disabled
}

TEST(RetentionPlanTest, BySize) {
  std::vector<BlockMeta> metas{Meta("a", 0, 2, 100), Meta("b", 2, 4, 100), Meta("c", 4, 6, 100)};
  EXPECT_TRUE(RetentionPlan(metas, 0, 300, 0).empty());
  EXPECT_EQ(RetentionPlan(metas, 0, 299, 0), (std::vector<std::string>{"a"}));
  EXPECT_EQ(RetentionPlan(metas, 0, 150, 0), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(RetentionPlan(metas, 0, 50, 0), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(RetentionPlanTest, BothRulesUnion) {
  std::vector<BlockMeta> metas{Meta("a", 0, 2, 10), Meta("b", 2, 4, 500), Meta("c", 4, 6, 10)};
  // Time removes a; size (limit 100) removes b and everything older.
  EXPECT_EQ(RetentionPlan(metas, 7 * kH, 100, 10 * kH), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace hw::tsdb
