#include "model/labels.h"

#include <algorithm>
#include <set>
#include <string>

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
