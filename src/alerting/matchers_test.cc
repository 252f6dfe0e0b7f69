#include "alerting/matchers.h"

#include <gtest/gtest.h>

namespace hw::alerting {
namespace {

std::string Str(const std::vector<model::Matcher>& ms) {
  std::string out;
  for (const model::Matcher& m : ms) out += m.ToString() + ";";
  return out;
}

TEST(MatchersTest, ParsesAmtoolAndApiForms) {
  EXPECT_EQ(Str(*ParseMatchers("alertname=APIDown")), "alertname=\"APIDown\";");
  EXPECT_EQ(Str(*ParseMatchers("severity=~\"crit.*\"")), "severity=~\"crit.*\";");
  EXPECT_EQ(Str(*ParseMatchers("{service!=\"db\", env=\"prod\"}")), "service!=\"db\";env=\"prod\";");
  EXPECT_EQ(Str(*ParseMatchers("team !~ ops|sre")), "team!~\"ops|sre\";");
  EXPECT_EQ(Str(*ParseMatchers("msg=\"a \\\"quoted\\\" word\"")), "msg=\"a \\\"quoted\\\" word\";");
  for (const char* bad : {"", "alertname", "=x", "a=\"open", "{a=b", "a=~\"(\""}) {
    Result<std::vector<model::Matcher>> r = ParseMatchers(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
  EXPECT_NE(ParseMatchers("alertname").status().message().find("bad matcher \"alertname\""),
            std::string::npos);
}

}  // namespace
}  // namespace hw::alerting
