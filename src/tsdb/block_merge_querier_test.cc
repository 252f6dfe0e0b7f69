#include "tsdb/block_merge_querier.h"

#include <gtest/gtest.h>

#include "tsdb/block_querier.h"
#include "tsdb/block_test_util.h"

namespace hw::tsdb {
namespace {

using model::Labels;
using model::Sample;
using testing::TestSeries;

// An in-memory iterator over fixed samples.
class VectorIterator : public storage::SampleIterator {
 public:
  explicit VectorIterator(std::vector<Sample> s) : s_(std::move(s)) {}
  bool Next() override { return ++i_ < static_cast<long>(s_.size()); }
  bool Seek(std::int64_t t) override {
    if (i_ < 0) i_ = 0;
    while (i_ < static_cast<long>(s_.size()) && s_[i_].t < t) ++i_;
    return i_ < static_cast<long>(s_.size());
  }
  Sample At() const override { return s_[i_]; }
  Status Err() const override { return Status::Ok(); }

 private:
  std::vector<Sample> s_;
  long i_ = -1;
};

std::vector<Sample> Drain(storage::SampleIterator& it) {
  std::vector<Sample> out;
  while (it.Next()) out.push_back(it.At());
  return out;
}

TEST(MergeSampleIteratorTest, MergesAndKeepsFirstSourceOnDuplicates) {
  std::vector<std::unique_ptr<storage::SampleIterator>> its;
  its.push_back(std::make_unique<VectorIterator>(std::vector<Sample>{{1, 10}, {3, 30}, {5, 50}}));
  its.push_back(std::make_unique<VectorIterator>(std::vector<Sample>{{2, 20}, {3, -1}, {6, 60}}));
  its.push_back(std::make_unique<VectorIterator>(std::vector<Sample>{{3, -2}, {5, -5}, {7, 70}}));
  MergeSampleIterator m(std::move(its));
  auto got = Drain(m);
  std::vector<Sample> want{{1, 10}, {2, 20}, {3, 30}, {5, 50}, {6, 60}, {7, 70}};
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_TRUE(model::SameBits(got[i], want[i])) << i;
}

TEST(MergeSampleIteratorTest, Seek) {
  std::vector<std::unique_ptr<storage::SampleIterator>> its;
  its.push_back(std::make_unique<VectorIterator>(std::vector<Sample>{{1, 1}, {10, 10}}));
  its.push_back(std::make_unique<VectorIterator>(std::vector<Sample>{{4, 4}, {10, -10}, {12, 12}}));
  MergeSampleIterator m(std::move(its));
  ASSERT_TRUE(m.Seek(3));
  EXPECT_EQ(m.At().t, 4);
  ASSERT_TRUE(m.Seek(2));  // never backwards
  EXPECT_EQ(m.At().t, 4);
  ASSERT_TRUE(m.Seek(5));
  EXPECT_EQ(m.At().t, 10);
  EXPECT_EQ(m.At().v, 10);
  ASSERT_TRUE(m.Next());
  EXPECT_EQ(m.At().t, 12);
  EXPECT_FALSE(m.Next());
  EXPECT_FALSE(m.Seek(100));
}

// NextBatch copies runs of one source only up to the next sample of another; the
// result equals Next's, for overlapping, interleaved and adjacent sources, mixed with
// Next and Seek.
TEST(MergeSampleIteratorTest, NextBatchMatchesNext) {
  std::vector<std::vector<std::vector<Sample>>> cases = {
      {{{1, 1}, {2, 2}, {3, 3}}, {{4, 4}, {5, 5}, {6, 6}}},              // adjacent
      {{{4, 4}, {5, 5}, {6, 6}}, {{1, 1}, {2, 2}, {3, 3}}},              // reversed
      {{{1, 1}, {3, 3}, {5, 5}, {7, 7}}, {{2, 2}, {4, 4}, {6, 6}, {8, 8}}},  // interleaved
      {{{1, 10}, {2, 20}, {3, 30}, {9, 90}}, {{2, -2}, {3, -3}, {4, -4}, {5, -5}}, {{5, 0}, {20, 0}}},
      {{{1, 1}, {2, 2}, {10, 10}, {11, 11}, {12, 12}}, {{3, 3}, {4, 4}, {5, 5}, {6, 6}, {13, 13}}},
  };
  for (std::size_t c = 0; c < cases.size(); ++c) {
    auto make = [&] {
      std::vector<std::unique_ptr<storage::SampleIterator>> its;
      for (const auto& s : cases[c]) its.push_back(std::make_unique<VectorIterator>(s));
      return std::make_unique<MergeSampleIterator>(std::move(its));
    };
    auto ref = make();
    std::vector<Sample> want = Drain(*ref);
    for (std::size_t size : {1, 2, 3, 100}) {
      for (int mode = 0; mode < 3; ++mode) {  // batches only; with Next; with Seek
        auto m = make();
        std::vector<Sample> buf(size), got;
        for (int round = 0;; ++round) {
          if (mode > 0 && round % 2 == 1) {
            bool ok = mode == 1 ? m->Next() : m->Seek(got.empty() ? 0 : got.back().t + 1);
            if (!ok) break;
            got.push_back(m->At());
            continue;
          }
          std::size_t n = m->NextBatch(buf);
          if (n == 0) break;
          got.insert(got.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
        }
        ASSERT_EQ(got.size(), want.size()) << c << " " << size << " " << mode;
        for (std::size_t i = 0; i < want.size(); ++i) {
          EXPECT_TRUE(model::SameBits(got[i], want[i])) << c << " " << size << " " << mode << " " << i;
        }
      }
    }
  }
}

TEST(MergeQuerierTest, MergesBlocksByLabelsAndDeduplicates) {
  testing::TempDir dir;
  Labels a = Labels::FromPairs({{"__name__", "a"}});
  Labels b = Labels::FromPairs({{"__name__", "b"}});
  Labels c = Labels::FromPairs({{"__name__", "c"}, {"x", "1"}});
  std::vector<TestSeries> first{{a, {{1, 1}, {2, 2}, {3, 3}}}, {c, {{10, 1}}}};
  std::vector<TestSeries> second{{a, {{2, -2}, {4, 4}}}, {b, {{5, 5}}}, {c, {{10, -1}, {11, 11}}}};
  auto p1 = testing::WriteBlock(dir.path(), first).value();
  auto p2 = testing::WriteBlock(dir.path(), second).value();
  std::vector<std::unique_ptr<storage::Querier>> qs;
  qs.push_back(std::make_unique<BlockQuerier>(Block::Open(p1).value(), INT64_MIN, INT64_MAX));
  qs.push_back(std::make_unique<BlockQuerier>(Block::Open(p2).value(), INT64_MIN, INT64_MAX));
  MergeQuerier q(std::move(qs));
  auto got = testing::ReadAll(q, {}, INT64_MIN, INT64_MAX);
  ASSERT_TRUE(got.ok());
  std::vector<TestSeries> want{{a, {{1, 1}, {2, 2}, {3, 3}, {4, 4}}},
                               {b, {{5, 5}}},
                               {c, {{10, 1}, {11, 11}}}};
  EXPECT_EQ(testing::Diff(want, *got), "");

  auto narrow = testing::ReadAll(q, {model::Matcher::Equal("__name__", "a")}, 2, 3);
  ASSERT_TRUE(narrow.ok());
  EXPECT_EQ(testing::Diff({{a, {{2, 2}, {3, 3}}}}, *narrow), "");

  auto names = q.LabelNames({});
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"__name__", "x"}));
  auto values = q.LabelValues("__name__", {});
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(*values, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(q.Close().ok());
}

}  // namespace
}  // namespace hw::tsdb
