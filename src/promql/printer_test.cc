// Printing: canonical one-line form, Go-style numbers, multi-line Prettify, and
// round-trips (Parse(Format(e)) equals e).
#include "promql/printer.h"

#include <gtest/gtest.h>

#include <cmath>

#include "promql/parser.h"

namespace hw::promql {
namespace {

std::string Canonical(std::string_view input) {
  Result<ExprPtr> e = ParseExpr(input, ParseOptions::AllEnabled());
  if (!e.ok()) return e.status().message();
  return Format(**e);
}

TEST(PrinterTest, CanonicalForms) {
  const std::pair<std::string_view, std::string_view> kCases[] = {
      {"sum by(job)(rate(http_requests_total{code=~\"5..\"}[5m]))",
       "sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m]))"},
      {"SUM(x) BY (job)", "sum by (job) (x)"},
      {"sum(x) without (a,b)", "sum without (a, b) (x)"},
      {"sum without () (x)", "sum without () (x)"},
      {"sum by () (x)", "sum(x)"},
      {"topk by (a) (5, x)", "topk by (a) (5, x)"},
      {"count_values('v', x)", "count_values(\"v\", x)"},
      {"a+on(x,y)group_left(z)b", "a + on (x, y) group_left (z) b"},
      {"a * ignoring(x) group_right b", "a * ignoring (x) group_right b"},
      {"a * on(x) group_left() (b)", "a * on (x) group_left () (b)"},
      {"a and on() b", "a and on () b"},
      {"a > bool 1", "a > bool 1"},
      {"a + fill(0) b", "a + fill(0) b"},
      {"a + fill_left(1) fill_right(NaN) b", "a + fill_left(1) fill_right(NaN) b"},
      {"foo offset 5m @ 100", "foo @ 100.000 offset 5m"},
      {"foo @ start() offset -1h30m", "foo @ start() offset -1h30m"},
      {"foo[5m] offset 1w", "foo[5m] offset 1w"},
      {"foo offset 90", "foo offset 1m30s"},
      {"foo[100]", "foo[1m40s]"},
      {"foo[5m:]", "foo[5m:]"},
      {"rate(foo[5m])[30m:1m] @ end()", "rate(foo[5m])[30m:1m] @ end()"},
      {"{__name__=\"foo.bar\", \"a.b\"=\"c\"}", "{\"foo.bar\", \"a.b\"=\"c\"}"},
      {"{__name__=~\"job:.*\"}", "{__name__=~\"job:.*\"}"},
      {"{__name__=\"up\"}", "{__name__=\"up\"}"},
      {"sum by (\"service.name\") (x)", "sum by (\"service.name\") (x)"},
      {"'a\\'b\\n'", "\"a'b\\n\""},
      {"`a\\b`", "\"a\\\\b\""},
      {"0x1F", "31"},
      {"1e6", "1e+06"},
      {"123456", "123456"},
      {"0.0001", "0.0001"},
      {"0.00001", "1e-05"},
      {"-Inf", "-Inf"},
      {"5m", "5m"},
      {"-5m", "-5m"},
      {"- -foo", "--foo"},
      {"-(1 + 2)", "-(1 + 2)"},
      {"1 - -1", "1 - -1"},
      {"x[5m+step()]", "x[5m + step()]"},
      {"x offset -(1h/2)", "x offset -(1h / 2)"},
      {"increase(x[1m] anchored)", "increase(x[1m] anchored)"},
      {"x @ 100 smoothed", "x @ 100.000 smoothed"},
  };
  for (const auto& [in, want] : kCases) EXPECT_EQ(Canonical(in), want) << in;
}

TEST(PrinterTest, FormatNumberMatchesGo) {
  EXPECT_EQ(FormatNumber(1), "1");
  EXPECT_EQ(FormatNumber(-2.5), "-2.5");
  EXPECT_EQ(FormatNumber(1e6), "1e+06");
  EXPECT_EQ(FormatNumber(1234567), "1.234567e+06");
  EXPECT_EQ(FormatNumber(1.5e-7), "1.5e-07");
  EXPECT_EQ(FormatNumber(1e100), "1e+100");
  EXPECT_EQ(FormatNumber(0.1), "0.1");
  EXPECT_EQ(FormatNumber(INFINITY), "+Inf");
  EXPECT_EQ(FormatNumber(NAN), "NaN");
}

TEST(PrinterTest, RoundTrips) {
  for (std::string_view q :
       {"sum by (a) (rate(x{b=\"c\"}[5m] offset 1m)) / on (a) group_left sum by (a) (y)",
        "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))",
        "label_replace(up, \"dst\", \"$1\", \"src\", \"(.*)\")", "-x ^ 2 ^ -y",
        "(a or b) and c unless d", "1 < bool 2 == bool 3",
        "max_over_time((a - b)[1h:1m] @ 123.456 offset -5m)", "x * on (a) group_left () (y)",
        "{\"my.metric\", \"ü\"=\"✓\"}", "sort_by_label(x, \"a\", \"b\")", "foo offset 5m[10m:]",
        "a atan2 b",
        // Regressions found by fuzzing.
        "inf^yy", "x[++4]", "0x1F + +2ms - 22 ^ 00 ^ 4001ms"}) {
    Result<ExprPtr> e = ParseExpr(q, ParseOptions::AllEnabled());
    ASSERT_TRUE(e.ok()) << q << ": " << e.status().message();
    std::string printed = Format(**e);
    Result<ExprPtr> again = ParseExpr(printed, ParseOptions::AllEnabled());
    ASSERT_TRUE(again.ok()) << printed << ": " << again.status().message();
    EXPECT_TRUE(Equal(**e, **again)) << q << " printed as " << printed;
    EXPECT_EQ(Format(**again), printed);
  }
}

TEST(PrinterTest, PrettifySplitsLongExpressions) {
  std::string q =
      "sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{namespace=\"prod\", "
      "container!=\"\"}[5m])) / on (namespace, pod) group_left sum by (namespace, pod) "
      "(kube_pod_container_resource_requests{resource=\"cpu\"})";
  Result<ExprPtr> e = ParseExpr(q);
  ASSERT_TRUE(e.ok());
  std::string pretty = Prettify(**e);
  EXPECT_EQ(pretty,
            "sum by (namespace, pod) (\n"
            "  rate(container_cpu_usage_seconds_total{namespace=\"prod\", container!=\"\"}[5m])\n"
            ")\n"
            "/ on (namespace, pod) group_left\n"
            "sum by (namespace, pod) (kube_pod_container_resource_requests{resource=\"cpu\"})");
  Result<ExprPtr> again = ParseExpr(pretty);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_TRUE(Equal(**e, **again));
  EXPECT_EQ(Prettify(**ParseExpr("up")), "up");
}

}  // namespace
}  // namespace hw::promql
