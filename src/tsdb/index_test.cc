// Index round trip: every matcher type and combination over a written block returns
// exactly what a brute-force filter over the input returns.
#include <gtest/gtest.h>

#include "tsdb/block.h"
#include "tsdb/block_test_util.h"
#include "tsdb/index_reader.h"
#include "tsdb/index_writer.h"

namespace hw::tsdb {
namespace {

using model::Matcher;
using model::MatchType;

class IndexTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    testing::GenerateOptions o;
    o.num_samples = 300;  // 3 XOR chunks a series
    series_ = new std::vector<testing::TestSeries>(testing::GenerateSeries(o));
    auto path = testing::WriteBlock(dir_->path(), *series_, {}, 0, BlockEncoding::kXor);
    ASSERT_TRUE(path.ok()) << path.status().ToString();
    auto block = Block::Open(*path);
    ASSERT_TRUE(block.ok()) << block.status().ToString();
    block_ = new std::shared_ptr<Block>(*block);
  }
  static void TearDownTestSuite() {
    delete block_;
    delete series_;
    delete dir_;
  }

  static Matcher M(MatchType t, std::string_view n, std::string_view v) {
    return Matcher::Make(t, n, v).value();
  }

  static testing::TempDir* dir_;
  static std::vector<testing::TestSeries>* series_;
  static std::shared_ptr<Block>* block_;
};

testing::TempDir* IndexTest::dir_ = nullptr;
std::vector<testing::TestSeries>* IndexTest::series_ = nullptr;
std::shared_ptr<Block>* IndexTest::block_ = nullptr;

TEST_F(IndexTest, MetaAndStats) {
  const BlockMeta& m = (*block_)->meta();
  EXPECT_EQ(m.stats.num_series, 1000u);
  EXPECT_EQ(m.stats.num_samples, 300'000u);
  EXPECT_EQ(m.stats.num_chunks, 3000u);
  EXPECT_EQ(m.min_time, series_->front().samples.front().t);
  EXPECT_EQ(m.max_time, series_->front().samples.back().t + 1);
  EXPECT_EQ(m.compaction.level, 1);
  EXPECT_EQ(m.compaction.sources, std::vector<std::string>{m.ulid});
  EXPECT_EQ(m.stats.num_bytes, (*block_)->size_bytes());
  EXPECT_EQ((*block_)->index().num_series(), 1000u);
}

TEST_F(IndexTest, SeriesRoundTrip) {
  const IndexReader& ix = (*block_)->index();
  for (SeriesRef id = 0; id < series_->size(); ++id) {
    model::Labels ls;
    std::vector<ChunkMeta> chunks;
    ASSERT_TRUE(ix.Series(id, &ls, &chunks).ok());
    EXPECT_EQ(ls, (*series_)[id].labels);
    ASSERT_EQ(chunks.size(), 3u);
    EXPECT_EQ(chunks[0].mint, (*series_)[id].samples.front().t);
    EXPECT_EQ(chunks[2].maxt, (*series_)[id].samples.back().t);
    EXPECT_EQ(chunks[0].num_samples + chunks[1].num_samples + chunks[2].num_samples, 300u);
  }
  EXPECT_FALSE(ix.Series(1000, nullptr, nullptr).ok());
}

TEST_F(IndexTest, EveryMatcherAgreesWithBruteForce) {
  std::vector<Matcher> singles = {
      M(MatchType::kEqual, "job", "api"),
      M(MatchType::kEqual, "job", "nope"),
      M(MatchType::kEqual, "zone", ""),
      M(MatchType::kEqual, "nolabel", ""),
      M(MatchType::kEqual, "nolabel", "x"),
      M(MatchType::kNotEqual, "job", "api"),
      M(MatchType::kNotEqual, "zone", "eu"),
      M(MatchType::kNotEqual, "zone", ""),
      M(MatchType::kNotEqual, "nolabel", ""),
      M(MatchType::kRegexMatch, "__name__", "metric_1.*"),
      M(MatchType::kRegexMatch, "__name__", ".*_total"),
      M(MatchType::kRegexMatch, "__name__", ".*ic_1.*"),
      M(MatchType::kRegexMatch, "job", "api|db"),
      M(MatchType::kRegexMatch, "zone", "eu|"),
      M(MatchType::kRegexMatch, "zone", ".*"),
      M(MatchType::kRegexMatch, "zone", ".+"),
      M(MatchType::kRegexMatch, "instance", "host-[0-9]:9100"),
      M(MatchType::kRegexMatch, "nolabel", ".*"),
      M(MatchType::kRegexMatch, "nolabel", ".+"),
      M(MatchType::kRegexNoMatch, "job", "api|web"),
      M(MatchType::kRegexNoMatch, "zone", "eu"),
      M(MatchType::kRegexNoMatch, "zone", ".*"),
      M(MatchType::kRegexNoMatch, "zone", ".+"),
      M(MatchType::kRegexNoMatch, "zone", ""),
      M(MatchType::kRegexNoMatch, "idx", "[0-9]*5"),
      M(MatchType::kRegexNoMatch, "nolabel", "x"),
  };
  std::vector<std::vector<Matcher>> cases = {{}};
  for (const Matcher& a : singles) {
    cases.push_back({a});
    for (const Matcher& b : singles) cases.push_back({a, b});
  }
  cases.push_back({singles[0], singles[6], singles[9], singles[24]});
  const IndexReader& ix = (*block_)->index();
  for (const auto& ms : cases) {
    Postings want;
    for (SeriesRef id = 0; id < series_->size(); ++id) {
      const model::Labels& ls = (*series_)[id].labels;
      if (std::all_of(ms.begin(), ms.end(), [&](const Matcher& m) { return m.Matches(ls.Get(m.name())); })) {
        want.push_back(id);
      }
    }
    auto got = ix.ForMatchers(ms);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    std::string desc;
    for (const Matcher& m : ms) desc += m.ToString() + " ";
    EXPECT_EQ(*got, want) << desc;
  }
}

TEST_F(IndexTest, LabelNamesAndValues) {
  const IndexReader& ix = (*block_)->index();
  EXPECT_EQ(ix.LabelNames(),
            (std::vector<std::string>{"__name__", "idx", "instance", "job", "zone"}));
  EXPECT_EQ(ix.LabelValues("job"), (std::vector<std::string>{"api", "cache", "db", "web"}));
  EXPECT_EQ(ix.LabelValues("zone"), (std::vector<std::string>{"eu", "us"}));
  EXPECT_EQ(ix.LabelValues("__name__").size(), 20u);
  EXPECT_TRUE(ix.LabelValues("nolabel").empty());
  auto p = ix.Get("job", "api");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->size(), 252u);
  EXPECT_TRUE(ix.Get("job", "zzz")->empty());
}

// A columnar block: one chunk a series, addressing (kBatch record, index in batch);
// label-adjacent series share a record and count up its indexes from 0.
TEST(IndexBatchTest, ColumnarMetasAddressBatches) {
  testing::TempDir dir;
  testing::GenerateOptions o;
  o.num_samples = 300;
  auto series = testing::GenerateSeries(o);
  auto path = testing::WriteBlock(dir.path(), series);
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  auto block = Block::Open(*path).value();
  const IndexReader& ix = block->index();
  EXPECT_EQ(ix.version(), kIndexVersion);
  EXPECT_EQ(block->meta().stats.num_chunks, 1000u);
  EXPECT_EQ(block->meta().stats.num_samples, 300'000u);
  ChunkRef prev_ref = 0;
  std::uint32_t next_index = 0;
  int records = 0;
  for (SeriesRef id = 0; id < ix.num_series(); ++id) {
    std::vector<ChunkMeta> chunks;
    ASSERT_TRUE(ix.Series(id, nullptr, &chunks).ok());
    ASSERT_EQ(chunks.size(), 1u);
    const ChunkMeta& c = chunks[0];
    EXPECT_EQ(c.mint, series[id].samples.front().t);
    EXPECT_EQ(c.maxt, series[id].samples.back().t);
    EXPECT_EQ(c.num_samples, 300u);
    if (c.ref != prev_ref) {
      ++records;
      prev_ref = c.ref;
      next_index = 0;
    }
    EXPECT_EQ(c.batch_index, next_index++) << id;
    auto view = block->chunks().Chunk(c.ref);
    ASSERT_TRUE(view.ok());
    EXPECT_EQ(view->encoding, static_cast<std::uint8_t>(ChunkEncoding::kBatch));
  }
  EXPECT_GT(records, 1);
  EXPECT_LT(records, 100);
}

// Version-1 indexes (no batch_index) still read; a version-1 writer refuses batches.
TEST(IndexBatchTest, ReadsVersion1) {
  testing::TempDir dir;
  IndexWriter w(1);
  ChunkMeta c;
  c.mint = 1000;
  c.maxt = 2000;
  c.num_samples = 5;
  c.ref = MakeChunkRef(1, 8);
  auto ls = model::Labels::FromPairs({{"__name__", "up"}});
  ASSERT_TRUE(w.AddSeries(ls, std::span<const ChunkMeta>(&c, 1)).ok());
  ChunkMeta batched = c;
  batched.batch_index = 3;
  auto ls2 = model::Labels::FromPairs({{"__name__", "up2"}});
  EXPECT_EQ(w.AddSeries(ls2, std::span<const ChunkMeta>(&batched, 1)).code(),
            StatusCode::kBadData);
  ASSERT_TRUE(w.Finish(dir.path() + "/index").ok());
  auto r = IndexReader::Open(dir.path() + "/index");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->version(), 1);
  model::Labels got;
  std::vector<ChunkMeta> metas;
  ASSERT_TRUE((*r)->Series(0, &got, &metas).ok());
  EXPECT_EQ(got, ls);
  ASSERT_EQ(metas.size(), 1u);
  EXPECT_EQ(metas[0].ref, c.ref);
  EXPECT_EQ(metas[0].maxt, 2000);
  EXPECT_EQ(metas[0].num_samples, 5u);
  EXPECT_EQ(metas[0].batch_index, 0u);
}

}  // namespace
}  // namespace hw::tsdb
