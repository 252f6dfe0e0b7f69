#include "model/matcher.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <re2/re2.h>

namespace hw::model {
namespace {

using Kind = Matcher::Kind;

Matcher MustMake(MatchType t, std::string_view name, std::string_view value) {
  Result<Matcher> m = Matcher::Make(t, name, value);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return *m;
}

// The reference: Prometheus' construction, spliced into a string and run by RE2.
bool ReferenceMatch(const std::string& pattern, const std::string& s) {
  RE2 re("^(?s:" + pattern + ")$");
  EXPECT_TRUE(re.ok()) << pattern;
  return RE2::PartialMatch(s, re);
}

const std::vector<std::string>& Probes() {
  static const std::vector<std::string> probes = {
      "", "a", "b", "c", "foo", "foobar", "barfoo", "xfoox", "fo", "FOO", "foo\n", "\nfoo",
      "foo\nbar", "\n", "a.b", "axb", "a\\b", "a|b", "ab", "abc", "bc", ".", "*", "é", "aé",
      "api", "api-1", "web", "web\n", "1.2.3", "1x2x3", " ", "foo.bar", "foo.*",
  };
  return probes;
}

TEST(MatcherTest, FastPathsAgreeWithTheRegex) {
  struct Case {
    const char* pattern;
    Kind kind;
  } cases[] = {
      {"", Kind::kSet},           {"foo", Kind::kSet},          {"a\\.b", Kind::kSet},
      {"a\\\\b", Kind::kSet},     {"a\\|b", Kind::kSet},        {"a|b|c", Kind::kSet},
      {"foo|", Kind::kSet},       {"|", Kind::kSet},            {"é|aé", Kind::kSet},
      {"foo.*", Kind::kPrefix},   {"a\\..*", Kind::kPrefix},    {".*foo", Kind::kSuffix},
      {".*foo.*", Kind::kContains}, {".*\\..*", Kind::kContains}, {".*", Kind::kAny},
      {".+", Kind::kNonEmpty},    {"foo\\.*", Kind::kRegex},    {"a.b", Kind::kRegex},
      {".*.*", Kind::kRegex},     {"foo.+", Kind::kRegex},      {"(foo|bar)", Kind::kRegex},
      {".*a|b", Kind::kRegex},    {"a|b.*", Kind::kRegex},      {"[ab]", Kind::kRegex},
      {"(?i)foo", Kind::kRegex},  {"\\d\\.\\d\\.\\d", Kind::kRegex}, {"foo\\n?", Kind::kRegex},
      {"^foo$", Kind::kRegex},    {".", Kind::kRegex},          {"a*", Kind::kRegex},
      {"(?-s:.*)", Kind::kRegex}, {"web.", Kind::kRegex},
  };
  for (const Case& c : cases) {
    for (MatchType t : {MatchType::kRegexMatch, MatchType::kRegexNoMatch}) {
      Matcher m = MustMake(t, "l", c.pattern);
      EXPECT_EQ(m.kind(), c.kind) << c.pattern;
      for (const std::string& s : Probes()) {
        bool want = ReferenceMatch(c.pattern, s) != (t == MatchType::kRegexNoMatch);
        EXPECT_EQ(m.Matches(s), want) << m.ToString() << " on \"" << s << "\"";
      }
    }
  }
}

TEST(MatcherTest, EqualityAndEmptyStringSemantics) {
  struct Case {
    MatchType type;
    const char* value;
    const char* input;
    bool want;
  } cases[] = {
      {MatchType::kEqual, "foo", "foo", true},      {MatchType::kEqual, "foo", "fo", false},
      {MatchType::kEqual, "", "", true},            {MatchType::kEqual, "", "x", false},
      {MatchType::kNotEqual, "foo", "", true},      {MatchType::kNotEqual, "foo", "foo", false},
      {MatchType::kNotEqual, "", "", false},        {MatchType::kNotEqual, "", "x", true},
      {MatchType::kRegexMatch, ".*", "", true},     {MatchType::kRegexMatch, ".+", "", false},
      {MatchType::kRegexMatch, "foo|", "", true},   {MatchType::kRegexNoMatch, ".+", "", true},
      {MatchType::kRegexNoMatch, ".*", "x", false}, {MatchType::kRegexNoMatch, "foo", "", true},
      // `.` matches newline (Prometheus 3 semantics), and matches are anchored.
      {MatchType::kRegexMatch, "a.b", "a\nb", true},  {MatchType::kRegexMatch, "foo", "xfoo", false},
      {MatchType::kRegexMatch, "fo", "foo", false},   {MatchType::kRegexMatch, "f.*", "f\n\n", true},
      {MatchType::kEqual, "a.b", "axb", false},
  };
  for (const Case& c : cases) {
    Matcher m = MustMake(c.type, "l", c.value);
    EXPECT_EQ(m.Matches(c.input), c.want) << m.ToString() << " on \"" << c.input << "\"";
    EXPECT_EQ(m.MatchesEmpty(), m.Matches(""));
    EXPECT_EQ(m.Inverse().Matches(c.input), !c.want) << m.ToString();
  }
}

TEST(MatcherTest, SetMatchesOnlyForPositiveFiniteSets) {
  EXPECT_EQ(*MustMake(MatchType::kEqual, "a", "x").SetMatches(), std::vector<std::string>{"x"});
  EXPECT_EQ(*MustMake(MatchType::kRegexMatch, "a", "c|a|b|a").SetMatches(),
            (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(MustMake(MatchType::kNotEqual, "a", "x").SetMatches(), nullptr);
  EXPECT_EQ(MustMake(MatchType::kRegexNoMatch, "a", "x|y").SetMatches(), nullptr);
  EXPECT_EQ(MustMake(MatchType::kRegexMatch, "a", "x.*").SetMatches(), nullptr);
  EXPECT_TRUE(MustMake(MatchType::kRegexMatch, "a", ".*").MatchesEverything());
  EXPECT_FALSE(MustMake(MatchType::kRegexNoMatch, "a", ".*").MatchesEverything());
  EXPECT_FALSE(MustMake(MatchType::kRegexMatch, "a", ".+").MatchesEverything());
}

TEST(MatcherTest, InvalidRegexIsNamedInTheError) {
  for (const char* bad : {"(", "a)|(b", "[z-a]", "*", "a{2,1}", "\xff"}) {
    Result<Matcher> m = Matcher::Make(MatchType::kRegexMatch, "job", bad);
    ASSERT_FALSE(m.ok()) << bad;
    EXPECT_EQ(m.status().code(), StatusCode::kBadData);
    EXPECT_NE(m.status().message().find("cannot compile matcher job=~"), std::string::npos)
        << m.status().message();
    EXPECT_NE(m.status().message().find("invalid regex"), std::string::npos);
  }
  Result<Matcher> m = Matcher::Make(MatchType::kRegexNoMatch, "job", "api(");
  EXPECT_EQ(m.status().message().substr(0, 50),
            std::string("cannot compile matcher job!~\"api(\": invalid regex \"api(\"").substr(0, 50));
}

TEST(MatcherTest, ToStringIsPromQL) {
  EXPECT_EQ(Matcher::Equal("job", "a\"b").ToString(), R"(job="a\"b")");
  EXPECT_EQ(Matcher::NotEqual("job", "").ToString(), R"(job!="")");
  EXPECT_EQ(MustMake(MatchType::kRegexMatch, "x", "a|b").ToString(), R"(x=~"a|b")");
  EXPECT_EQ(MustMake(MatchType::kRegexNoMatch, "a.b", "\\d").ToString(), R"("a.b"!~"\\d")");
}

}  // namespace
}  // namespace hw::model
