#include "tsdb/ulid.h"

#include <set>

#include <gtest/gtest.h>

namespace hw::tsdb {
namespace {

TEST(UlidTest, EncodesTimeLikeTheSpec) {
  // github.com/ulid/spec: 1469918176385 ms encodes as the prefix 01ARYZ6S41.
  std::mt19937_64 rng(1);
  Ulid u = Ulid::Generate(1469918176385, rng);
  std::string s = u.ToString();
  ASSERT_EQ(s.size(), 26u);
  EXPECT_EQ(s.substr(0, 10), "01ARYZ6S41");
  EXPECT_EQ(u.UnixMillis(), 1469918176385);
}

TEST(UlidTest, RoundTripsAndSortsByTime) {
  std::mt19937_64 rng(7);
  std::string prev;
  for (std::int64_t t = 1; t < 2'000'000'000'000; t = t * 3 + 11) {
    Ulid u = Ulid::Generate(t, rng);
    auto parsed = Ulid::Parse(u.ToString());
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, u);
    EXPECT_EQ(parsed->UnixMillis(), t);
    EXPECT_LT(prev, u.ToString());
    prev = u.ToString();
  }
}

TEST(UlidTest, ParseAcceptsLowercaseAndAliases) {
  auto a = Ulid::Parse("01arz3ndektsv4rrffq69g5fav");
  auto b = Ulid::Parse("01ARZ3NDEKTSV4RRFFQ69G5FAV");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  auto c = Ulid::Parse("O1ARZ3NDEKTSV4RRFFQ69G5FAV");  // O reads as 0
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, *b);
}

TEST(UlidTest, ParseRejectsBadInput) {
  for (std::string_view bad : {"", "01ARZ3NDEKTSV4RRFFQ69G5FA", "01ARZ3NDEKTSV4RRFFQ69G5FAVV",
                               "01ARZ3NDEKTSV4RRFFQ69G5FAU", "81ARZ3NDEKTSV4RRFFQ69G5FAV",
                               "01ARZ3NDEKTSV4RRFFQ69G5F-V"}) {
    auto r = Ulid::Parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kBadData);
  }
}

TEST(UlidTest, NewUlidIsUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(NewUlid().ToString()).second);
}

}  // namespace
}  // namespace hw::tsdb
