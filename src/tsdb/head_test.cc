#include "tsdb/head.h"

#include <bit>
#include <cmath>
#include <random>
#include <algorithm>
#include <thread>

#include <gtest/gtest.h>

namespace hw::tsdb {
namespace {

using model::Labels;
using model::Matcher;

Labels L(std::initializer_list<std::pair<std::string_view, std::string_view>> p) {
  return Labels::FromPairs(p);
}

// Reads everything matching `matchers` in [mint, maxt] as labels-string -> samples.
std::map<std::string, std::vector<model::Sample>> ReadAll(storage::Queryable& q,
                                                         std::vector<Matcher> matchers,
                                                         std::int64_t mint = INT64_MIN,
                                                         std::int64_t maxt = INT64_MAX) {
  std::map<std::string, std::vector<model::Sample>> out;
  auto querier = q.NewQuerier(mint, maxt);
  EXPECT_TRUE(querier.ok());
  auto set = (*querier)->Select(matchers, mint, maxt);
  std::string prev;
  while (set->Next()) {
    std::string key = set->At().labels().ToString();
    EXPECT_LT(prev, key) << "series not sorted or repeated";
    prev = key;
    auto it = set->At().Iterator();
    while (it->Next()) out[key].push_back(it->At());
    EXPECT_TRUE(it->Err().ok());
  }
  EXPECT_TRUE(set->Err().ok());
  return out;
}

TEST(HeadTest, AppendCommitQuery) {
  Head head;
  auto app = head.NewAppender();
  Labels up = L({{"__name__", "up"}, {"job", "api"}});
  Result<storage::SeriesRef> ref = app->Append(up, 1000, 1);
  ASSERT_TRUE(ref.ok());
  ASSERT_TRUE(app->AppendRef(*ref, 2000, 0).ok());
  // Not visible before Commit.
  EXPECT_TRUE(ReadAll(head, {*Matcher::Make(model::MatchType::kEqual, "job", "api")}).empty());
  ASSERT_TRUE(app->Commit().ok());
  auto got = ReadAll(head, {*Matcher::Make(model::MatchType::kEqual, "job", "api")});
  ASSERT_EQ(got.size(), 1u);
  const auto& s = got.begin()->second;
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].t, 1000);
  EXPECT_EQ(s[1].v, 0);
  EXPECT_EQ(head.MinTime(), 1000);
  EXPECT_EQ(head.MaxTime(), 2000);
}

TEST(HeadTest, RejectsOutOfOrderAndConflictingDuplicatesIgnoresExactDuplicates) {
  Head head;
  Labels s = L({{"__name__", "x"}});
  auto app = head.NewAppender();
  ASSERT_TRUE(app->Append(s, 100, 1).ok());
  ASSERT_TRUE(app->Commit().ok());

  app = head.NewAppender();
  Result<storage::SeriesRef> r = app->Append(s, 50, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kBadData);
  EXPECT_NE(r.status().message().find("out of order sample"), std::string::npos);
  EXPECT_NE(r.status().message().find("x"), std::string::npos);
  r = app->Append(s, 100, 2);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("duplicate sample for timestamp"), std::string::npos);
  EXPECT_TRUE(app->Append(s, 100, 1).ok()) << "bit-identical duplicate is accepted";
  // Within one batch too.
  ASSERT_TRUE(app->Append(s, 200, 1).ok());
  EXPECT_FALSE(app->Append(s, 150, 1).ok());
  ASSERT_TRUE(app->Commit().ok());
  auto got = ReadAll(head, {});
  ASSERT_EQ(got.begin()->second.size(), 2u);  // 100 and 200
}

TEST(HeadTest, StaleMarkersAndSpecialValuesRoundTripBitExact) {
  Head head;
  Labels s = L({{"__name__", "v"}});
  std::vector<double> values = {model::kStaleNaN, std::numeric_limits<double>::infinity(),
                                -std::numeric_limits<double>::infinity(), -0.0,
                                std::numeric_limits<double>::denorm_min(), std::nan(""), 1e308};
  auto app = head.NewAppender();
  for (size_t i = 0; i < values.size(); ++i) ASSERT_TRUE(app->Append(s, 1000 * i, values[i]).ok());
  ASSERT_TRUE(app->Commit().ok());
  auto got = ReadAll(head, {}).begin()->second;
  ASSERT_EQ(got.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(got[i].v), std::bit_cast<std::uint64_t>(values[i])) << i;
  }
  EXPECT_TRUE(model::IsStaleNaN(got[0].v));
}

TEST(HeadTest, ChunksAreCutAtBlockBoundariesAndTruncateDropsOldData) {
  HeadOptions opts;
  opts.block_range_ms = 3600 * 1000;
  Head head(opts);
  Labels s = L({{"__name__", "c"}});
  auto app = head.NewAppender();
  // 3 hours at 15 s.
  for (std::int64_t t = 0; t < 3 * 3600 * 1000; t += 15000) ASSERT_TRUE(app->Append(s, t, t / 1000).ok());
  ASSERT_TRUE(app->Commit().ok());
  auto series = head.SortedSeries();
  ASSERT_EQ(series.size(), 1u);
  ChunkSnapshot snap = series[0]->Snapshot(INT64_MIN, INT64_MAX);
  for (const auto& c : snap.chunks) {
    EXPECT_EQ(c->mint / opts.block_range_ms, c->maxt / opts.block_range_ms) << "chunk straddles a boundary";
    EXPECT_LE(c->num_samples, 120);
  }
  head.Truncate(2 * 3600 * 1000);
  auto got = ReadAll(head, {}).begin()->second;
  EXPECT_EQ(got.front().t, 2 * 3600 * 1000);
  EXPECT_EQ(got.size(), 240u);
  EXPECT_EQ(head.MinTime(), 2 * 3600 * 1000);
}

TEST(HeadTest, TruncateForgetsSeriesThatWentQuiet) {
  Head head;
  auto app = head.NewAppender();
  ASSERT_TRUE(app->Append(L({{"__name__", "old"}}), 1000, 1).ok());
  ASSERT_TRUE(app->Append(L({{"__name__", "new"}}), 8 * 3600 * 1000, 1).ok());
  ASSERT_TRUE(app->Commit().ok());
  head.Truncate(2 * 3600 * 1000);
  EXPECT_EQ(head.Stats().series, 1u);
  EXPECT_EQ(head.LabelValues("__name__", {}), std::vector<std::string>{"new"});
}

TEST(HeadTest, SelectClipsTimeRangeAndSeeks) {
  Head head;
  Labels s = L({{"__name__", "m"}});
  auto app = head.NewAppender();
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(app->Append(s, i * 1000, i).ok());
  ASSERT_TRUE(app->Commit().ok());
  auto got = ReadAll(head, {}, 100'500, 200'000).begin()->second;
  ASSERT_EQ(got.size(), 100u);
  EXPECT_EQ(got.front().t, 101'000);
  EXPECT_EQ(got.back().t, 200'000);

  auto q = std::move(head.NewQuerier(0, 1000000)).value();
  auto set = q->Select({}, 0, 1'000'000);
  ASSERT_TRUE(set->Next());
  auto it = set->At().Iterator();
  ASSERT_TRUE(it->Seek(500'500));
  EXPECT_EQ(it->At().t, 501'000);
  ASSERT_TRUE(it->Seek(400'000)) << "seek never moves backwards";
  EXPECT_EQ(it->At().t, 501'000);
  ASSERT_TRUE(it->Next());
  EXPECT_EQ(it->At().t, 502'000);
  EXPECT_FALSE(it->Seek(2'000'000));
}

TEST(HeadTest, WalWriterSeesNewSeriesOnceAndFailureCommitsNothing) {
  Head head;
  std::vector<WalBatch> logged;
  bool fail = false;
  head.SetWalWriter([&](const WalBatch& b) {
    if (fail) return Status::Unavailable("disk full");
    logged.push_back(b);
    return Status::Ok();
  });
  Labels a = L({{"__name__", "a"}});
  auto app = head.NewAppender();
  ASSERT_TRUE(app->Append(a, 1, 1).ok());
  ASSERT_TRUE(app->Commit().ok());
  app = head.NewAppender();
  ASSERT_TRUE(app->Append(a, 2, 2).ok());
  ASSERT_TRUE(app->Commit().ok());
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_EQ(logged[0].series.size(), 1u);
  EXPECT_EQ(logged[1].series.size(), 0u);
  EXPECT_EQ(logged[1].samples.size(), 1u);

  fail = true;
  app = head.NewAppender();
  ASSERT_TRUE(app->Append(a, 3, 3).ok());
  Status s = app->Commit();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("disk full"), std::string::npos);
  EXPECT_EQ(ReadAll(head, {}).begin()->second.size(), 2u) << "a failed commit must not be visible";
}

TEST(HeadTest, ReplayRestoresSeriesAndSamples) {
  Head head;
  head.ReplaySeries(7, L({{"__name__", "r"}, {"i", "1"}}));
  head.ReplaySamples({{7, 10, 1.5}, {7, 20, 2.5}, {7, 15, 9}, {99, 10, 1}});
  auto got = ReadAll(head, {});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got.begin()->second.size(), 2u) << "out-of-order replayed sample skipped";
  // New series get refs above the replayed ones.
  auto app = head.NewAppender();
  Result<storage::SeriesRef> ref = app->Append(L({{"__name__", "n"}}), 1, 1);
  ASSERT_TRUE(ref.ok());
  EXPECT_GT(*ref, 7u);
}

TEST(HeadTest, DeleteSeriesRemovesRange) {
  Head head;
  auto app = head.NewAppender();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(app->Append(L({{"__name__", "d"}, {"k", "a"}}), i, i).ok());
    ASSERT_TRUE(app->Append(L({{"__name__", "d"}, {"k", "b"}}), i, i).ok());
  }
  ASSERT_TRUE(app->Commit().ok());
  auto refs = head.DeleteSeries({*Matcher::Make(model::MatchType::kEqual, "k", "a")}, 3, 6);
  EXPECT_EQ(refs.size(), 1u);
  auto got = ReadAll(head, {});
  EXPECT_EQ(got["{__name__=\"d\", k=\"a\"}"].size(), 6u);
  EXPECT_EQ(got["{__name__=\"d\", k=\"b\"}"].size(), 10u);
}

TEST(SeriesMapsTest, HashSetFindsInsertsAndErasesUnderCollisions) {
  // Long probe runs (the table is at most 3/4 full) erased in random order: every
  // erase's backward shift must leave every other member findable.
  std::vector<std::shared_ptr<MemSeries>> all;
  for (int i = 0; i < 2000; ++i) {
    all.push_back(std::make_shared<MemSeries>(i + 1, L({{"__name__", "m"}, {"i", std::to_string(i)}})));
  }
  SeriesHashSet set;
  for (const auto& s : all) set.Insert(s.get());
  EXPECT_EQ(set.size(), all.size());
  std::mt19937 rng(42);
  std::vector<std::size_t> order(all.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  for (std::size_t k = 0; k < order.size(); ++k) {
    ASSERT_TRUE(set.Erase(all[order[k]].get()));
    ASSERT_FALSE(set.Erase(all[order[k]].get()));
    if (k % 97 == 0 || k + 10 > order.size()) {
      for (std::size_t j = 0; j < order.size(); ++j) {
        MemSeries* want = j > k ? all[order[j]].get() : nullptr;
        ASSERT_EQ(set.Find(all[order[j]]->labels()), want) << k << " " << j;
      }
    }
  }
  EXPECT_EQ(set.size(), 0u);
}

TEST(SeriesMapsTest, RefTableFreesEmptyPagesAndToleratesSparseRefs) {
  SeriesRefTable table;
  auto s = std::make_shared<MemSeries>(1, L({{"a", "1"}}));
  table.Insert(3, s);
  table.Insert(1'000'000'000'000ULL, s);  // a huge ref costs one page, not a terabyte
  ASSERT_NE(table.Find(3), nullptr);
  EXPECT_EQ(table.Find(3)->get(), s.get());
  EXPECT_EQ(table.Find(4), nullptr);
  EXPECT_EQ(table.Find(1'000'000'000'001ULL), nullptr);
  EXPECT_TRUE(table.Erase(3));
  EXPECT_FALSE(table.Erase(3));
  EXPECT_EQ(table.Find(3), nullptr);
  EXPECT_TRUE(table.Erase(1'000'000'000'000ULL));
  EXPECT_EQ(s.use_count(), 1);
}

TEST(HeadTest, TruncateRemovesManyQuietSeriesAndTheyCanComeBack) {
  Head head;
  auto app = head.NewAppender();
  for (int i = 0; i < 5000; ++i) {
    std::string id = std::to_string(i);
    ASSERT_TRUE(app->Append(L({{"__name__", "q"}, {"id", id}}), i % 2 ? 1000 : 9 * 3600 * 1000, 1).ok());
  }
  ASSERT_TRUE(app->Commit().ok());
  head.Truncate(2 * 3600 * 1000);
  EXPECT_EQ(head.Stats().series, 2500u);
  EXPECT_EQ(head.LabelValues("id", {}).size(), 2500u);
  EXPECT_EQ(ReadAll(head, {}).size(), 2500u);
  // A removed series is created afresh (new ref) when written again.
  app = head.NewAppender();
  Result<storage::SeriesRef> ref = app->Append(L({{"__name__", "q"}, {"id", "1"}}), 10 * 3600 * 1000, 2);
  ASSERT_TRUE(ref.ok());
  EXPECT_GT(*ref, 5000u);
  ASSERT_TRUE(app->Commit().ok());
  EXPECT_EQ(head.Stats().series, 2501u);
  EXPECT_EQ(ReadAll(head, {*Matcher::Make(model::MatchType::kEqual, "id", "1")}).size(), 1u);
}

TEST(HeadTest, ConcurrentAppendersAndReaders) {
  Head head;
  constexpr int kThreads = 4, kSeries = 200, kSamples = 100;
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    while (!stop) {
      auto q = std::move(head.NewQuerier(INT64_MIN, INT64_MAX)).value();
      auto set = q->Select({}, INT64_MIN, INT64_MAX);
      while (set->Next()) {
        auto it = set->At().Iterator();
        std::int64_t last = -1;
        while (it->Next()) {
          ASSERT_GT(it->At().t, last);
          last = it->At().t;
        }
      }
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < kThreads; ++w) {
    writers.emplace_back([&, w] {
      for (int t = 0; t < kSamples; ++t) {
        auto app = head.NewAppender();
        for (int s = 0; s < kSeries; ++s) {
          std::string id = std::to_string(w * kSeries + s);
          ASSERT_TRUE(app->Append(L({{"__name__", "c"}, {"id", id}}), t * 1000, t).ok());
        }
        ASSERT_TRUE(app->Commit().ok());
      }
    });
  }
  for (auto& t : writers) t.join();
  stop = true;
  reader.join();
  auto got = ReadAll(head, {});
  ASSERT_EQ(got.size(), static_cast<size_t>(kThreads * kSeries));
  for (const auto& [k, v] : got) EXPECT_EQ(v.size(), static_cast<size_t>(kSamples)) << k;
}

}  // namespace
}  // namespace hw::tsdb

namespace hw::tsdb {
namespace {

TEST(HeadTest, AppendPairsFindsExistingSeriesWithoutLabels) {
  Head head;
  std::vector<std::pair<std::string_view, std::string_view>> pairs = {{"__name__", "p"},
                                                                       {"job", "x"}};
  auto app = head.NewAppender();
  Result<storage::SeriesRef> a = app->Append(Labels::FromPairs(pairs), 1, 1);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(app->Commit().ok());
  app = head.NewAppender();
  Result<storage::SeriesRef> b = app->AppendPairs(pairs, 2, 2);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
  Result<storage::SeriesRef> c = app->AppendPairs({{{"__name__", "p"}, {"job", "y"}}}, 2, 2);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(*c, *a);
  EXPECT_FALSE(app->AppendPairs(pairs, 1, 5).ok()) << "order checks still apply";
  ASSERT_TRUE(app->Commit().ok());
  EXPECT_EQ(head.Stats().series, 2u);
}

}  // namespace
}  // namespace hw::tsdb
