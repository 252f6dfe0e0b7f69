#include "alerting/inhibit.h"

#include <gtest/gtest.h>

namespace hw::alerting {
namespace {

model::Alert A(std::initializer_list<std::pair<std::string_view, std::string_view>> l) {
  model::Alert a;
  a.labels = model::Labels::FromPairs(l);
  return a;
}

TEST(InhibitTest, SourceMutesTargetsWithEqualLabelsButNotItself) {
  config::InhibitRuleConfig r;
  r.source_matchers = {{"alertname", config::AmMatcher::Op::kRegex, "DatabaseDown|APIDown"}};
  r.target_matchers = {{"severity", config::AmMatcher::Op::kEqual, "warning"}};
  r.equal = {"service"};
  Result<Inhibitor> inh = Inhibitor::Compile({r});
  ASSERT_TRUE(inh.ok());
  const model::Alert db_down = A({{"alertname", "DatabaseDown"}, {"service", "db"}, {"severity", "warning"}});
  const model::Alert firing[] = {db_down};
  Inhibitor::Snapshot snap = inh->Index(firing);
  EXPECT_EQ(snap.InhibitedBy(A({{"alertname", "Slow"}, {"service", "db"}, {"severity", "warning"}}).labels),
            std::vector<std::uint64_t>{model::AlertFingerprint(db_down.labels)});
  EXPECT_TRUE(snap.InhibitedBy(A({{"alertname", "Slow"}, {"service", "api"}, {"severity", "warning"}}).labels).empty());
  EXPECT_TRUE(snap.InhibitedBy(A({{"alertname", "Slow"}, {"service", "db"}, {"severity", "critical"}}).labels).empty());
  EXPECT_TRUE(snap.InhibitedBy(db_down.labels).empty());  // matches both sides: not itself
  // A missing equal label counts as "": equal to another alert missing it.
  const model::Alert no_service = A({{"alertname", "APIDown"}});
  const model::Alert firing2[] = {no_service};
  EXPECT_EQ(inh->Index(firing2).InhibitedBy(A({{"alertname", "X"}, {"severity", "warning"}}).labels).size(), 1u);
}

TEST(InhibitTest, BadRegexNamesTheRule) {
  config::InhibitRuleConfig r;
  r.source_matchers = {{"a", config::AmMatcher::Op::kRegex, "("}};
  Result<Inhibitor> inh = Inhibitor::Compile({config::InhibitRuleConfig{}, r});
  ASSERT_FALSE(inh.ok());
  EXPECT_NE(inh.status().message().find("inhibit_rules[1].source_matchers"), std::string::npos);
}

}  // namespace
}  // namespace hw::alerting
