#include "scrape/relabel.h"

#include <re2/re2.h>

#include <gtest/gtest.h>

namespace hw::scrape {
namespace {

using Action = config::RelabelConfig::Action;
using Pairs = std::vector<std::pair<std::string_view, std::string_view>>;

config::RelabelConfig Rule(Action action, std::vector<std::string> sources, std::string regex,
                           std::string target = "", std::string replacement = "$1") {
  config::RelabelConfig c;
  c.action = action;
  c.source_labels = std::move(sources);
  c.regex = std::move(regex);
  c.target_label = std::move(target);
  c.replacement = std::move(replacement);
  return c;
}

struct Case {
  const char* name;
  Pairs input;
  std::vector<config::RelabelConfig> rules;
  std::optional<Pairs> want;  // nullopt: dropped
};

class RelabelTableTest : public testing::TestWithParam<Case> {};

TEST_P(RelabelTableTest, MatchesPrometheus) {
  const Case& c = GetParam();
  Result<RelabelRules> rules = RelabelRules::Compile(c.rules);
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  model::Labels out;
  bool kept = rules->Process(model::Labels::FromPairs(c.input), &out);
  if (!c.want) {
    EXPECT_FALSE(kept) << out.ToString();
    return;
  }
  ASSERT_TRUE(kept);
  EXPECT_EQ(out, model::Labels::FromPairs(*c.want)) << out.ToString();
}

config::RelabelConfig HashMod(std::vector<std::string> sources, std::uint64_t m, std::string t) {
  config::RelabelConfig c = Rule(Action::kHashMod, std::move(sources), "(.*)", std::move(t));
  c.modulus = m;
  return c;
}

config::RelabelConfig WithSeparator(config::RelabelConfig c, std::string sep) {
  c.separator = std::move(sep);
  return c;
}

const Pairs kAbc = {{"a", "foo"}, {"b", "bar"}, {"c", "baz"}};

INSTANTIATE_TEST_SUITE_P(
    Cases, RelabelTableTest,
    testing::Values(
        Case{"replace_group_refs", kAbc,
             {Rule(Action::kReplace, {"a"}, "f(.*)", "d", "ch${1}-ch${1}")},
             Pairs{{"a", "foo"}, {"b", "bar"}, {"c", "baz"}, {"d", "choo-choo"}}},
        Case{"replace_joined_sources", kAbc,
             {Rule(Action::kReplace, {"a", "b"}, "f(.*);(.*)r", "a", "b${1}${2}m")},
             Pairs{{"a", "boobam"}, {"b", "bar"}, {"c", "baz"}}},
        Case{"replace_custom_separator", kAbc,
             {WithSeparator(Rule(Action::kReplace, {"a", "b"}, "(.*)", "d"), "-")},
             Pairs{{"a", "foo"}, {"b", "bar"}, {"c", "baz"}, {"d", "foo-bar"}}},
        Case{"replace_no_match_leaves_labels", kAbc,
             {Rule(Action::kReplace, {"a"}, "no-match", "d")}, kAbc},
        Case{"replace_is_anchored", kAbc, {Rule(Action::kReplace, {"a"}, "o", "d")}, kAbc},
        Case{"replace_missing_source_is_empty", kAbc,
             {Rule(Action::kReplace, {"z"}, "", "d", "empty")},
             Pairs{{"a", "foo"}, {"b", "bar"}, {"c", "baz"}, {"d", "empty"}}},
        Case{"replace_empty_result_deletes", kAbc,
             {Rule(Action::kReplace, {"a"}, "foo", "a", "")}, Pairs{{"b", "bar"}, {"c", "baz"}}},
        Case{"replace_target_from_groups", Pairs{{"a", "some-name-value"}},
             {Rule(Action::kReplace, {"a"}, "some-([^-]+)-([^,]+)", "${1}", "${2}")},
             Pairs{{"a", "some-name-value"}, {"name", "value"}}},
        Case{"replace_invalid_target_skipped", Pairs{{"a", "some-1name-value"}},
             {Rule(Action::kReplace, {"a"}, "some-([^-]+)-([^,]+)", "${1}", "${2}")},
             Pairs{{"a", "some-1name-value"}}},
        Case{"replace_named_group", Pairs{{"a", "foo"}},
             {Rule(Action::kReplace, {"a"}, "(?P<first>f)(?P<rest>.*)", "d", "$rest-$first")},
             Pairs{{"a", "foo"}, {"d", "oo-f"}}},
        Case{"replace_dot_matches_newline", Pairs{{"a", "x\ny"}},
             {Rule(Action::kReplace, {"a"}, "x.y", "d", "ok")},
             Pairs{{"a", "x\ny"}, {"d", "ok"}}},
        Case{"docs_address_to_instance", Pairs{{"__address__", "host.example:9100"}},
             {Rule(Action::kReplace, {"__address__"}, R"((.*):\d+)", "instance", "${1}")},
             Pairs{{"__address__", "host.example:9100"}, {"instance", "host.example"}}},
        Case{"drop_matching", kAbc, {Rule(Action::kDrop, {"a"}, ".*o.*")}, std::nullopt},
        Case{"drop_not_matching", kAbc, {Rule(Action::kDrop, {"a"}, "f")}, kAbc},
        Case{"keep_not_matching", kAbc, {Rule(Action::kKeep, {"a"}, "no-match")}, std::nullopt},
        Case{"keep_matching", kAbc, {Rule(Action::kKeep, {"a"}, "f.*")}, kAbc},
        Case{"keep_stops_later_rules", kAbc,
             {Rule(Action::kKeep, {"a"}, "x"), Rule(Action::kReplace, {"a"}, "(.*)", "d")},
             std::nullopt},
        Case{"keepequal_equal", Pairs{{"__tmp_port", "1234"}, {"__port1", "1234"}},
             {Rule(Action::kKeepEqual, {"__port1"}, "(.*)", "__tmp_port")},
             Pairs{{"__tmp_port", "1234"}, {"__port1", "1234"}}},
        Case{"keepequal_different", Pairs{{"__tmp_port", "1234"}, {"__port1", "9999"}},
             {Rule(Action::kKeepEqual, {"__port1"}, "(.*)", "__tmp_port")}, std::nullopt},
        Case{"dropequal_equal", Pairs{{"__tmp_port", "1234"}, {"__port1", "1234"}},
             {Rule(Action::kDropEqual, {"__port1"}, "(.*)", "__tmp_port")}, std::nullopt},
        Case{"dropequal_different", Pairs{{"x", "1"}, {"y", "2"}},
             {Rule(Action::kDropEqual, {"y"}, "(.*)", "x")}, Pairs{{"x", "1"}, {"y", "2"}}},
        Case{"hashmod", kAbc, {HashMod({"c"}, 1000, "d")},
             Pairs{{"a", "foo"}, {"b", "bar"}, {"c", "baz"}, {"d", "976"}}},
        Case{"hashmod_joined", kAbc, {HashMod({"a", "b"}, 1000, "d")},
             Pairs{{"a", "foo"}, {"b", "bar"}, {"c", "baz"}, {"d", "750"}}},
        Case{"labelmap", kAbc, {Rule(Action::kLabelMap, {}, "(b.*)", "", "bar_${1}")},
             Pairs{{"a", "foo"}, {"b", "bar"}, {"bar_b", "bar"}, {"c", "baz"}}},
        Case{"labelmap_meta_prefix",
             Pairs{{"__meta_kubernetes_pod_label_app", "api"}, {"__address__", "x:1"}},
             {Rule(Action::kLabelMap, {}, "__meta_kubernetes_pod_label_(.+)")},
             Pairs{{"__meta_kubernetes_pod_label_app", "api"}, {"__address__", "x:1"},
                   {"app", "api"}}},
        Case{"labeldrop", kAbc, {Rule(Action::kLabelDrop, {}, "(b.*)")},
             Pairs{{"a", "foo"}, {"c", "baz"}}},
        Case{"labeldrop_anchored", kAbc, {Rule(Action::kLabelDrop, {}, "b|a")},
             Pairs{{"c", "baz"}}},
        Case{"labelkeep", kAbc, {Rule(Action::kLabelKeep, {}, "(b.*)")}, Pairs{{"b", "bar"}}},
        Case{"lowercase", Pairs{{"foo", "BAR"}},
             {Rule(Action::kLowercase, {"foo"}, "(.*)", "foo_lower")},
             Pairs{{"foo", "BAR"}, {"foo_lower", "bar"}}},
        Case{"uppercase", Pairs{{"foo", "bar"}, {"baz", "Qux"}},
             {Rule(Action::kUppercase, {"foo", "baz"}, "(.*)", "up")},
             Pairs{{"foo", "bar"}, {"baz", "Qux"}, {"up", "BAR;QUX"}}},
        Case{"rules_chain_in_order", Pairs{{"a", "1"}},
             {Rule(Action::kReplace, {"a"}, "(.*)", "b", "x$1"),
              Rule(Action::kReplace, {"b"}, "x(.*)", "c", "$1$1"),
              Rule(Action::kLabelDrop, {}, "a|b")},
             Pairs{{"c", "11"}}}),
    [](const testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

struct ExpandCase {
  const char* regex;
  const char* input;
  const char* tmpl;
  const char* want;
};

class ExpandTest : public testing::TestWithParam<ExpandCase> {};

// Go's regexp.Expand semantics, case by case.
TEST_P(ExpandTest, LikeGo) {
  const ExpandCase& c = GetParam();
  re2::RE2 re(std::string("^(?s:") + c.regex + ")$");
  ASSERT_TRUE(re.ok());
  int n = 1 + re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> sp(static_cast<size_t>(n));
  std::string_view in(c.input);
  ASSERT_TRUE(re.Match(re2::StringPiece(in.data(), in.size()), 0, in.size(), re2::RE2::ANCHOR_BOTH,
                       sp.data(), n));
  std::vector<std::string_view> groups;
  for (const auto& p : sp) groups.emplace_back(p.data(), p.size());
  std::string out;
  ExpandTemplate(re, c.tmpl, groups.data(), n, &out);
  EXPECT_EQ(out, c.want) << c.tmpl;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ExpandTest,
    testing::Values(ExpandCase{"(a)(b)", "ab", "$1-$2", "a-b"},
                    ExpandCase{"(a)(b)", "ab", "${1}x", "ax"},
                    ExpandCase{"(a)(b)", "ab", "$1x", ""},        // group "1x" does not exist
                    ExpandCase{"(a)(b)", "ab", "$$1", "$1"},      // $$ is a literal $
                    ExpandCase{"(a)(b)", "ab", "$", "$"},         // malformed: literal
                    ExpandCase{"(a)(b)", "ab", "${1", "${1"},     // unclosed brace: literal
                    ExpandCase{"(a)(b)", "ab", "$-", "$-"},
                    ExpandCase{"(a)(b)", "ab", "$3", ""},         // out of range
                    ExpandCase{"(a)(b)", "ab", "$0", "ab"},
                    ExpandCase{"(a)(b)", "ab", "$01", ""},        // leading zero: a name
                    ExpandCase{"(a)|(b)", "b", "[$1][$2]", "[][b]"},  // unmatched group: ""
                    ExpandCase{"(?P<x>a)(?P<y_1>b)", "ab", "$y_1$x ${x}", "ba a"},
                    ExpandCase{"(a)", "a", "no refs", "no refs"}));

TEST(RelabelTest, CompileRejectsBadRegex) {
  Result<RelabelRules> r = RelabelRules::Compile({Rule(Action::kKeep, {"a"}, "(")});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cannot compile relabel regex \"(\""), std::string::npos);
}

TEST(RelabelTest, HashModSumIsMd5LowBytes) {
  // md5("foo") = acbd18db4cc2f85c edef654fccc4a4d8.
  EXPECT_EQ(HashModSum("foo"), 0xedef654fccc4a4d8ULL);
}

}  // namespace
}  // namespace hw::scrape
