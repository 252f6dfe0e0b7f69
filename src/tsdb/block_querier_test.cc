#include "tsdb/block_querier.h"

#include <filesystem>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "tsdb/block_iterator.h"
#include "tsdb/block_test_util.h"

namespace hw::tsdb {
namespace {

using model::Matcher;
using model::MatchType;
using testing::TestSeries;

std::vector<TestSeries> Clip(const std::vector<TestSeries>& in, std::int64_t mint, std::int64_t maxt) {
  std::vector<TestSeries> out;
  for (const TestSeries& s : in) {
    TestSeries c{s.labels, {}};
    for (const model::Sample& x : s.samples) {
      if (x.t >= mint && x.t <= maxt) c.samples.push_back(x);
    }
    if (!c.samples.empty()) out.push_back(std::move(c));
  }
  return out;
}

// Every test runs over both block encodings.
class BlockQuerierTest : public ::testing::TestWithParam<BlockEncoding> {
 protected:
  void SetUp() override {
    testing::GenerateOptions o;
    o.num_series = 200;
    o.special_values = true;
    o.jitter_ms = 3;
    series_ = testing::GenerateSeries(o);
    auto path = testing::WriteBlock(dir_.path(), series_, {}, 64 << 10, GetParam());  // several segments
    ASSERT_TRUE(path.ok()) << path.status().ToString();
    auto block = Block::Open(*path);
    ASSERT_TRUE(block.ok()) << block.status().ToString();
    block_ = *block;
  }

  testing::TempDir dir_;
  std::vector<TestSeries> series_;
  std::shared_ptr<Block> block_;
};

TEST_P(BlockQuerierTest, SamplesReadBackBitExact) {
  BlockQuerier q(block_, INT64_MIN, INT64_MAX);
  auto got = testing::ReadAll(q, {}, INT64_MIN, INT64_MAX);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(testing::Diff(series_, *got), "");
  int stale = 0;
  for (const auto& s : *got) {
    for (const auto& x : s.samples) stale += model::IsStaleNaN(x.v);
  }
  EXPECT_GT(stale, 0);
}

TEST_P(BlockQuerierTest, ClipsToTimeRange) {
  std::int64_t base = series_[0].samples[0].t;
  struct Case {
    std::int64_t mint, maxt;
  } cases[] = {{base, base},
               {base + 1000, base + 1'800'000},
               {base + 1'799'999, base + 1'800'001},
               {base + 7'000'000, base + 9'000'000},
               {base - 100, base - 1},
               {base + 3'600'000, base + 3'600'000 + 15'000 * 130}};
  for (const Case& c : cases) {
    BlockQuerier q(block_, c.mint, c.maxt);
    auto got = testing::ReadAll(q, {}, INT64_MIN, INT64_MAX);
    ASSERT_TRUE(got.ok());
    // A series whose chunk overlaps the range but has no sample in it may be returned
    // empty (storage::Querier allows it); drop those before comparing.
    std::erase_if(*got, [](const TestSeries& s) { return s.samples.empty(); });
    EXPECT_EQ(testing::Diff(Clip(series_, c.mint, c.maxt), *got), "") << c.mint - base;
    // Select narrows further within the querier's range.
    BlockQuerier wide(block_, INT64_MIN, INT64_MAX);
    auto got2 = testing::ReadAll(wide, {}, c.mint, c.maxt);
    ASSERT_TRUE(got2.ok());
    std::erase_if(*got2, [](const TestSeries& s) { return s.samples.empty(); });
    EXPECT_EQ(testing::Diff(Clip(series_, c.mint, c.maxt), *got2), "");
  }
}

// NextBatch returns what Next would, in any buffer size, clipped to the range, and
// leaves the iterator where Next would have (Next continues from there).
TEST_P(BlockQuerierTest, NextBatchMatchesNext) {
  std::int64_t base = series_[0].samples[0].t;
  for (std::int64_t maxt : {INT64_MAX, base + 1'800'001}) {
    for (std::size_t size : {1, 3, 64, 4096}) {
      BlockQuerier q(block_, base + 1000, maxt);
      auto set = q.Select({}, INT64_MIN, INT64_MAX, nullptr);
      while (set->Next()) {
        std::vector<model::Sample> want;
        auto ref = set->At().Iterator();
        while (ref->Next()) want.push_back(ref->At());
        ASSERT_TRUE(ref->Err().ok());
        auto it = set->At().Iterator();
        std::vector<model::Sample> buf(size), got;
        bool next = false;  // alternate NextBatch with Next
        while (true) {
          if (next) {
            if (!it->Next()) break;
            got.push_back(it->At());
          } else {
            std::size_t n = it->NextBatch(buf);
            if (n == 0) break;
            got.insert(got.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
          }
          next = !next;
        }
        ASSERT_TRUE(it->Err().ok());
        ASSERT_EQ(got.size(), want.size()) << size;
        for (std::size_t i = 0; i < want.size(); ++i) {
          ASSERT_TRUE(model::SameBits(got[i], want[i])) << i;
        }
      }
    }
  }
}

TEST_P(BlockQuerierTest, SeekFollowsTheContract) {
  BlockQuerier q(block_, INT64_MIN, INT64_MAX);
  auto set = q.Select({Matcher::Equal("job", "api")}, INT64_MIN, INT64_MAX, nullptr);
  ASSERT_TRUE(set->Next());
  const TestSeries* want = nullptr;
  for (const auto& s : series_) {
    if (s.labels == set->At().labels()) want = &s;
  }
  ASSERT_NE(want, nullptr);
  auto it = set->At().Iterator();
  // Seek into the middle of the third chunk, then backwards (stays), then forward.
  const model::Sample& target = want->samples[250];
  ASSERT_TRUE(it->Seek(target.t - 1));
  EXPECT_TRUE(model::SameBits(it->At(), target));
  ASSERT_TRUE(it->Seek(want->samples[10].t));
  EXPECT_TRUE(model::SameBits(it->At(), target));
  ASSERT_TRUE(it->Next());
  EXPECT_TRUE(model::SameBits(it->At(), want->samples[251]));
  ASSERT_TRUE(it->Seek(want->samples.back().t));
  EXPECT_TRUE(model::SameBits(it->At(), want->samples.back()));
  EXPECT_FALSE(it->Next());
  EXPECT_FALSE(it->Seek(want->samples.back().t + 1));
  EXPECT_TRUE(it->Err().ok());
  // A fresh iterator seeks past the end.
  auto it2 = set->At().Iterator();
  EXPECT_FALSE(it2->Seek(want->samples.back().t + 1));
}

TEST_P(BlockQuerierTest, SelectSortedAndFiltered) {
  BlockQuerier q(block_, INT64_MIN, INT64_MAX);
  auto m = Matcher::Make(MatchType::kRegexMatch, "__name__", "metric_(1|3).*").value();
  auto got = testing::ReadAll(q, {m, Matcher::NotEqual("job", "db")}, INT64_MIN, INT64_MAX);
  ASSERT_TRUE(got.ok());
  std::vector<TestSeries> want;
  for (const auto& s : series_) {
    if (m.Matches(s.labels.MetricName()) && s.labels.Get("job") != "db") want.push_back(s);
  }
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(testing::Diff(want, *got), "");
}

TEST_P(BlockQuerierTest, LabelNamesAndValuesWithMatchers) {
  BlockQuerier q(block_, INT64_MIN, INT64_MAX);
  auto names = q.LabelNames({});
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"__name__", "idx", "instance", "job", "zone"}));
  // Series with zone are those with i % 3 == 0; no zone label on metric_1 (i%20==1 -> i%3 varies).
  auto none = q.LabelNames({Matcher::Equal("zone", "")});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, (std::vector<std::string>{"__name__", "idx", "instance", "job"}));
  auto values = q.LabelValues("zone", {Matcher::Equal("__name__", "metric_0_total")});
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(*values, (std::vector<std::string>{"eu"}));
  auto jobs = q.LabelValues("job", {});
  ASSERT_TRUE(jobs.ok());
  EXPECT_EQ(jobs->size(), 4u);
  auto nothing = q.LabelValues("job", {Matcher::Equal("job", "nope")});
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing->empty());
}

TEST_P(BlockQuerierTest, ConcurrentQueriersOnOneBlock) {
  const char* jobs[] = {"api", "web", "db", "cache"};
  std::vector<std::string> diffs(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      std::vector<TestSeries> want;
      for (const auto& s : series_) {
        if (s.labels.Get("job") == jobs[t % 4]) want.push_back(s);
      }
      for (int round = 0; round < 5; ++round) {
        BlockQuerier q(block_, INT64_MIN, INT64_MAX);
        auto got = testing::ReadAll(q, {Matcher::Equal("job", jobs[t % 4])}, INT64_MIN, INT64_MAX);
        std::string d = got.ok() ? testing::Diff(want, *got) : got.status().ToString();
        if (!d.empty()) diffs[t] = d;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& d : diffs) EXPECT_EQ(d, "");
}

TEST_P(BlockQuerierTest, SeriesOutliveTheirSetAndBlockReference) {
  std::unique_ptr<storage::SampleIterator> it;
  {
    BlockQuerier q(block_, INT64_MIN, INT64_MAX);
    auto set = q.Select({}, INT64_MIN, INT64_MAX, nullptr);
    ASSERT_TRUE(set->Next());
    it = set->At().Iterator();
  }
  std::string dir = block_->dir();
  ASSERT_TRUE(block_->MarkDeleted().ok());
  block_.reset();  // the iterator still holds the block
  EXPECT_TRUE(std::filesystem::exists(dir + ".deleted"));
  int n = 0;
  while (it->Next()) ++n;
  EXPECT_EQ(n, 480);
  it.reset();  // last reference: the files go
  EXPECT_FALSE(std::filesystem::exists(dir + ".deleted"));
  EXPECT_FALSE(std::filesystem::exists(dir));
}

// Reading series in label order decompresses each kBatch frame once: the series set's
// cache answers every other lookup.
TEST_P(BlockQuerierTest, BatchCacheDecompressesEachFrameOnce) {
  if (GetParam() != BlockEncoding::kColumnarBatched) GTEST_SKIP() << "XOR blocks have no batches";
  std::set<ChunkRef> records;
  std::size_t chunks = 0;
  for (SeriesRef id = 0; id < block_->index().num_series(); ++id) {
    std::vector<ChunkMeta> metas;
    ASSERT_TRUE(block_->index().Series(id, nullptr, &metas).ok());
    for (const ChunkMeta& c : metas) records.insert(c.ref);
    chunks += metas.size();
  }
  ASSERT_GT(records.size(), 1u);
  auto cache = std::make_shared<BatchCache>();
  for (SeriesRef id = 0; id < block_->index().num_series(); ++id) {
    std::vector<ChunkMeta> metas;
    ASSERT_TRUE(block_->index().Series(id, nullptr, &metas).ok());
    BlockSeriesIterator it(block_, metas, {}, INT64_MIN, INT64_MAX, cache);
    while (it.Next()) {
    }
    ASSERT_TRUE(it.Err().ok()) << it.Err().ToString();
  }
  EXPECT_EQ(cache->misses(), records.size());
  EXPECT_EQ(cache->hits() + cache->misses(), chunks);
}

// Columnar payloads are decoded once into the shared SampleCache: later reads (any
// range, any Seek) come from it and agree with the first; dropping the block drops
// its entries.
TEST_P(BlockQuerierTest, SampleCacheServesRepeatedReads) {
  if (GetParam() != BlockEncoding::kColumnarBatched) GTEST_SKIP() << "XOR chunks are not cached";
  SampleCache& cache = SampleCache::Shared();
  std::size_t bytes_before = cache.bytes();
  BlockQuerier q(block_, INT64_MIN, INT64_MAX);
  auto unhinted = testing::ReadAll(q, {}, INT64_MIN, INT64_MAX);  // as compaction reads
  ASSERT_TRUE(unhinted.ok()) << unhinted.status().ToString();
  EXPECT_EQ(cache.bytes(), bytes_before);
  storage::SelectHints hints;
  auto first = testing::ReadAll(q, {}, INT64_MIN, INT64_MAX, &hints);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_GT(cache.bytes(), bytes_before);
  EXPECT_EQ(testing::Diff(series_, *first), "");
  std::uint64_t hits = cache.hits();
  auto second = testing::ReadAll(q, {}, INT64_MIN, INT64_MAX, &hints);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_GE(cache.hits() - hits, series_.size());
  EXPECT_EQ(testing::Diff(series_, *second), "");
  std::int64_t base = series_[0].samples[0].t;
  for (auto [mint, maxt] : {std::pair{base + 1000, base + 1'800'000},
                            std::pair{base + 1'799'999, base + 1'800'001},
                            std::pair{base + 7'000'000, base + 9'000'000}}) {
    BlockQuerier clipped(block_, mint, maxt);
    auto got = testing::ReadAll(clipped, {}, INT64_MIN, INT64_MAX, &hints);
    ASSERT_TRUE(got.ok());
    std::erase_if(*got, [](const TestSeries& s) { return s.samples.empty(); });
    EXPECT_EQ(testing::Diff(Clip(series_, mint, maxt), *got), "") << mint << ".." << maxt;
  }

  // Seek and Next over a cached payload, against the samples themselves.
  const TestSeries& want = series_[7];
  std::vector<ChunkMeta> metas;
  SeriesRef id = 7;
  model::Labels labels;
  ASSERT_TRUE(block_->index().Series(id, &labels, &metas).ok());
  ASSERT_EQ(labels, want.labels);
  std::int64_t mint = want.samples[10].t, maxt = want.samples[300].t;
  {
    BlockSeriesIterator it(block_, metas, {}, mint, maxt, nullptr, &cache);
    ASSERT_TRUE(it.Seek(want.samples[100].t + 1));
    EXPECT_EQ(it.At().t, want.samples[101].t);
    ASSERT_TRUE(it.Seek(mint));  // backwards: stays put
    EXPECT_EQ(it.At().t, want.samples[101].t);
    std::size_t n = 1;
    while (it.Next()) ++n;
    EXPECT_TRUE(it.Err().ok());
    EXPECT_EQ(n, 200u);  // samples 101..300
  }

  std::size_t with_block = cache.bytes();
  block_.reset();
  q.Close();
  EXPECT_LT(cache.bytes(), with_block);
}

INSTANTIATE_TEST_SUITE_P(Encodings, BlockQuerierTest,
                         ::testing::Values(BlockEncoding::kXor, BlockEncoding::kColumnarBatched),
                         [](const auto& info) {
                           return info.param == BlockEncoding::kXor ? "Xor" : "ColumnarBatched";
                         });

}  // namespace
}  // namespace hw::tsdb
