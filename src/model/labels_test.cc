#include "model/labels.h"

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "model/hash.h"

namespace hw::model {
namespace {

TEST(LabelsTest, SortsDedupsAndDropsEmptyValues) {
  Labels l = Labels::FromPairs({{"job", "api"}, {"__name__", "up"}, {"a", ""}, {"job", "web"}});
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0], (Label{"__name__", "up"}));
  EXPECT_EQ(l[1], (Label{"job", "web"}));  // the last of a repeated name wins
  EXPECT_EQ(l.Get("job"), "web");
  EXPECT_EQ(l.MetricName(), "up");
  EXPECT_EQ(l.Get("a"), "");
  EXPECT_FALSE(l.Has("a"));
  EXPECT_TRUE(l.Has("job"));
  std::vector<std::string> names;
  for (const Label& x : l) names.emplace_back(x.name);
  EXPECT_EQ(names, (std::vector<std::string>{"__name__", "job"}));
}

TEST(LabelsTest, EmptySetBehaves) {
  Labels e;
  EXPECT_TRUE(e.empty());
  EXPECT_EQ(e.begin(), e.end());
  EXPECT_EQ(e.Get("x"), "");
  EXPECT_EQ(e, Labels::FromPairs({}));
  EXPECT_EQ(e, Labels::FromPairs({{"a", ""}}));
  EXPECT_EQ(e.ToString(), "{}");
  EXPECT_EQ(e.Hash(), XxHash64(""));
}

TEST(LabelsTest, CopiesShareTheRepresentation) {
  Labels a = Labels::FromPairs({{"a", "1"}});
  Labels b = a;
  EXPECT_EQ(a.begin(), b.begin());  // same storage, no deep copy
  EXPECT_EQ(a, b);
}

TEST(LabelsTest, CopyMoveAndAssignKeepOneBlock) {
  Labels a = Labels::FromPairs({{"__name__", "up"}, {"job", "api"}});
  const Label* storage = a.begin();
  Labels copy(a);
  EXPECT_EQ(copy.begin(), storage);
  Labels moved(std::move(copy));
  EXPECT_EQ(moved.begin(), storage);
  EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty
  EXPECT_EQ(copy.begin(), copy.end());
  Labels assigned;
  assigned = moved;
  EXPECT_EQ(assigned.begin(), storage);
  assigned = std::move(moved);
  EXPECT_EQ(assigned.begin(), storage);
  Labels& self = assigned;
  assigned = self;  // self-assignment keeps the set
  assigned = std::move(self);
  EXPECT_EQ(assigned.begin(), storage);
  EXPECT_EQ(assigned, a);
  // Dropping every other owner leaves a working set.
  a = Labels();
  EXPECT_EQ(assigned.Get("job"), "api");
  EXPECT_EQ(assigned.ToString(), R"({__name__="up", job="api"})");
  EXPECT_EQ(sizeof(Labels), sizeof(void*));
}

TEST(LabelsTest, ViewsPointIntoTheOneBlockAndSurviveTheSource) {
  std::string name = "instance", value = "host-1:9100";
  Labels l = Labels::FromPairs({{name, value}, {"job", "bench"}});
  name.assign("XXXXXXXX");
  value.assign("YYYYYYYYYYYYYYYYYYYYYYYYY");
  EXPECT_EQ(l.Get("instance"), "host-1:9100");
  // Characters follow the views in the same block.
  const char* lo = reinterpret_cast<const char*>(l.begin());
  for (const Label& x : l) {
    EXPECT_GE(x.name.data(), lo + l.size() * sizeof(Label));
    EXPECT_LT(x.value.data(), lo + l.size() * sizeof(Label) + 64);
  }
  // Long sets (past the hashing scratch buffer on the stack) hash the same way.
  std::string big(2000, 'v');
  Labels b = Labels::FromPairs({{"a", big}, {"b", "1"}});
  EXPECT_EQ(b.Hash(), XxHash64("a\xff" + big + "\xff" + "b\xff" "1\xff"));
  EXPECT_EQ(b.Get("a"), big);
}

TEST(LabelsTest, CopiesAcrossThreadsShareAndFreeSafely) {
  // Each thread copies, compares and drops the shared sets many times while the main
  // thread drops its own references; run under ASan/TSan this catches a bad count.
  std::vector<Labels> shared;
  for (int i = 0; i < 16; ++i) {
    shared.push_back(Labels::FromPairs({{"__name__", "m"}, {"i", std::to_string(i)}}));
  }
  std::vector<std::thread> threads;
  std::vector<std::vector<Labels>> kept(4);
  for (int t = 0; t < 4; ++t) {
    std::vector<Labels> mine = shared;  // copied before the thread starts
    threads.emplace_back([t, mine = std::move(mine), &kept] {
      for (int round = 0; round < 2000; ++round) {
        for (const Labels& l : mine) {
          Labels c = l;
          Labels m = std::move(c);
          ASSERT_EQ(m, l);
          ASSERT_EQ(m.begin(), l.begin());
          if (round == 1999) kept[t].push_back(m);
        }
      }
    });
  }
  shared.clear();  // the threads' copies keep the blocks alive
  for (auto& th : threads) th.join();
  for (const auto& v : kept) {
    ASSERT_EQ(v.size(), 16u);
    for (int i = 0; i < 16; ++i) EXPECT_EQ(v[i].Get("i"), std::to_string(i));
  }
}

TEST(LabelsTest, BuilderSetsAndDeletes) {
  Labels base = Labels::FromPairs({{"__name__", "up"}, {"job", "api"}, {"zone", "eu"}});
  LabelsBuilder b(base);
  b.Set("instance", "h:9100").Set("job", "web").Del("zone").Del("missing").Set("__name__", "");
  EXPECT_EQ(b.Get("job"), "web");
  Labels l = b.Build();
  EXPECT_EQ(l, Labels::FromPairs({{"instance", "h:9100"}, {"job", "web"}}));
  EXPECT_EQ(base.Get("zone"), "eu");  // the base is untouched
  b.Reset(base);
  EXPECT_EQ(b.Build(), base);
}

TEST(LabelsTest, HashIsOrderIndependentAndStable) {
  Labels a = Labels::FromPairs({{"__name__", "http_requests_total"}, {"job", "api"}, {"code", "200"}});
  Labels b = Labels::FromPairs({{"code", "200"}, {"job", "api"}, {"__name__", "http_requests_total"}});
  Labels c = LabelsBuilder().Set("job", "api").Set("code", "200").Set("__name__", "http_requests_total").Build();
  EXPECT_EQ(a.Hash(), b.Hash());
  EXPECT_EQ(a.Hash(), c.Hash());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, c);
  // The algorithm is xxHash64 over name\xff value\xff ...; these values were computed
  // once with it and must never change (hashes are persisted).
  EXPECT_EQ(a.Hash(), XxHash64(std::string("__name__\xffhttp_requests_total\xff"
                                           "code\xff"
                                           "200\xffjob\xff"
                                           "api\xff")));
  EXPECT_EQ(a.Hash(), 0xddcf12b3660482a6ULL);
  EXPECT_EQ(Labels::FromPairs({{"a", "b"}}).Hash(), 0x608891b6a4fd3588ULL);
}

TEST(LabelsTest, DifferentSetsDiffer) {
  Labels a = Labels::FromPairs({{"a", "b\xff" "c"}});
  Labels b = Labels::FromPairs({{"a\xff" "b", "c"}});
  EXPECT_NE(a, b);  // same bytes once joined with separators, different sets
  EXPECT_NE(Labels::FromPairs({{"a", "1"}}), Labels::FromPairs({{"a", "2"}}));
  EXPECT_NE(Labels::FromPairs({{"a", "1"}}).Hash(), Labels::FromPairs({{"a", "2"}}).Hash());
}

TEST(LabelsTest, OrdersLikePrometheus) {
  // labels.Compare: pairwise name, then value; a prefix sorts first.
  std::vector<Labels> sorted = {
      Labels::FromPairs({}),
      Labels::FromPairs({{"a", "1"}}),
      Labels::FromPairs({{"a", "1"}, {"b", "1"}}),
      Labels::FromPairs({{"a", "1"}, {"c", "0"}}),
      Labels::FromPairs({{"a", "2"}}),
      Labels::FromPairs({{"b", "0"}}),
  };
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    for (std::size_t j = 0; j < sorted.size(); ++j) {
      EXPECT_EQ(sorted[i] < sorted[j], i < j) << i << " " << j;
      EXPECT_EQ(sorted[i] == sorted[j], i == j) << i << " " << j;
    }
  }
}

TEST(LabelsTest, ToStringQuotesLikeGo) {
  Labels l = Labels::FromPairs({{"__name__", "up"}, {"path", "/a\"b\\c\nd\te\x01"}, {"z", "héllo"}});
  EXPECT_EQ(l.ToString(), R"({__name__="up", path="/a\"b\\c\nd\te\x01", z="héllo"})");
  EXPECT_EQ(l.ToSeriesString(), R"(up{path="/a\"b\\c\nd\te\x01", z="héllo"})");
  EXPECT_EQ(Labels::FromPairs({{"v", "\xff\x7f"}}).ToString(), R"({v="\xff\x7f"})");
  EXPECT_EQ(Labels::FromPairs({{"__name__", "up"}}).ToSeriesString(), "up");
  EXPECT_EQ(Labels::FromPairs({{"job", "x"}}).ToSeriesString(), R"({job="x"})");
  EXPECT_EQ(Labels::FromPairs({{"__name__", "my.metric"}, {"a.b", "c"}}).ToSeriesString(),
            R"({"my.metric", "a.b"="c"})");
}

TEST(LabelsTest, ValidatesNames) {
  struct Case {
    const char* name;
    bool label_ok;
    bool metric_ok;
  } cases[] = {
      {"a", true, true},          {"_", true, true},       {"__name__", true, true},
      {"Abc_09", true, true},     {"", false, false},      {"0a", false, false},
      {"a:b", false, true},       {":a", false, true},     {"a-b", false, false},
      {"a.b", false, false},      {"é", false, false},     {"a b", false, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsValidLabelName(c.name), c.label_ok) << c.name;
    EXPECT_EQ(IsValidMetricName(c.name), c.metric_ok) << c.name;
  }
}

}  // namespace
}  // namespace hw::model

namespace hw::model {
namespace {

TEST(LabelsPairsTest, HashAndEqualityMatchLabels) {
  std::vector<std::pair<std::string_view, std::string_view>> pairs = {
      {"__name__", "up"}, {"instance", "a:9100"}, {"job", "node"}};
  Labels l = Labels::FromPairs(pairs);
  EXPECT_TRUE(Labels::IsCanonical(pairs));
  EXPECT_EQ(Labels::HashPairs(pairs), l.Hash());
  EXPECT_TRUE(l.EqualsPairs(pairs));
  pairs[2].second = "other";
  EXPECT_FALSE(l.EqualsPairs(pairs));
  EXPECT_FALSE(Labels::IsCanonical({{{"b", "1"}, {"a", "2"}}}));
  EXPECT_FALSE(Labels::IsCanonical({{{"a", "1"}, {"a", "2"}}}));
  EXPECT_FALSE(Labels::IsCanonical({{{"a", ""}}}));
}

}  // namespace
}  // namespace hw::model
