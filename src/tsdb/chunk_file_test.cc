#include "tsdb/chunk_file.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tsdb/block_test_util.h"

namespace hw::tsdb {
namespace {

namespace fs = std::filesystem;

std::vector<std::uint8_t> Payload(int i) {
  std::vector<std::uint8_t> b(static_cast<std::size_t>(5 + i % 37));
  for (std::size_t k = 0; k < b.size(); ++k) b[k] = static_cast<std::uint8_t>(i * 31 + k);
  return b;
}

TEST(ChunkFileTest, WritesSegmentsAndReadsBack) {
  testing::TempDir dir;
  ChunkFileWriter w(dir.path(), 200);  // tiny segments: many cuts
  std::vector<ChunkRef> refs;
  for (int i = 0; i < 100; ++i) {
    auto ref = w.Write(static_cast<std::uint8_t>(1 + i % 3), Payload(i));
    ASSERT_TRUE(ref.ok()) << ref.status().ToString();
    refs.push_back(*ref);
  }
  ASSERT_TRUE(w.Finish().ok());
  EXPECT_GT(refs.back() >> 32, 5u);  // several segments
  EXPECT_TRUE(fs::exists(dir.path() + "/000001"));

  auto r = ChunkFileReader::Open(dir.path());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->total_bytes(), w.total_bytes());
  for (int i = 0; i < 100; ++i) {
    auto c = (*r)->Chunk(refs[i]);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ(c->encoding, 1 + i % 3);
    auto want = Payload(i);
    EXPECT_EQ(std::vector<std::uint8_t>(c->bytes.begin(), c->bytes.end()), want);
  }
  EXPECT_FALSE((*r)->Chunk(MakeChunkRef(999, 8)).ok());
  EXPECT_FALSE((*r)->Chunk(MakeChunkRef(1, 3)).ok());
  EXPECT_FALSE((*r)->Chunk(MakeChunkRef(1, 1 << 30)).ok());
}

TEST(ChunkFileTest, TruncatedSegmentFailsOnReadNotCrash) {
  testing::TempDir dir;
  std::vector<ChunkRef> refs;
  {
    ChunkFileWriter w(dir.path());
    for (int i = 0; i < 50; ++i) refs.push_back(w.Write(1, Payload(i)).value());
    ASSERT_TRUE(w.Finish().ok());
  }
  std::string seg = dir.path() + "/000001";
  auto size = fs::file_size(seg);
  fs::resize_file(seg, size / 2);
  auto r = ChunkFileReader::Open(dir.path());
  ASSERT_TRUE(r.ok());
  int failed = 0;
  for (ChunkRef ref : refs) {
    auto c = (*r)->Chunk(ref);
    if (!c.ok()) {
      ++failed;
      EXPECT_EQ(c.status().code(), StatusCode::kInternal);
      EXPECT_NE(c.status().message().find("000001"), std::string::npos) << c.status().message();
    }
  }
  EXPECT_GE(failed, 24);
}

TEST(ChunkFileTest, ChecksumCatchesFlippedByte) {
  testing::TempDir dir;
  ChunkRef ref;
  {
    ChunkFileWriter w(dir.path());
    ref = w.Write(1, Payload(3)).value();
    ASSERT_TRUE(w.Finish().ok());
  }
  {
    std::fstream f(dir.path() + "/000001", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>((ref & 0xffffffff) + 4));
    f.put('\x77');
  }
  auto r = ChunkFileReader::Open(dir.path());
  ASSERT_TRUE(r.ok());
  auto c = (*r)->Chunk(ref);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("checksum"), std::string::npos);
}

TEST(ChunkFileTest, BadHeaderFailsOpen) {
  testing::TempDir dir;
  std::ofstream(dir.path() + "/000001") << "garbage!";
  auto r = ChunkFileReader::Open(dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace hw::tsdb
