#include "api/params.h"

#include <gtest/gtest.h>

namespace hw::api {
namespace {

TEST(ParamsTest, Times) {
  EXPECT_EQ(*ParseTimeParam("t", "1764219755.123"), 1764219755123);
  EXPECT_EQ(*ParseTimeParam("t", "1764219755"), 1764219755000);
  EXPECT_EQ(*ParseTimeParam("t", "2025-11-27T05:02:35.123Z"), 1764219755123);
  EXPECT_EQ(*ParseTimeParam("t", "2025-11-27T06:02:35+01:00"), 1764219755000);
  EXPECT_EQ(*ParseTimeParam("t", "-292273086-05-16T16:47:06Z"), kMinTime);
  for (const char* bad : {"", "yesterday", "2025-11-27", "2025-11-27T05:02:35", "1e400", "NaN"}) {
    Result<std::int64_t> r = ParseTimeParam("start", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("invalid parameter \"start\""), std::string::npos);
  }
}

TEST(ParamsTest, Durations) {
  EXPECT_EQ(*ParseDurationParam("step", "15"), 15000);
  EXPECT_EQ(*ParseDurationParam("step", "0.5"), 500);
  EXPECT_EQ(*ParseDurationParam("step", "1m30s"), 90000);
  EXPECT_FALSE(ParseDurationParam("step", "fast").ok());
}

TEST(ParamsTest, MatchSelectors) {
  http::Request req;
  req.query = {{"match[]", "up{job=\"api\"}"}, {"match[]", "{__name__=~\"http_.*\"}"}};
  auto sets = MatchParams(req);
  ASSERT_TRUE(sets.ok()) << sets.status().ToString();
  ASSERT_EQ(sets->size(), 2u);
  EXPECT_EQ((*sets)[0].size(), 2u);
  req.query = {{"match[]", "up{"}};
  auto bad = MatchParams(req);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("invalid parameter \"match[]\""), std::string::npos);
}

}  // namespace
}  // namespace hw::api
