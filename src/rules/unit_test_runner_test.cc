#include "rules/unit_test_runner.h"

#include <sstream>

#include <gtest/gtest.h>

namespace hw::rules {
namespace {

std::string Data(const char* name) { return std::string(HW_RULES_TESTDATA_DIR) + "/" + name; }

TEST(UnitTestRunner, Passes) {
  std::ostringstream out;
  EXPECT_EQ(RunRuleUnitTests({Data("alerts_test.yml")}, {}, out), 0) << out.str();
  EXPECT_NE(out.str().find("  SUCCESS"), std::string::npos) << out.str();
}

TEST(UnitTestRunner, ReportsDifferences) {
  std::ostringstream out;
  EXPECT_EQ(RunRuleUnitTests({Data("failing_test.yml")}, {}, out), 1);
  const std::string s = out.str();
  EXPECT_NE(s.find("  FAILED:"), std::string::npos) << s;
  EXPECT_NE(s.find("alertname: InstanceDown, time: 10m"), std::string::npos) << s;
  EXPECT_NE(s.find("instance=\"wrong\""), std::string::npos) << s;
  EXPECT_NE(s.find("expr: up, time: 1m"), std::string::npos) << s;
}

TEST(UnitTestRunner, MissingFile) {
  std::ostringstream out;
  EXPECT_EQ(RunRuleUnitTests({Data("nope.yml")}, {}, out), 1);
  EXPECT_NE(out.str().find("FAILED"), std::string::npos);
}

}  // namespace
}  // namespace hw::rules
