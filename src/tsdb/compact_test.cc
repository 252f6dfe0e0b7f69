#include "tsdb/compact.h"

#include <algorithm>
#include <map>

#include <gtest/gtest.h>

#include "tsdb/block_querier.h"
#include "tsdb/block_test_util.h"

namespace hw::tsdb {
namespace {

using testing::TestSeries;

// The expected merge: by labels, by timestamp, first input wins on equal timestamps.
std::vector<TestSeries> BruteMerge(const std::vector<std::vector<TestSeries>>& inputs) {
  std::map<model::Labels, std::map<std::int64_t, double>> all;
  for (const auto& in : inputs) {
    for (const auto& s : in) {
      auto& m = all[s.labels];
      for (const auto& x : s.samples) m.emplace(x.t, x.v);  // emplace keeps the first
    }
  }
  std::vector<TestSeries> out;
  for (const auto& [labels, samples] : all) {
    TestSeries s{labels, {}};
    for (const auto& [t, v] : samples) s.samples.push_back({t, v});
    out.push_back(std::move(s));
  }
  return out;
}

// (input blocks' encoding, output encoding): every combination must merge the same.
class CompactTest : public ::testing::TestWithParam<std::pair<BlockEncoding, BlockEncoding>> {};

TEST_P(CompactTest, ThreeOverlappingBlocksEqualTheMergeOfInputs) {
  const auto [in_encoding, out_encoding] = GetParam();
  CompactOptions opts;
  opts.writer.encoding = out_encoding;
  testing::TempDir dir;
  std::vector<std::vector<TestSeries>> inputs;
  std::vector<std::shared_ptr<Block>> blocks;
  for (int i = 0; i < 3; ++i) {
    testing::GenerateOptions o;
    o.num_series = 150 + 50 * i;  // different series sets, overlapping
    o.mint = 1'700'000'000'000 + i * 3'600'000;  // 1 h apart, 2 h each: overlapping
    o.step_ms = 15'000 + i * 5'000;               // some timestamps coincide
    o.seed = 10 + i;
    o.special_values = true;
    o.num_samples = 7'200'000 / o.step_ms;
    inputs.push_back(testing::GenerateSeries(o));
    BlockMeta meta;
    meta.min_time = o.mint;
    meta.max_time = o.mint + 7'200'000;
    auto path = testing::WriteBlock(dir.path(), inputs.back(), meta, 0, in_encoding);
    ASSERT_TRUE(path.ok());
    blocks.push_back(Block::Open(*path).value());
  }
  // Tombstones in the middle block: drop one whole series and a window of another.
  const model::Labels dropped = inputs[1][3].labels;
  const model::Labels windowed = inputs[1][4].labels;
  std::int64_t w0 = inputs[1][4].samples[10].t, w1 = inputs[1][4].samples[200].t;
  ASSERT_TRUE(blocks[1]->Delete({model::Matcher::Equal("idx", dropped.Get("idx"))}, INT64_MIN, INT64_MAX).ok());
  ASSERT_TRUE(blocks[1]->Delete({model::Matcher::Equal("idx", windowed.Get("idx"))}, w0, w1).ok());
  for (auto& s : inputs[1]) {
    if (s.labels == dropped) s.samples.clear();
    if (s.labels == windowed) {
      std::erase_if(s.samples, [&](const model::Sample& x) { return x.t >= w0 && x.t <= w1; });
    }
  }

  // Inputs passed out of order: compaction sorts by minTime, so block 0 wins ties.
  auto out = CompactBlocks({blocks[2], blocks[0], blocks[1]}, dir.path(), opts);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  auto merged = Block::Open(*out).value();
  std::vector<TestSeries> want = BruteMerge(inputs);
  std::erase_if(want, [](const TestSeries& s) { return s.samples.empty(); });
  BlockQuerier q(merged, INT64_MIN, INT64_MAX);
  auto got = testing::ReadAll(q, {}, INT64_MIN, INT64_MAX);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(testing::Diff(want, *got), "");

  const BlockMeta& m = merged->meta();
  EXPECT_EQ(m.min_time, blocks[0]->meta().min_time);
  EXPECT_EQ(m.max_time, blocks[2]->meta().max_time);
  EXPECT_EQ(m.compaction.level, 2);
  std::vector<std::string> sources{blocks[0]->meta().ulid, blocks[1]->meta().ulid, blocks[2]->meta().ulid};
  std::sort(sources.begin(), sources.end());
  EXPECT_EQ(m.compaction.sources, sources);
  EXPECT_EQ(m.compaction.parents.size(), 3u);
  EXPECT_EQ(m.stats.num_series, want.size());
  std::uint64_t samples = 0;
  for (const auto& s : want) samples += s.samples.size();
  EXPECT_EQ(m.stats.num_samples, samples);
  // Every chunk obeys the cutting policy: XorChunk's size, or one columnar chunk a
  // series (none has more than kMaxSamplesPerChunk samples here).
  for (SeriesRef id = 0; id < merged->index().num_series(); ++id) {
    std::vector<ChunkMeta> chunks;
    ASSERT_TRUE(merged->index().Series(id, nullptr, &chunks).ok());
    if (out_encoding == BlockEncoding::kColumnarBatched) {
      EXPECT_EQ(chunks.size(), 1u);
    }
    for (const ChunkMeta& c : chunks) {
      EXPECT_LE(c.num_samples, out_encoding == BlockEncoding::kXor ? 120u : 8192u);
      auto view = merged->chunks().Chunk(c.ref);
      ASSERT_TRUE(view.ok());
      EXPECT_EQ(view->encoding, out_encoding == BlockEncoding::kXor ? 1 : 4);
    }
  }

  // A second round raises the level again and keeps the sources.
  auto again = CompactBlocks({merged}, dir.path(), opts);
  ASSERT_TRUE(again.ok());
  auto b2 = Block::Open(*again).value();
  EXPECT_EQ(b2->meta().compaction.level, 3);
  EXPECT_EQ(b2->meta().compaction.sources, sources);
  BlockQuerier q2(b2, INT64_MIN, INT64_MAX);
  auto got2 = testing::ReadAll(q2, {}, INT64_MIN, INT64_MAX);
  ASSERT_TRUE(got2.ok());
  EXPECT_EQ(testing::Diff(want, *got2), "");
}

INSTANTIATE_TEST_SUITE_P(
    Encodings, CompactTest,
    ::testing::Values(std::pair(BlockEncoding::kXor, BlockEncoding::kXor),
                      std::pair(BlockEncoding::kXor, BlockEncoding::kColumnarBatched),
                      std::pair(BlockEncoding::kColumnarBatched, BlockEncoding::kColumnarBatched),
                      std::pair(BlockEncoding::kColumnarBatched, BlockEncoding::kXor)),
    [](const auto& info) {
      auto name = [](BlockEncoding e) { return e == BlockEncoding::kXor ? "Xor" : "Columnar"; };
      return std::string(name(info.param.first)) + "To" + name(info.param.second);
    });

TEST(CompactErrorsTest, NoInputsIsAnError) {
  testing::TempDir dir;
  EXPECT_EQ(CompactBlocks({}, dir.path()).status().code(), StatusCode::kBadData);
}

}  // namespace
}  // namespace hw::tsdb
