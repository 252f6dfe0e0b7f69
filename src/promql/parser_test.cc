// Parsing valid PromQL: tree shapes (precedence, associativity), literals, selectors,
// modifiers, aggregations and functions.
#include "promql/parser.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

#include "promql/functions.h"
#include "promql/printer.h"

namespace hw::promql {
namespace {

ExprPtr MustParse(std::string_view input,
                  const ParseOptions& options = ParseOptions::AllEnabled()) {
  Result<ExprPtr> r = ParseExpr(input, options);
  EXPECT_TRUE(r.ok()) << input << ": " << r.status().message();
  if (!r.ok()) return nullptr;
  return std::move(r).value();
}

// A compact S-expression of the tree, e.g. (+ 1 (* 2 3)).
std::string Tree(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kBinary: {
      auto& b = *e.As<BinaryExpr>();
      return fmt::format("({}{} {} {})", BinaryOpString(b.op), b.return_bool ? " bool" : "",
                         Tree(*b.lhs), Tree(*b.rhs));
    }
    case ExprKind::kUnary:
      return fmt::format("({} {})", e.As<UnaryExpr>()->op == UnaryOp::kNeg ? "neg" : "pos",
                         Tree(*e.As<UnaryExpr>()->expr));
    case ExprKind::kParen:
      return fmt::format("(paren {})", Tree(*e.As<ParenExpr>()->expr));
    default:
      return Format(e);
  }
}

std::string TreeOf(std::string_view input) {
  ExprPtr e = MustParse(input);
  return e ? Tree(*e) : "<error>";
}

double NumberOf(std::string_view input) {
  ExprPtr e = MustParse(input);
  if (!e || e->As<NumberLiteral>() == nullptr) {
    ADD_FAILURE() << input << " is not a number literal";
    return 0;
  }
  return e->As<NumberLiteral>()->value;
}

TEST(ParserTest, PrecedenceAndAssociativity) {
  EXPECT_EQ(TreeOf("2 ^ 3 ^ 2"), "(^ 2 (^ 3 2))");  // right-associative: 2^9 = 512
  EXPECT_EQ(TreeOf("-2 ^ 2"), "(neg (^ 2 2))");     // -(2^2)
  EXPECT_EQ(TreeOf("-1*2"), "(* -1 2)");            // a signed literal is one number
  EXPECT_EQ(TreeOf("2 ^ -1"), "(^ 2 -1)");
  EXPECT_EQ(TreeOf("-a ^ b"), "(neg (^ a b))");
  EXPECT_EQ(TreeOf("-a * b"), "(* (neg a) b)");
  EXPECT_EQ(TreeOf("1 - 2 - 3"), "(- (- 1 2) 3)");
  EXPECT_EQ(TreeOf("1 + 2 * 3"), "(+ 1 (* 2 3))");
  EXPECT_EQ(TreeOf("a / b % c * d"), "(* (% (/ a b) c) d)");
  EXPECT_EQ(TreeOf("a atan2 b + c"), "(+ (atan2 a b) c)");
  EXPECT_EQ(TreeOf("a + b > bool c * d"), "(> bool (+ a b) (* c d))");
  EXPECT_EQ(TreeOf("a > b and c < d"), "(and (> a b) (< c d))");
  EXPECT_EQ(TreeOf("a or b and c"), "(or a (and b c))");
  EXPECT_EQ(TreeOf("a + b </ c * 2"), "(</ (+ a b) (* c 2))");  // histogram trims
  EXPECT_EQ(TreeOf("h >/ -Inf"), "(>/ h -Inf)");
  EXPECT_EQ(TreeOf("a and b unless c or d"), "(or (unless (and a b) c) d)");
  EXPECT_EQ(TreeOf("foo + bar or bla and blub"), "(or (+ foo bar) (and bla blub))");
  EXPECT_EQ(TreeOf("(1 + 2) * 3"), "(* (paren (+ 1 2)) 3)");
  EXPECT_EQ(TreeOf("--foo"), "(neg (neg foo))");
  EXPECT_EQ(TreeOf("- -1"), "1");
  EXPECT_EQ(TreeOf("+foo"), "(pos foo)");
  EXPECT_EQ(TreeOf("-10^3 * - SUM(x) BY (job) ^ -1"),
            "(* (neg (^ 10 3)) (neg (^ sum by (job) (x) -1)))");
  EXPECT_EQ(TreeOf("foo offset 5m * 2"), "(* foo offset 5m 2)");
  EXPECT_EQ(TreeOf("metric1_total offset 100 + 2"), "(+ metric1_total offset 1m40s 2)");
  EXPECT_EQ(TreeOf("metric1_total offset -2 ^ 2"), "(^ metric1_total offset -2s 2)");
}

TEST(ParserTest, NumberForms) {
  EXPECT_EQ(NumberOf("0x1F"), 31);
  EXPECT_EQ(NumberOf("0XaB"), 171);
  EXPECT_EQ(NumberOf("1e3"), 1000);
  EXPECT_EQ(NumberOf("12.34e+6"), 12340000);
  EXPECT_DOUBLE_EQ(NumberOf("-0.2e-6"), -0.0000002);
  EXPECT_EQ(NumberOf(".5"), 0.5);
  EXPECT_EQ(NumberOf("5."), 5);
  EXPECT_EQ(NumberOf("+0.2"), 0.2);
  EXPECT_EQ(NumberOf("0755"), 493);  // octal, as Go's ParseInt(s, 0, 64)
  EXPECT_EQ(NumberOf("-0755"), -493);
  EXPECT_EQ(NumberOf("089"), 89);  // not octal: a decimal float
  EXPECT_EQ(NumberOf("1_000"), 1000);
  EXPECT_EQ(NumberOf("1_000.5"), 1000.5);
  EXPECT_EQ(NumberOf("Inf"), INFINITY);
  EXPECT_EQ(NumberOf("+inF"), INFINITY);
  EXPECT_EQ(NumberOf("-Inf"), -INFINITY);
  EXPECT_TRUE(std::isnan(NumberOf("NaN")));
  EXPECT_TRUE(std::isnan(NumberOf("nan")));
  ExprPtr d = MustParse("1h30m");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->As<NumberLiteral>()->value, 5400);
  EXPECT_TRUE(d->As<NumberLiteral>()->is_duration);
  EXPECT_EQ(d->type(), ValueType::kScalar);
}

TEST(ParserTest, StringEscapes) {
  auto str = [](std::string_view in) {
    ExprPtr e = MustParse(in);
    return e && e->As<StringLiteral>() ? e->As<StringLiteral>()->value : "<not a string>";
  };
  EXPECT_EQ(str(R"("a\nb\tc\\d\"e")"), "a\nb\tc\\d\"e");
  EXPECT_EQ(str(R"('it\'s')"), "it's");
  EXPECT_EQ(str(R"("\a\b\f\r\v")"), "\a\b\f\r\v");
  EXPECT_EQ(str(R"("\x41\101")"), "AA");
  EXPECT_EQ(str(R"("\u00e9")"), "\xc3\xa9");
  EXPECT_EQ(str(R"("\U0001F600")"), "\xf0\x9f\x98\x80");
  EXPECT_EQ(str(R"("\xff")"), "\xff");  // escapes may produce any byte
  EXPECT_EQ(str("`raw \\n \"x\" 'y'`"), "raw \\n \"x\" 'y'");
  EXPECT_EQ(str("`multi\nline`"), "multi\nline");
  EXPECT_EQ(str("\"☺\""), "☺");
  EXPECT_EQ(MustParse("\"x\"")->type(), ValueType::kString);
}

TEST(ParserTest, VectorSelectors) {
  ExprPtr e = MustParse(R"(foo{a="b", c!="d", e=~"f.*", g!~"h|i",})");
  auto* vs = e->As<VectorSelector>();
  ASSERT_NE(vs, nullptr);
  EXPECT_EQ(vs->name, "foo");
  ASSERT_EQ(vs->matchers.size(), 5u);
  EXPECT_EQ(vs->matchers[0].ToString(), "a=\"b\"");
  EXPECT_EQ(vs->matchers[1].type(), model::MatchType::kNotEqual);
  EXPECT_EQ(vs->matchers[2].type(), model::MatchType::kRegexMatch);
  EXPECT_EQ(vs->matchers[3].type(), model::MatchType::kRegexNoMatch);
  EXPECT_EQ(vs->matchers[4].ToString(), "__name__=\"foo\"");  // the name comes last

  e = MustParse(R"({__name__=~"job:.*"})");
  EXPECT_EQ(e->As<VectorSelector>()->name, "");
  EXPECT_EQ(e->As<VectorSelector>()->matchers.size(), 1u);

  e = MustParse(R"({"metric.name", "label.with.dots"="v", 'x'="y"})");
  vs = e->As<VectorSelector>();
  ASSERT_EQ(vs->matchers.size(), 3u);
  EXPECT_EQ(vs->matchers[0].name(), "__name__");
  EXPECT_EQ(vs->matchers[0].value(), "metric.name");
  EXPECT_EQ(vs->matchers[1].name(), "label.with.dots");
  EXPECT_EQ(vs->matchers[2].name(), "x");

  EXPECT_EQ(MustParse("job:rate5m:sum")->As<VectorSelector>()->name, "job:rate5m:sum");
  // Keywords that may name metrics.
  for (std::string_view name :
       {"sum", "min", "offset", "by", "start", "end", "step", "anchored", "and", "fill"}) {
    ExprPtr k = MustParse(name);
    ASSERT_TRUE(k);
    EXPECT_EQ(k->As<VectorSelector>()->name, name);
  }
  EXPECT_EQ(TreeOf("sum(sum)"), "sum(sum)");
  EXPECT_EQ(TreeOf("a + sum"), "(+ a sum)");
  EXPECT_EQ(TreeOf(R"(foo{NaN='bc', on="x", bool="y"})"), R"(foo{NaN="bc", on="x", bool="y"})");
}

TEST(ParserTest, RangesOffsetsAndAt) {
  auto ms = [](std::string_view in) {
    ExprPtr e = MustParse(in);
    EXPECT_TRUE(e && e->As<MatrixSelector>()) << in;
    return e;
  };
  EXPECT_EQ(ms("foo[1h30m]")->As<MatrixSelector>()->range, Duration(5400000));
  EXPECT_EQ(ms("foo[1ms]")->As<MatrixSelector>()->range, Duration(1));
  EXPECT_EQ(ms("foo[1y]")->As<MatrixSelector>()->range, Duration(365LL * 86400000));
  EXPECT_EQ(ms("foo[1w]")->As<MatrixSelector>()->range, Duration(7LL * 86400000));
  EXPECT_EQ(ms("foo[100]")->As<MatrixSelector>()->range, Duration(100000));  // seconds
  EXPECT_EQ(ms("foo[4.18]")->As<MatrixSelector>()->range, Duration(4180));

  ExprPtr e = MustParse("foo offset -5m");
  EXPECT_EQ(e->As<VectorSelector>()->offset, Duration(-300000));
  e = MustParse("foo OFFSET 1m30ms");
  EXPECT_EQ(e->As<VectorSelector>()->offset, Duration(60030));
  e = MustParse("foo offset 50");
  EXPECT_EQ(e->As<VectorSelector>()->offset, Duration(50000));
  e = MustParse("rate(foo[5m] offset -1w)");
  EXPECT_EQ(e->As<Call>()->args[0]->As<MatrixSelector>()->selector->offset,
            Duration(-7LL * 86400000));

  auto at = [](std::string_view in) {
    ExprPtr e = MustParse(in);
    return e->As<VectorSelector>()->at;
  };
  EXPECT_EQ(at("foo @ 1.234").timestamp_ms, 1234);
  EXPECT_EQ(at("foo @ 3.3335").timestamp_ms, 3334);
  EXPECT_EQ(at("foo @ -100").timestamp_ms, -100000);
  EXPECT_EQ(at("foo @ 0xA").timestamp_ms, 10000);
  EXPECT_EQ(at("foo @ 1m40s").timestamp_ms, 100000);
  EXPECT_EQ(at("foo @ start()").kind, AtModifier::Kind::kStart);
  EXPECT_EQ(at("foo @ END()").kind, AtModifier::Kind::kEnd);

  e = MustParse("foo @ 100 offset 50s");
  EXPECT_EQ(e->As<VectorSelector>()->offset, Duration(50000));
  e = MustParse("foo offset 50 @ 100");
  EXPECT_EQ(e->As<VectorSelector>()->at.timestamp_ms, 100000);
  e = MustParse("foo[5m] @ 100 offset 1m");
  EXPECT_EQ(e->As<MatrixSelector>()->selector->at.timestamp_ms, 100000);
}

TEST(ParserTest, Subqueries) {
  ExprPtr e = MustParse("foo[5m:1m]");
  auto* sq = e->As<SubqueryExpr>();
  ASSERT_NE(sq, nullptr);
  EXPECT_EQ(sq->range, Duration(300000));
  EXPECT_EQ(sq->step, Duration(60000));
  e = MustParse("foo[5m:]");
  EXPECT_EQ(e->As<SubqueryExpr>()->step, Duration(0));
  e = MustParse("rate(foo[5m])[30m:1m]");
  ASSERT_TRUE(e->As<SubqueryExpr>());
  EXPECT_EQ(e->As<SubqueryExpr>()->expr->As<Call>()->func->name, "rate");
  e = MustParse("min_over_time(rate(foo[2s])[5m:] offset 4m)[4m:3s] @ end()");
  sq = e->As<SubqueryExpr>();
  EXPECT_EQ(sq->at.kind, AtModifier::Kind::kEnd);
  auto* inner = sq->expr->As<Call>()->args[0]->As<SubqueryExpr>();
  EXPECT_EQ(inner->offset, Duration(240000));
  e = MustParse("some_metric OFFSET 1m [10m:5s]");
  EXPECT_EQ(e->As<SubqueryExpr>()->expr->As<VectorSelector>()->offset, Duration(60000));
  EXPECT_EQ(e->type(), ValueType::kMatrix);
}

TEST(ParserTest, Aggregations) {
  for (std::string_view op : {"sum", "avg", "min", "max", "count", "group", "stddev", "stdvar"}) {
    for (std::string_view form : {"{0}(x)", "{0} by (a, b) (x)", "{0} (x) by (a,b,)",
                                  "{0} without (a) (x)", "{0}(x) without (a)", "{0} by () (x)"}) {
      std::string q = fmt::format(fmt::runtime(form), op);
      ExprPtr e = MustParse(q);
      ASSERT_TRUE(e && e->As<AggregateExpr>()) << q;
      EXPECT_EQ(AggregateOpName(e->As<AggregateExpr>()->op), op);
    }
  }
  for (std::string_view q :
       {"topk(5, x)", "bottomk by (a) (5, x)", "quantile(0.9, x) by (a)", "count_values(\"v\", x)",
        "limitk(2, x)", "limit_ratio(0.5, x)", "count_values without (a) (\"v\", x)"}) {
    ExprPtr e = MustParse(q);
    ASSERT_TRUE(e && e->As<AggregateExpr>()) << q;
    EXPECT_NE(e->As<AggregateExpr>()->param, nullptr);
  }
  ExprPtr e = MustParse("SUM(x) BY (job)");
  EXPECT_EQ(e->As<AggregateExpr>()->grouping, std::vector<std::string>{"job"});
  e = MustParse("sum without(and, by, avg, count, alert, annotations)(some_metric)");
  EXPECT_TRUE(e->As<AggregateExpr>()->without);
  EXPECT_EQ(e->As<AggregateExpr>()->grouping.size(), 6u);
  e = MustParse(R"(sum by ("foo bar", 'baz')({"some.metric"}))");
  EXPECT_EQ(e->As<AggregateExpr>()->grouping, (std::vector<std::string>{"foo bar", "baz"}));
}

TEST(ParserTest, BinaryMatching) {
  ExprPtr e = MustParse("bar + on(foo) bla / on(baz, buz) group_right(test) blub");
  auto* add = e->As<BinaryExpr>();
  ASSERT_TRUE(add && add->matching);
  EXPECT_TRUE(add->matching->on);
  EXPECT_EQ(add->matching->matching_labels, std::vector<std::string>{"foo"});
  auto* div = add->rhs->As<BinaryExpr>();
  EXPECT_EQ(div->matching->card, Cardinality::kOneToMany);
  EXPECT_EQ(div->matching->include, std::vector<std::string>{"test"});

  e = MustParse("foo * ignoring(a) group_left bar");
  EXPECT_FALSE(e->As<BinaryExpr>()->matching->on);
  EXPECT_EQ(e->As<BinaryExpr>()->matching->card, Cardinality::kManyToOne);
  e = MustParse("foo and on() bar");
  EXPECT_EQ(e->As<BinaryExpr>()->matching->card, Cardinality::kManyToMany);
  EXPECT_TRUE(e->As<BinaryExpr>()->matching->on);
  e = MustParse("foo == bool 1");
  EXPECT_TRUE(e->As<BinaryExpr>()->return_bool);
  EXPECT_FALSE(e->As<BinaryExpr>()->matching.has_value());  // vector/scalar
  EXPECT_EQ(e->type(), ValueType::kVector);
  e = MustParse("1 < bool 2");
  EXPECT_EQ(e->type(), ValueType::kScalar);
  e = MustParse("a + on(job, instance) group_left fill_left(5) fill_right(7) b");
  EXPECT_EQ(*e->As<BinaryExpr>()->matching->fill_left, 5);
  EXPECT_EQ(*e->As<BinaryExpr>()->matching->fill_right, 7);
  e = MustParse("a == bool fill(-Inf) b");
  EXPECT_EQ(*e->As<BinaryExpr>()->matching->fill_left, -INFINITY);
  EXPECT_EQ(TreeOf("other + fill(0) fill"), "(+ other fill)");  // `fill` the metric
  EXPECT_EQ(TreeOf("foo unless on(start) bar"), "(unless foo bar)");
}

TEST(ParserTest, FunctionsAndComments) {
  ExprPtr e = MustParse("time()");
  EXPECT_EQ(e->As<Call>()->func->name, "time");
  EXPECT_EQ(e->type(), ValueType::kScalar);
  e = MustParse("rate (foo[5m])  # per-second rate\n");
  EXPECT_EQ(e->As<Call>()->func->name, "rate");
  e = MustParse("# leading comment\nlabel_join(up, \"dst\", \",\", \"a\", \"b\", \"c\")");
  EXPECT_EQ(e->As<Call>()->args.size(), 6u);
  e = MustParse("round(x)");
  EXPECT_EQ(e->As<Call>()->args.size(), 1u);
  e = MustParse("info(metric, {data=~\".*\"})");
  EXPECT_TRUE(e->As<Call>()->args[1]->As<VectorSelector>()->bypass_empty_matcher_check);
  e = MustParse("histogram_count(hist smoothed)");
  EXPECT_TRUE(e->As<Call>()->args[0]->As<VectorSelector>()->smoothed);
  e = MustParse("increase(metric[1m] anchored)");
  EXPECT_TRUE(e->As<Call>()->args[0]->As<MatrixSelector>()->selector->anchored);
  for (const Function& f : AllFunctions()) {
    EXPECT_EQ(LookupFunction(f.name), &f);
  }
  EXPECT_EQ(LookupFunction("nope"), nullptr);
}

TEST(ParserTest, DurationExpressions) {
  auto range = [](std::string_view in) {
    ExprPtr e = MustParse(in);
    return e->As<Call>()->args[0]->As<MatrixSelector>()->range;
  };
  EXPECT_EQ(range("changes(x[26m+4m])"), Duration(1800000));
  EXPECT_EQ(range("changes(x[60*30])"), Duration(1800000));
  EXPECT_EQ(range("changes(x[2m*(10+5)])"), Duration(1800000));
  EXPECT_EQ(range("changes(x[24m+((1.5*2m)+2m)])"), Duration(1740000));
  EXPECT_EQ(range("changes(x[-5m+35m])"), Duration(1800000));
  EXPECT_EQ(range("changes(x[1h30m % 1h])"), Duration(1800000));
  EXPECT_EQ(range("changes(x[30m1s-30m1s % 1m])"), Duration(1800000));

  ExprPtr e = MustParse("count_over_time(x[step()+1ms])");
  auto* m = e->As<Call>()->args[0]->As<MatrixSelector>();
  ASSERT_NE(m->range_expr, nullptr);
  Result<Duration> d = EvaluateDurationExpr(*m->range_expr, Duration(10000), Duration(0));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, Duration(10001));
  e = MustParse("count_over_time(x[max_of(min_of(step()+1,1h),1ms)])");
  d = EvaluateDurationExpr(*e->As<Call>()->args[0]->As<MatrixSelector>()->range_expr,
                           Duration(5000), Duration(0));
  EXPECT_EQ(*d, Duration(6000));

  e = MustParse("x offset -(20*(((((8 - 2) / 3) * 7s) % 4) + 8000ms))");
  EXPECT_EQ(e->As<VectorSelector>()->offset, Duration(-200000));
  EXPECT_EQ(TreeOf("x offset -step()*2"), "(* x offset -step() 2)");
  EXPECT_EQ(TreeOf("x offset STEP()"), "x offset step()");
  e = MustParse("sum_over_time(x[29s+1s:5s+5s])");
  EXPECT_EQ(e->As<Call>()->args[0]->As<SubqueryExpr>()->step, Duration(10000));
  EXPECT_EQ(MustParse("step()")->type(), ValueType::kScalar);
}

TEST(ParserTest, PositionsCoverTheSource) {
  ExprPtr e = MustParse(" +some_metric");
  EXPECT_EQ(e->pos.start, 1);
  EXPECT_EQ(e->As<UnaryExpr>()->expr->pos.start, 2);
  EXPECT_EQ(e->As<UnaryExpr>()->expr->pos.end, 13);
  e = MustParse("foo offset 5m");
  EXPECT_EQ(e->pos.end, 13);
  e = MustParse("sum by (foo)(some_metric)");
  EXPECT_EQ(e->pos.start, 0);
  EXPECT_EQ(e->pos.end, 25);
  EXPECT_EQ(e->As<AggregateExpr>()->expr->pos.start, 13);
}

}  // namespace
}  // namespace hw::promql
