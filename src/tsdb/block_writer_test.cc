// BlockWriter's encodings: the batched columnar path must return exactly what the same
// chunks return from an XOR block, for long series, odd inputs and any input codec.
#include "tsdb/block_writer.h"

#include <random>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tsdb/block.h"
#include "tsdb/block_querier.h"
#include "tsdb/block_test_util.h"
#include "tsdb/codec.h"

namespace hw::tsdb {
namespace {

using testing::TestSeries;

// Writes series, each given as chunk metas, and reads the whole block back.
Result<std::vector<TestSeries>> RoundTrip(const std::string& dir, BlockEncoding encoding,
                                          const std::vector<model::Labels>& labels,
                                          const std::vector<std::vector<ChunkMeta>>& chunks) {
  BlockWriterOptions opts;
  opts.encoding = encoding;
  auto w = BlockWriter::Create(dir, NewUlid(), opts);
  if (!w.ok()) return w.status();
  for (std::size_t i = 0; i < labels.size(); ++i) {
    HW_RETURN_IF_ERROR((*w)->AddSeries(labels[i], chunks[i]));
  }
  auto path = (*w)->Finish({});
  if (!path.ok()) return path.status();
  auto block = Block::Open(*path);
  if (!block.ok()) return block.status();
  BlockQuerier q(*block, INT64_MIN, INT64_MAX);
  return testing::ReadAll(q, {}, INT64_MIN, INT64_MAX);
}

model::Labels Name(int i) {
  std::string name = fmt::format("s{:03d}", i);
  return model::Labels::FromPairs({{"__name__", name}});
}

TEST(BlockWriterTest, LongNoisySeriesSplitIntoChunksAndSpanBatches) {
  testing::TempDir dir;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> noise(0, 1);
  std::vector<TestSeries> want;
  for (int i = 0; i < 5; ++i) {
    TestSeries s{Name(i), {}};
    int n = i == 2 ? 20'000 : 300;  // 8 B/sample of noise: ~160 KiB raw, three batches
    for (int k = 0; k < n; ++k) s.samples.push_back({1'000'000 + 1000 * k, noise(rng)});
    want.push_back(std::move(s));
  }
  auto path = testing::WriteBlock(dir.path(), want);
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  auto block = Block::Open(*path).value();
  std::vector<ChunkMeta> metas;
  ASSERT_TRUE(block->index().Series(2, nullptr, &metas).ok());
  ASSERT_EQ(metas.size(), 3u);
  EXPECT_EQ(metas[0].num_samples, BlockWriter::kMaxSamplesPerChunk);
  EXPECT_EQ(metas[2].num_samples, 20'000 - 2 * BlockWriter::kMaxSamplesPerChunk);
  EXPECT_NE(metas[0].ref, metas[2].ref);
  EXPECT_EQ(metas[1].mint, want[2].samples[BlockWriter::kMaxSamplesPerChunk].t);
  BlockQuerier q(block, INT64_MIN, INT64_MAX);
  auto got = testing::ReadAll(q, {}, INT64_MIN, INT64_MAX);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(testing::Diff(want, *got), "");
  // Seek across the chunk boundary.
  BlockQuerier q2(block, INT64_MIN, INT64_MAX);
  auto set = q2.Select({model::Matcher::Equal("__name__", "s002")}, INT64_MIN, INT64_MAX, nullptr);
  ASSERT_TRUE(set->Next());
  auto it = set->At().Iterator();
  ASSERT_TRUE(it->Seek(want[2].samples[12'345].t - 1));
  EXPECT_TRUE(model::SameBits(it->At(), want[2].samples[12'345]));
}

// Overlapping and unordered input chunks: a columnar block returns what the XOR block
// of the same chunks returns (a later chunk contributes samples after the previous
// chunk's last timestamp only).
TEST(BlockWriterTest, OddInputChunksReadAsFromXor) {
  std::vector<std::vector<model::Sample>> pieces = {
      {{100, 1}, {200, 2}, {300, 3}},
      {{150, 9}, {250, 8}, {350, 7}, {360, 6}},  // overlaps: only 350, 360 are read
      {{10, 5}, {20, 5}},                         // wholly before: skipped
      {{400, model::kStaleNaN}, {390, -0.0}, {500, 1e300}},  // unordered inside
  };
  std::vector<testing::EncodedChunks> enc;
  std::vector<ChunkMeta> metas;
  for (const auto& p : pieces) {
    enc.push_back(testing::EncodeChunks(p));
    metas.push_back(enc.back().metas[0]);
  }
  std::sort(metas.begin(), metas.end(),
            [](const ChunkMeta& a, const ChunkMeta& b) { return a.mint < b.mint; });
  testing::TempDir dir;
  auto xor_read = RoundTrip(dir.path(), BlockEncoding::kXor, {Name(0)}, {metas});
  ASSERT_TRUE(xor_read.ok()) << xor_read.status().ToString();
  auto col_read = RoundTrip(dir.path(), BlockEncoding::kColumnarBatched, {Name(0)}, {metas});
  ASSERT_TRUE(col_read.ok()) << col_read.status().ToString();
  EXPECT_EQ(testing::Diff(*xor_read, *col_read), "");
  EXPECT_GE((*xor_read)[0].samples.size(), 5u);
}

// Input chunks in the series codec (single kColumnar / kZstd payloads) are stored as
// given in kXor mode, and decoded and rebatched in batched mode.
TEST(BlockWriterTest, AcceptsColumnarInputChunks) {
  testing::GenerateOptions o;
  o.num_series = 30;
  o.special_values = true;
  auto series = testing::GenerateSeries(o);
  std::vector<std::vector<std::uint8_t>> payloads;
  std::vector<model::Labels> labels;
  std::vector<std::vector<ChunkMeta>> chunks;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const auto& s = series[i].samples;
    payloads.push_back(i % 2 == 0 ? EncodeColumnar(s) : EncodeColumnarZstd(s));
    ChunkMeta m;
    m.encoding = payloads.back()[0];
    m.mint = s.front().t;
    m.maxt = s.back().t;
    m.num_samples = static_cast<std::uint32_t>(s.size());
    m.bytes = payloads.back();
    labels.push_back(series[i].labels);
    chunks.push_back({m});
  }
  for (BlockEncoding e : {BlockEncoding::kXor, BlockEncoding::kColumnarBatched}) {
    testing::TempDir dir;
    auto got = RoundTrip(dir.path(), e, labels, chunks);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(testing::Diff(series, *got), "");
  }
}

TEST(BlockWriterTest, RejectsOutOfOrderLabelsAndCorruptInput) {
  testing::TempDir dir;
  auto w = BlockWriter::Create(dir.path()).value();
  std::vector<model::Sample> samples{{1, 1}, {2, 2}};
  ASSERT_TRUE(w->AddSeriesSamples(Name(2), samples).ok());
  EXPECT_EQ(w->AddSeriesSamples(Name(1), samples).code(), StatusCode::kBadData);
  std::vector<std::uint8_t> junk{2, 0xff, 0xff, 0xff};
  ChunkMeta m;
  m.encoding = 2;
  m.mint = 1;
  m.maxt = 2;
  m.bytes = junk;
  EXPECT_FALSE(w->AddSeries(Name(3), std::span<const ChunkMeta>(&m, 1)).ok());
  ASSERT_TRUE(w->AddSeriesSamples(Name(4), samples).ok());
  auto path = w->Finish({});
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(Block::Open(*path).value()->meta().stats.num_series, 2u);
}

}  // namespace
}  // namespace hw::tsdb
