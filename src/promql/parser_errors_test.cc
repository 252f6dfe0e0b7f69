// Parse errors: position (line:col) and message, in Prometheus' wording where we know
// it (the cases mirror Prometheus' own parser tests).
#include <gtest/gtest.h>

#include "promql/parser.h"

namespace hw::promql {
namespace {

struct ErrorCase {
  std::string input;
  std::string error;  // the full "line:col: parse error: ..." text
};

std::string ParseErrorOf(const std::string& input, const ParseOptions& options) {
  Result<ExprPtr> r = ParseExpr(input, options);
  if (r.ok()) return "<parsed>";
  EXPECT_EQ(r.status().code(), StatusCode::kBadData);
  return r.status().message();
}

class ParserErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParserErrorTest, ReportsPositionAndMessage) {
  const ErrorCase& c = GetParam();
  EXPECT_EQ(ParseErrorOf(c.input, ParseOptions::AllEnabled()), c.error) << "input: " << c.input;
}

const ErrorCase kErrorCases[] = {
    {"", "1:1: parse error: no expression found in input"},
    {"# just a comment\n\n", "1:1: parse error: no expression found in input"},
    {"1+", "1:3: parse error: unexpected end of input"},
    {".", "1:1: parse error: unexpected character: '.'"},
    {"2.5.", "1:1: parse error: bad number or duration syntax: \"2.5.\""},
    {"100..4", "1:1: parse error: bad number or duration syntax: \"100..\""},
    {"0deadbeef", "1:1: parse error: bad number or duration syntax: \"0de\""},
    {"1 /", "1:4: parse error: unexpected end of input"},
    {"*1", "1:1: parse error: unexpected <op:*>"},
    {"(1))", "1:4: parse error: unexpected right parenthesis ')'"},
    {"((1)", "1:5: parse error: unclosed left parenthesis"},
    {"(", "1:2: parse error: unclosed left parenthesis"},
    {"sum(", "1:5: parse error: unclosed left parenthesis"},
    {"1 and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"},
    {"1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier"},
    {"1 or 1", "1:1: parse error: set operator \"or\" not allowed in binary scalar expression"},
    {"1 !~ 1", "1:3: parse error: unexpected character after '!': '~'"},
    {"1 =~ 1", "1:3: parse error: unexpected character after '=': '~'"},
    {"-\"string\"",
     "1:1: parse error: unary expression only allowed on expressions of type scalar or "
     "instant vector, got \"string\""},
    {"-test[5m]",
     "1:1: parse error: unary expression only allowed on expressions of type scalar or "
     "instant vector, got \"range vector\""},
    {"@@", "1:1: parse error: unexpected <op:@>"},
    {"1 offset 1d",
     "1:1: parse error: offset modifier must be preceded by an instant vector selector or "
     "range vector selector or a subquery"},
    {"foo offset 1s offset 2s", "1:1: parse error: offset may not be set multiple times"},
    {"a - on(b) ignoring(c) d", "1:11: parse error: unexpected <ignoring>"},
    {"foo and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"},
    {"1 or on(bar) foo", "1:1: parse error: vector matching only allowed between instant vectors"},
    {"foo == on(bar) 10", "1:1: parse error: vector matching only allowed between instant vectors"},
    {"foo + group_left(baz) bar", "1:7: parse error: unexpected <group_left>"},
    {"foo and on(bar) group_left(baz) bar",
     "1:1: parse error: no grouping allowed for \"and\" operation"},
    {"foo unless on(bar) group_right(baz) bar",
     "1:1: parse error: no grouping allowed for \"unless\" operation"},
    {"http_requests{group=\"production\"} + on(instance) group_left(job,instance) "
     "cpu_count{type=\"smp\"}",
     "1:35: parse error: label \"instance\" must not occur in ON and GROUP clause at once"},
    {"foo + bool bar", "1:5: parse error: bool modifier can only be used on comparison operators"},
    {"foo and bool 10", "1:5: parse error: bool modifier can only be used on comparison operators"},
    {"{", "1:2: parse error: unexpected end of input inside braces"},
    {"}", "1:1: parse error: unexpected character: '}'"},
    {"some{", "1:6: parse error: unexpected end of input inside braces"},
    {"some}", "1:5: parse error: unexpected character: '}'"},
    {"some_metric{a=b}",
     "1:15: parse error: unexpected identifier \"b\" in label matching, expected string"},
    {"some_metric{a:b=\"b\"}", "1:14: parse error: unexpected character inside braces: ':'"},
    {"foo{a*\"b\"}", "1:6: parse error: unexpected character inside braces: '*'"},
    {"foo{a>=\"b\"}", "1:6: parse error: unexpected character inside braces: '>'"},
    {"some_metric{a=\"\xff\"}", "1:15: parse error: invalid UTF-8 rune"},
    {"foo{gibberish}",
     "1:14: parse error: unexpected \"}\" in label matching, expected label matching operator"},
    {"foo{1}", "1:5: parse error: unexpected character inside braces: '1'"},
    {"{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
    {"{x=\"\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
    {"{x=~\".*\"}",
     "1:1: parse error: vector selector must contain at least one non-empty matcher"},
    {"{x!~\".+\"}",
     "1:1: parse error: vector selector must contain at least one non-empty matcher"},
    {"{x!=\"a\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
    {"foo{__name__=\"bar\"}",
     "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""},
    {"foo{__name__= =}", "1:15: parse error: unexpected \"=\" in label matching, expected string"},
    {"foo{,}",
     "1:5: parse error: unexpected \",\" in label matching, expected identifier or \"}\""},
    {"foo{__name__ == \"bar\"}",
     "1:15: parse error: unexpected \"=\" in label matching, expected string"},
    {"foo{__name__=\"bar\" lol}",
     "1:20: parse error: unexpected identifier \"lol\" in label matching, expected \",\" or \"}\""},
    {"foo{\"a\"=}", "1:9: parse error: unexpected \"}\" in label matching, expected string"},
    {"foo[5mm]", "1:5: parse error: bad number or duration syntax: \"5mm\""},
    {"foo[5m1]", "1:5: parse error: bad number or duration syntax: \"5m1\""},
    {"foo[5m:1m1]", "1:8: parse error: bad number or duration syntax: \"1m1\""},
    {"foo[5m1h]", "1:5: parse error: not a valid duration string: \"5m1h\""},
    {"foo[0m]", "1:5: parse error: duration must be greater than 0"},
    {"foo[\"5m\"]", "1:5: parse error: unexpected character in duration expression: '\"'"},
    {"foo[]",
     "1:5: parse error: unexpected \"]\" in subquery or range selector, expected number, "
     "duration, step(), or range()"},
    {"foo[step]",
     "1:9: parse error: unexpected \"]\" in subquery or range selector, expected number, "
     "duration, step(), or range()"},
    {"foo[-1]", "1:5: parse error: duration must be greater than 0"},
    {"some_metric[5m] OFFSET 1mm", "1:24: parse error: bad number or duration syntax: \"1mm\""},
    {"some_metric[5m] OFFSET",
     "1:23: parse error: unexpected end of input in offset, expected number, duration, "
     "step(), or range()"},
    {"some_metric OFFSET 1m[5m]", "1:22: parse error: no offset modifiers allowed before range"},
    {"some_metric[5m] @", "1:18: parse error: unexpected end of input in @, expected timestamp"},
    {"some_metric @ 1234 [5m]", "1:20: parse error: no @ modifiers allowed before range"},
    {"some_metric @ start() [5m]", "1:23: parse error: no @ modifiers allowed before range"},
    {"some_metric offset step()[5m]",
     "1:26: parse error: no offset modifiers allowed before range"},
    {"(foo + bar)[5m]", "1:12: parse error: ranges only allowed for vector selectors"},
    {"foo @ +Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf"},
    {"foo @ -Inf", "1:1: parse error: timestamp out of bounds for @ modifier: -Inf"},
    {"foo @ NaN", "1:1: parse error: timestamp out of bounds for @ modifier: NaN"},
    {"foo @ 1 @ 2", "1:1: parse error: @ <timestamp> may not be set multiple times"},
    {"sum without(==)(some_metric)",
     "1:13: parse error: unexpected <op:==> in grouping opts, expected label"},
    {"sum without(,)(some_metric)",
     "1:13: parse error: unexpected \",\" in grouping opts, expected label"},
    {"sum without(foo,,)(some_metric)",
     "1:17: parse error: unexpected \",\" in grouping opts, expected label"},
    {"sum some_metric by (test)", "1:5: parse error: unexpected identifier \"some_metric\""},
    {"sum (some_metric) by test",
     "1:22: parse error: unexpected identifier \"test\" in grouping opts, expected \"(\""},
    {"sum () by (test)", "1:1: parse error: no arguments for aggregate expression provided"},
    {"MIN keep_common (some_metric)", "1:5: parse error: unexpected identifier \"keep_common\""},
    {"sum (some_metric) without (test) by (test)", "1:34: parse error: unexpected <by>"},
    {"sum without (test) (some_metric) by (test)", "1:34: parse error: unexpected <by>"},
    {"topk(some_metric)",
     "1:1: parse error: wrong number of arguments for aggregate expression provided, "
     "expected 2, got 1"},
    {"topk(some_metric,)", "1:17: parse error: trailing commas not allowed in function call args"},
    {"topk(some_metric, other_metric)",
     "1:6: parse error: expected type scalar in aggregation parameter, got instant vector"},
    {"count_values(5, other_metric)",
     "1:14: parse error: expected type string in aggregation parameter, got scalar"},
    {"sum(foo[5m])",
     "1:5: parse error: expected type instant vector in aggregation expression, got range "
     "vector"},
    {"rate(some_metric[5m]) @ 1234",
     "1:1: parse error: @ modifier must be preceded by an instant vector selector or range "
     "vector selector or a subquery"},
    {"floor()", "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 0"},
    {"floor(some_metric, other_metric)",
     "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 2"},
    {"floor(1)",
     "1:7: parse error: expected type instant vector in call to function \"floor\", got scalar"},
    {"hour(some_metric, some_metric, some_metric)",
     "1:1: parse error: expected at most 1 argument(s) in call to \"hour\", got 3"},
    {"label_join(a, \"b\")",
     "1:1: parse error: expected at least 3 argument(s) in call to \"label_join\", got 2"},
    {"time(some_metric)", "1:1: parse error: expected 0 argument(s) in call to \"time\", got 1"},
    {"non_existent_function_far_bar()",
     "1:1: parse error: unknown function with name \"non_existent_function_far_bar\""},
    {"rate(some_metric)",
     "1:6: parse error: expected type range vector in call to function \"rate\", got instant "
     "vector"},
    {"label_replace(a, `b`, `c\xff`, `d`, `.*`)", "1:23: parse error: invalid UTF-8 rune"},
    {"-=", "1:2: parse error: unexpected \"=\""},
    {"++-++-+-+-<", "1:11: parse error: unexpected <op:<>"},
    {"e-+=/(0)", "1:4: parse error: unexpected \"=\""},
    {"a>b()", "1:3: parse error: unknown function with name \"b\""},
    {"rate(avg)",
     "1:6: parse error: expected type range vector in call to function \"rate\", got instant "
     "vector"},
    {"`\\``", "1:4: parse error: unterminated raw string"},
    {"\"\\", "1:1: parse error: escape sequence not terminated"},
    {"\"\\c\"", "1:1: parse error: unknown escape sequence U+0063 'c'"},
    {"\"\\x.\"", "1:1: parse error: illegal character U+002E '.' in escape sequence"},
    {"\"\\400\"", "1:1: parse error: octal escape value > 255: 256"},
    {"\"\\uD800\"", "1:1: parse error: escape sequence is an invalid Unicode code point"},
    {"'abc\n'", "1:1: parse error: unterminated quoted string"},
    {"sum by (\"foo)(some_metric{})", "1:9: parse error: unterminated quoted string"},
    {"foo{bar=\"baz\"}[", "1:16: parse error: unexpected end of input in duration expression"},
    {"test[5d] OFFSET 10s [10m:5s]",
     "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"},
    {"(foo + bar{nm=\"val\"})[5m:][10m:5s]",
     "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"},
    {"rate(food[1m])[1h] offset 1h", "1:15: parse error: ranges only allowed for vector selectors"},
    {"foo[5s/0d]", "1:8: parse error: division by zero"},
    {"foo offset (4d/0)", "1:16: parse error: division by zero"},
    {"foo[5s%0d]", "1:8: parse error: modulo by zero"},
    {"foo offset 9.5e10", "1:12: parse error: duration out of range"},
    {"foo[9.5e10]", "1:5: parse error: duration out of range"},
    {"1[5m] smoothed", "1:2: parse error: ranges only allowed for vector selectors"},
    {"info(rate(http_request_counter_total{}[5m]), target_info{foo=\"bar\"})",
     "1:46: parse error: expected label selectors only, got vector selector instead"},
    {"info(http_request_counter_total{namespace=\"zzz\"}, {foo=\"bar\"} == 1)",
     "1:51: parse error: expected label selectors only"},
    {"deriv(foo[3m] smoothed)",
     "1:7: parse error: smoothed modifier can only be used with: delta, increase, rate - not "
     "with deriv"},
    {"max_over_time(foo[3m] anchored)",
     "1:15: parse error: anchored modifier can only be used with: changes, delta, increase, "
     "rate, resets - not with max_over_time"},
    {"a + fill(1) fill(2) b", "1:13: parse error: fill modifier may not be set multiple times"},
    {"a and fill(0) b", "1:1: parse error: fill modifiers are not allowed for \"and\" operation"},
    {"on{}", "1:1: parse error: unexpected <on>"},
    {"foo bar", "1:5: parse error: unexpected identifier \"bar\""},
    {"sum(rate(x[5m]) by (job))",
     "1:17: parse error: unexpected <by>: by (job) can only follow an aggregation; did you "
     "mean sum by (job) (rate(x[5m]))?"},
    {"foo{a=~\"(\"}",
     "1:5: parse error: cannot compile matcher a=~\"(\": invalid regex \"(\": missing ): ("},
    // Multi-line input: the line and column of the offending token.
    {"sum(\n  rate(x[5m])\n) +\n  * 2", "4:3: parse error: unexpected <op:*>"},
    {"h </ bool 1", "1:3: parse error: bool modifier can only be used on comparison operators"},
    {"# comment\nfoo{", "2:5: parse error: unexpected end of input inside braces"},
};

INSTANTIATE_TEST_SUITE_P(Prometheus, ParserErrorTest, ::testing::ValuesIn(kErrorCases));

TEST(ParserErrorTest, GuideHintForGroupingAfterFunction) {
  EXPECT_EQ(ParseErrorOf("histogram_quantile(0.95, x) by (endpoint)", {}),
            "1:29: parse error: unexpected <by>: by (endpoint) can only follow an aggregation; "
            "did you mean histogram_quantile(0.95, sum by (endpoint, le) "
            "(rate(x_bucket[5m])))?");
  EXPECT_EQ(ParseErrorOf("histogram_quantile(0.9, rate(x_bucket[5m])) without (pod)", {}),
            "1:45: parse error: unexpected <without>: without (pod) can only follow an "
            "aggregation; did you mean histogram_quantile(0.9, sum without (pod) "
            "(rate(x_bucket[5m])))?");
}

TEST(ParserErrorTest, ExperimentalFeaturesNeedTheirFlag) {
  ParseOptions off;
  EXPECT_EQ(ParseErrorOf("mad_over_time(x[5m])", off),
            "1:1: parse error: function \"mad_over_time\" is not enabled");
  EXPECT_EQ(ParseErrorOf("limitk(1, x)", off),
            "1:1: parse error: limitk() is experimental and must be enabled with "
            "--enable-feature=promql-experimental-functions");
  EXPECT_EQ(ParseErrorOf("x[5m+1m]", off),
            "1:3: parse error: duration expressions are experimental and not enabled "
            "(--enable-feature=promql-duration-expr)");
  EXPECT_EQ(ParseErrorOf("rate(x[5m] anchored)", off),
            "1:12: parse error: anchored modifier is experimental and not enabled "
            "(--enable-feature=promql-extended-range-selectors)");
  EXPECT_EQ(ParseErrorOf("a + fill(0) b", off),
            "1:5: parse error: fill() modifier is experimental and not enabled "
            "(--enable-feature=promql-binop-fill-modifiers)");
  EXPECT_EQ(ParseErrorOf("holt_winters(x[5m], 0.5, 0.5)", off),
            "1:1: parse error: unknown function with name \"holt_winters\"");
  ParseOptions legacy;
  legacy.legacy_functions = true;
  EXPECT_EQ(ParseErrorOf("holt_winters(x[5m], 0.5, 0.5)", legacy), "<parsed>");
}

TEST(ParserErrorTest, DetailedErrorHasLineColumnAndRange) {
  ParseError err;
  Result<ExprPtr> r = ParseExpr("sum(x)\n  + bool y", {}, &err);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(err.line, 2);
  EXPECT_EQ(err.column, 3);
  EXPECT_EQ(err.pos.start, 9);
  EXPECT_EQ(err.message, "bool modifier can only be used on comparison operators");
  EXPECT_EQ(err.ToString(), r.status().message());
}

TEST(ParseMetricSelectorTest, ParsesMatchParameter) {
  auto m = ParseMetricSelector("up");
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ((*m)[0].ToString(), "__name__=\"up\"");

  m = ParseMetricSelector("{job=\"api\", __name__=~\"http_.*\"}");
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[1].type(), model::MatchType::kRegexMatch);

  m = ParseMetricSelector("{\"my.metric\", \"service.name\"=\"api\"}");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)[0].value(), "my.metric");
  EXPECT_EQ((*m)[1].name(), "service.name");

  m = ParseMetricSelector("http_requests_total{code=\"500\"}");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->back().value(), "http_requests_total");

  EXPECT_EQ(ParseMetricSelector("{job=~\".*\"}").status().message(),
            "1:1: parse error: vector selector must contain at least one non-empty matcher");
  EXPECT_EQ(ParseMetricSelector("up offset 5m").status().message(),
            "1:4: parse error: unexpected <offset> in metric selector, expected end of input");
  EXPECT_EQ(ParseMetricSelector("rate(x[5m])").status().message(),
            "1:5: parse error: unexpected \"(\" in metric selector, expected end of input");
  EXPECT_EQ(ParseMetricSelector("").status().message(),
            "1:1: parse error: no expression found in input");
}

}  // namespace
}  // namespace hw::promql
