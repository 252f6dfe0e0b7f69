#include "tsdb/postings_index.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace hw::tsdb {
namespace {

using model::Labels;
using model::Matcher;
using model::MatchType;

Matcher M(MatchType t, const char* name, const char* value) {
  Result<Matcher> m = Matcher::Make(t, name, value);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return *m;
}
constexpr MatchType kEq = MatchType::kEqual;
constexpr MatchType kNeq = MatchType::kNotEqual;
constexpr MatchType kRe = MatchType::kRegexMatch;
constexpr MatchType kNre = MatchType::kRegexNoMatch;

// The fixture of Prometheus' TestPostingsForMatchers, plus a second name.
class PostingsIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::vector<Labels> series = {
        Labels::FromPairs({{"n", "1"}}),
        Labels::FromPairs({{"n", "1"}, {"i", "a"}}),
        Labels::FromPairs({{"n", "1"}, {"i", "b"}}),
        Labels::FromPairs({{"n", "1"}, {"i", "\n"}}),
        Labels::FromPairs({{"n", "2"}}),
        Labels::FromPairs({{"n", "2.5"}}),
        Labels::FromPairs({{"m", "x"}, {"i", "a"}}),
    };
    for (std::size_t i = 0; i < series.size(); ++i) {
      ASSERT_TRUE(index_.Add(10 * (i + 1), series[i]));
      series_.emplace_back(10 * (i + 1), series[i]);
    }
  }

  // The definition: a series matches when every matcher accepts its value ("" if absent).
  Postings BruteForce(const std::vector<Matcher>& ms) const {
    Postings out;
    for (const auto& [ref, labels] : series_) {
      bool ok = true;
      for (const Matcher& m : ms) ok = ok && m.Matches(labels.Get(m.name()));
      if (ok) out.push_back(ref);
    }
    return out;
  }

  PostingsIndex index_;
  std::vector<std::pair<SeriesRef, Labels>> series_;
};

TEST_F(PostingsIndexTest, ResolvesMatchersLikePrometheus) {
  struct Case {
    std::vector<Matcher> ms;
    Postings want;
  };
  const std::vector<Case> cases = {
      {{M(kEq, "n", "1")}, {10, 20, 30, 40}},
      {{M(kEq, "j", "foo")}, {}},
      {{M(kEq, "n", "1"), M(kEq, "j", "foo")}, {}},
      {{M(kNeq, "j", "foo")}, {10, 20, 30, 40, 50, 60, 70}},  // only empty-matching
      {{M(kEq, "i", "")}, {10, 50, 60}},                        // absent label matches ""
      {{M(kEq, "n", "1"), M(kEq, "i", "")}, {10}},
      {{M(kEq, "n", "1"), M(kNeq, "i", "")}, {20, 30, 40}},
      {{M(kEq, "n", "1"), M(kNeq, "i", "a")}, {10, 30, 40}},
      {{M(kRe, "n", "^1$")}, {10, 20, 30, 40}},
      {{M(kRe, "n", "1|2")}, {10, 20, 30, 40, 50}},
      {{M(kRe, "n", "2.*")}, {50, 60}},
      {{M(kRe, "n", ".*5")}, {60}},
      {{M(kRe, "i", ".")}, {20, 30, 40, 70}},  // `.` matches "\n"
      {{M(kEq, "n", "1"), M(kRe, "i", ".*")}, {10, 20, 30, 40}},
      {{M(kEq, "n", "1"), M(kRe, "i", ".+")}, {20, 30, 40}},
      {{M(kEq, "n", "1"), M(kRe, "i", "a|")}, {10, 20}},
      {{M(kEq, "n", "1"), M(kNre, "i", "a|b")}, {10, 40}},
      {{M(kEq, "n", "1"), M(kNre, "i", "")}, {20, 30, 40}},
      {{M(kEq, "n", "1"), M(kNre, "i", ".*")}, {}},
      {{M(kEq, "n", "1"), M(kNre, "i", ".+")}, {10}},
      {{M(kRe, "i", "a|"), M(kNeq, "i", "")}, {20, 70}},
      {{M(kRe, "n", ".*"), M(kRe, "i", ".*")}, {10, 20, 30, 40, 50, 60, 70}},
      {{M(kNre, "n", "1|2.*")}, {70}},
      {{M(kEq, "m", "x"), M(kEq, "i", "a")}, {70}},
      {{}, {10, 20, 30, 40, 50, 60, 70}},
  };
  for (const Case& c : cases) {
    std::string desc;
    for (const Matcher& m : c.ms) desc += m.ToString() + " ";
    EXPECT_EQ(index_.ForMatchers(c.ms), c.want) << desc;
    EXPECT_EQ(BruteForce(c.ms), c.want) << "fixture check: " << desc;
  }
}

// Every pair of matchers from a pool agrees with the brute-force definition.
TEST_F(PostingsIndexTest, AgreesWithBruteForceOnMatcherPairs) {
  std::vector<Matcher> pool;
  for (const char* name : {"n", "i", "m", "zz"}) {
    for (const char* v : {"", "1", "a", "x", "\n"}) {
      pool.push_back(M(kEq, name, v));
      pool.push_back(M(kNeq, name, v));
    }
    for (const char* re : {".*", ".+", "a|", "1|b", "2.*", ".*\\.5", "[a-z]", "|x"}) {
      pool.push_back(M(kRe, name, re));
      pool.push_back(M(kNre, name, re));
    }
  }
  for (const Matcher& a : pool) {
    for (const Matcher& b : pool) {
      std::vector<Matcher> ms = {a, b};
      ASSERT_EQ(index_.ForMatchers(ms), BruteForce(ms)) << a.ToString() << ", " << b.ToString();
    }
  }
}

TEST_F(PostingsIndexTest, LabelNamesValuesAndLookups) {
  EXPECT_EQ(index_.LabelNames(), (std::vector<std::string>{"i", "m", "n"}));
  EXPECT_EQ(index_.LabelValues("n"), (std::vector<std::string>{"1", "2", "2.5"}));
  EXPECT_EQ(index_.LabelValues("nope"), std::vector<std::string>{});
  EXPECT_EQ(index_.Get("i", "a"), (Postings{20, 70}));
  EXPECT_EQ(index_.All(), (Postings{10, 20, 30, 40, 50, 60, 70}));
  EXPECT_EQ(index_.NumSeries(), 7u);
  EXPECT_EQ(index_.SeriesLabels(70), Labels::FromPairs({{"m", "x"}, {"i", "a"}}));
  EXPECT_FALSE(index_.SeriesLabels(11).has_value());
  Postings ones = index_.ForMatchers({M(kEq, "n", "1")});
  EXPECT_EQ(index_.LabelNamesFor(ones), (std::vector<std::string>{"i", "n"}));
  EXPECT_EQ(index_.LabelValuesFor("i", ones), (std::vector<std::string>{"\n", "a", "b"}));
  EXPECT_FALSE(index_.Add(10, Labels::FromPairs({{"n", "9"}})));  // ref taken
}

TEST_F(PostingsIndexTest, RemoveForgetsTheSeriesEverywhere) {
  EXPECT_TRUE(index_.Remove(70));
  EXPECT_FALSE(index_.Remove(70));
  EXPECT_EQ(index_.LabelNames(), (std::vector<std::string>{"i", "n"}));
  EXPECT_EQ(index_.Get("i", "a"), (Postings{20}));
  EXPECT_EQ(index_.ForMatchers({M(kNeq, "zz", "1")}), (Postings{10, 20, 30, 40, 50, 60}));
  EXPECT_TRUE(index_.Add(5, Labels::FromPairs({{"n", "1"}})));  // out-of-order ref
  EXPECT_EQ(index_.Get("n", "1"), (Postings{5, 10, 20, 30, 40}));
}

TEST_F(PostingsIndexTest, BatchRemoveMatchesOneByOne) {
  // Remove 20 and 40 (and an unknown ref, and a duplicate) in one batch.
  EXPECT_EQ(index_.Remove(std::vector<SeriesRef>{40, 99, 20, 40}), 2u);
  EXPECT_EQ(index_.NumSeries(), 5u);
  EXPECT_EQ(index_.All(), (Postings{10, 30, 50, 60, 70}));
  EXPECT_EQ(index_.Get("n", "1"), (Postings{10, 30}));
  EXPECT_EQ(index_.Get("i", "a"), (Postings{70}));
  EXPECT_EQ(index_.Get("i", "\n"), Postings{});
  EXPECT_EQ(index_.LabelValues("i"), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(index_.SeriesLabels(20).has_value());
  EXPECT_EQ(index_.SeriesLabels(30), Labels::FromPairs({{"n", "1"}, {"i", "b"}}));
  EXPECT_EQ(index_.Remove(std::vector<SeriesRef>{}), 0u);
  EXPECT_EQ(index_.Remove(std::vector<SeriesRef>{10, 30, 50, 60, 70}), 5u);
  EXPECT_EQ(index_.NumSeries(), 0u);
  EXPECT_TRUE(index_.LabelNames().empty());
  EXPECT_TRUE(index_.ForMatchers({}).empty());
}

// Regression guard for the index's storage of values: a value's key views the labels
// of one series carrying it; when that series goes the key must move to another.
TEST(PostingsIndexStorageTest, ValuesOutliveTheSeriesTheyWereFirstSeenIn) {
  PostingsIndex index;
  constexpr int kSeries = 300;
  for (int i = 1; i <= kSeries; ++i) {
    // Built from temporaries: only the index holds these Labels afterwards.
    std::string job = "job-" + std::to_string(i % 3);
    ASSERT_TRUE(index.Add(i, Labels::FromPairs({{"job", job}, {"id", std::to_string(i)}})));
  }
  // Remove the first series of every job value (refs 1, 2, 3), then half the rest.
  ASSERT_EQ(index.Remove(std::vector<SeriesRef>{1, 2, 3}), 3u);
  // Churn the allocator so freed label blocks get reused.
  std::vector<Labels> junk;
  for (int i = 0; i < 100; ++i) junk.push_back(Labels::FromPairs({{"xxxx", "yyyyyyyy"}}));
  std::vector<SeriesRef> half;
  for (SeriesRef r = 4; r <= kSeries; r += 2) half.push_back(r);
  ASSERT_EQ(index.Remove(half), half.size());
  EXPECT_EQ(index.LabelValues("job"), (std::vector<std::string>{"job-0", "job-1", "job-2"}));
  Postings job1 = index.Get("job", "job-1");
  ASSERT_FALSE(job1.empty());
  for (SeriesRef r : job1) {
    EXPECT_EQ(r % 3, 1u);
    EXPECT_EQ(r % 2, 1u);
  }
  EXPECT_EQ(index.Get("id", "7"), (Postings{7}));
  EXPECT_EQ(index.Get("id", "8"), Postings{});
  EXPECT_EQ(index.NumSeries(), static_cast<std::size_t>(kSeries - 3 - half.size()));
  // Values that grew past one ref and shrank back still answer.
  for (SeriesRef r = 5; r <= kSeries; r += 2) ASSERT_TRUE(index.Remove(r));
  EXPECT_EQ(index.NumSeries(), 0u);
  EXPECT_TRUE(index.LabelValues("job").empty());
}

// Removing a large batch is one pass, not one pass per series (this took seconds when
// each Remove walked the all-series list).
TEST(PostingsIndexStorageTest, LargeBatchRemoveIsFast) {
  PostingsIndex index;
  constexpr int kSeries = 200'000;
  for (int i = 1; i <= kSeries; ++i) {
    index.Add(i, Labels::FromPairs({{"__name__", "m"}, {"id", std::to_string(i)}}));
  }
  std::vector<SeriesRef> odd;
  for (SeriesRef r = 1; r <= kSeries; r += 2) odd.push_back(r);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(index.Remove(odd), odd.size());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  Postings m = index.Get("__name__", "m");
  ASSERT_EQ(m.size(), static_cast<std::size_t>(kSeries / 2));
  EXPECT_EQ(m.front(), 2u);
}

TEST(PostingsIndexConcurrencyTest, ReadersSeeWholeSeriesWhileWritersAdd) {
  PostingsIndex index;
  constexpr int kPerWriter = 2000;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int w = 0; w < 2; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        SeriesRef ref = 1 + static_cast<SeriesRef>(i * 2 + w);
        index.Add(ref, Labels::FromPairs({{"job", w ? "b" : "a"}, {"i", std::to_string(i)}}));
      }
    });
  }
  std::thread reader([&] {
    Matcher job_a = M(kEq, "job", "a");
    Matcher has_i = M(kRe, "i", ".+");
    while (!stop.load()) {
      Postings a = index.ForMatchers({job_a, has_i});
      for (SeriesRef r : a) ASSERT_EQ(r % 2, 1u);  // job="a" got odd refs
      ASSERT_TRUE(std::is_sorted(a.begin(), a.end()));
    }
  });
  for (auto& t : threads) t.join();
  stop = true;
  reader.join();
  EXPECT_EQ(index.NumSeries(), 2u * kPerWriter);
  EXPECT_EQ(index.ForMatchers({M(kEq, "job", "b")}).size(), static_cast<std::size_t>(kPerWriter));
}

}  // namespace
}  // namespace hw::tsdb
