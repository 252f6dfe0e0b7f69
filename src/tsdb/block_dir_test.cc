#include "tsdb/block_dir.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "tsdb/block_test_util.h"
#include "tsdb/compact.h"

namespace hw::tsdb {
namespace {

namespace fs = std::filesystem;

BlockMeta Meta(std::string ulid, std::vector<std::string> parents = {}) {
  BlockMeta m;
  m.ulid = std::move(ulid);
  m.compaction.parents = std::move(parents);
  return m;
}

TEST(BlockDirTest, SupersededBlocks) {
  BlockMeta a = Meta("A"), b = Meta("B"), c = Meta("C", {"A", "B", "Z"});
  EXPECT_EQ(SupersededBlocks({a, b, c}), (std::vector<std::string>{"A", "B"}));
  EXPECT_TRUE(SupersededBlocks({a, b}).empty());
}

TEST(BlockDirTest, OpenBlocksRecoversFromCrashes) {
  testing::TempDir dir;
  testing::GenerateOptions o;
  o.num_series = 10;
  std::vector<std::string> paths;
  for (int i = 0; i < 3; ++i) {
    o.mint = 1'700'000'000'000 + i * 7'200'000;
    paths.push_back(testing::WriteBlock(dir.path(), testing::GenerateSeries(o)).value());
  }
  // A compacted block of the first two whose inputs were never marked deleted.
  auto compacted = CompactBlocks({Block::Open(paths[0]).value(), Block::Open(paths[1]).value()},
                                 dir.path());
  ASSERT_TRUE(compacted.ok());
  // Leftovers of an unfinished write and an unfinished removal; an unrelated dir.
  std::string tmp = dir.path() + "/" + NewUlid().ToString() + ".tmp";
  std::string deleted = dir.path() + "/" + NewUlid().ToString() + ".deleted";
  fs::create_directories(tmp);
  fs::create_directories(deleted);
  fs::create_directories(dir.path() + "/wal");

  auto blocks = OpenBlocks(dir.path());
  ASSERT_TRUE(blocks.ok()) << blocks.status().ToString();
  ASSERT_EQ(blocks->size(), 2u);
  EXPECT_EQ((*blocks)[0]->dir(), *compacted);
  EXPECT_EQ((*blocks)[1]->dir(), paths[2]);
  EXPECT_FALSE(fs::exists(tmp));
  EXPECT_FALSE(fs::exists(deleted));
  EXPECT_FALSE(fs::exists(paths[0]));
  EXPECT_FALSE(fs::exists(paths[1]));
  EXPECT_TRUE(fs::exists(dir.path() + "/wal"));
}

}  // namespace
}  // namespace hw::tsdb
