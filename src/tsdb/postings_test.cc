#include "tsdb/postings.h"

#include <algorithm>
#include <random>
#include <set>

#include <gtest/gtest.h>

namespace hw::tsdb {
namespace {

TEST(PostingsTest, SetOperationsOnSmallLists) {
  Postings a = {1, 3, 5, 7, 9};
  Postings b = {2, 3, 4, 5, 10};
  EXPECT_EQ(Intersect(a, b), (Postings{3, 5}));
  EXPECT_EQ(Union(a, b), (Postings{1, 2, 3, 4, 5, 7, 9, 10}));
  EXPECT_EQ(Subtract(a, b), (Postings{1, 7, 9}));
  EXPECT_EQ(Subtract(b, a), (Postings{2, 4, 10}));
  EXPECT_EQ(Intersect(a, {}), Postings{});
  EXPECT_EQ(Union(a, {}), a);
  EXPECT_EQ(Subtract(a, {}), a);
  EXPECT_EQ(Subtract({}, a), Postings{});
  EXPECT_EQ(IntersectAll({}), Postings{});
  EXPECT_EQ(IntersectAll({a, b, {3, 5, 7}}), (Postings{3, 5}));
  EXPECT_EQ(UnionAll({}), Postings{});
  EXPECT_EQ(UnionAll({a, b, {0, 11}}), (Postings{0, 1, 2, 3, 4, 5, 7, 9, 10, 11}));
}

// Every operation against std::set on random lists, including the galloping path
// (one list far smaller than the other).
TEST(PostingsTest, AgreeWithStdSetOnRandomLists) {
  std::mt19937_64 rng(99);
  auto random_list = [&](std::size_t n, SeriesRef range) {
    std::set<SeriesRef> s;
    while (s.size() < n) s.insert(1 + rng() % range);
    return Postings(s.begin(), s.end());
  };
  for (int round = 0; round < 100; ++round) {
    Postings a = random_list(rng() % 50, 1000);
    Postings b = random_list(round % 2 ? 5000 : rng() % 500, 10000);
    Postings c = random_list(rng() % 300, 2000);
    std::set<SeriesRef> sa(a.begin(), a.end()), sb(b.begin(), b.end()), sc(c.begin(), c.end());
    Postings want_i, want_u, want_s, want_i3, want_u3;
    std::set_intersection(sa.begin(), sa.end(), sb.begin(), sb.end(), std::back_inserter(want_i));
    std::set_union(sa.begin(), sa.end(), sb.begin(), sb.end(), std::back_inserter(want_u));
    std::set_difference(sa.begin(), sa.end(), sb.begin(), sb.end(), std::back_inserter(want_s));
    std::set_intersection(want_i.begin(), want_i.end(), sc.begin(), sc.end(),
                          std::back_inserter(want_i3));
    std::set_union(want_u.begin(), want_u.end(), sc.begin(), sc.end(), std::back_inserter(want_u3));
    EXPECT_EQ(Intersect(a, b), want_i);
    EXPECT_EQ(Intersect(b, a), want_i);
    EXPECT_EQ(Union(a, b), want_u);
    EXPECT_EQ(Subtract(a, b), want_s);
    EXPECT_EQ(IntersectAll({a, b, c}), want_i3);
    EXPECT_EQ(UnionAll({a, b, c}), want_u3);
  }
}

TEST(PostingsTest, InsertAndEraseKeepOrder) {
  Postings p;
  for (SeriesRef r : {5, 1, 9, 3, 9, 7}) InsertSorted(&p, r);
  EXPECT_EQ(p, (Postings{1, 3, 5, 7, 9}));
  EXPECT_FALSE(InsertSorted(&p, 3));
  EXPECT_TRUE(EraseSorted(&p, 5));
  EXPECT_FALSE(EraseSorted(&p, 5));
  EXPECT_EQ(p, (Postings{1, 3, 7, 9}));
}

}  // namespace
}  // namespace hw::tsdb
