#include "scrape/openmetrics_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scrape/exposition_test_util.h"

namespace hw::scrape {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::ParseAndRender;

struct ValidCase {
  const char* name;
  std::string_view input;
  std::string_view want;
};

const ValidCase kValid[] = {
    {"untyped sample", "foo 1\n# EOF\n", "foo 1"},
    {"eof without newline", "foo 1\n# EOF", "foo 1"},
    {"only eof", "# EOF\n", ""},
    {"counter, created skipped",
     "# TYPE c counter\nc_total{a=\"b\"} 3\nc_created{a=\"b\"} 1700000000.5\n# EOF\n",
     "c_total{a=\"b\"} 3"},
    {"float timestamps", "a 1 1520879607.789\nb 1 1520879607\nc 1 -1.5\n# EOF\n",
     "a 1 @1520879607789\nb 1 @1520879607000\nc 1 @-1500"},
    {"exemplars",
     "# TYPE c counter\nc_total 5 # {trace_id=\"abc\"} 1 1520879607.7\n"
     "# TYPE h histogram\nh_bucket{le=\"1\"} 1 # {} 0.5\nh_bucket{le=\"+Inf\"} 2 123 # "
     "{a=\"b\",c=\"d\"} 2\nh_count 2\nh_sum 2.5\n# EOF\n",
     "c_total 5 # {trace_id=\"abc\"} 1 @1520879607700\nh_bucket{le=\"1\"} 1 # {} 0.5\n"
     "h_bucket{le=\"+Inf\"} 2 @123000 # {a=\"b\", c=\"d\"} 2\nh_count 2\nh_sum 2.5"},
    {"summary", "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum 2\ns_count 3\n# EOF\n",
     "s{quantile=\"0.5\"} 1\ns_sum 2\ns_count 3"},
    {"gauge histogram",
     "# TYPE g gaugehistogram\ng_bucket{le=\"1\"} 1\ng_bucket{le=\"+Inf\"} 2\ng_gcount 2\n"
     "g_gsum 3\n# EOF\n",
     "g_bucket{le=\"1\"} 1\ng_bucket{le=\"+Inf\"} 2\ng_gcount 2\ng_gsum 3"},
    {"info and stateset",
     "# TYPE i info\ni_info{v=\"1\"} 1\n# TYPE s stateset\ns{s=\"a\"} 1\ns{s=\"b\"} 0\n# EOF\n",
     "i_info{v=\"1\"} 1\ns{s=\"a\"} 1\ns{s=\"b\"} 0"},
    {"unknown type", "# TYPE u unknown\nu 1\n# EOF\n", "u 1"},
    {"special values", "a NaN\nb +Inf\nc -Inf\nd 1.5e3\ne -0.0\n# EOF\n",
     "a nan\nb inf\nc -inf\nd 1500\ne -0"},
    {"escapes", "a{l=\"x\\\\y\\\"z\\nw\"} 1\n# EOF\n", "a{l=\"x\\\\y\\\"z\\nw\"} 1"},
    {"empty labels and trailing comma", "a{} 1\nb{x=\"y\",} 2\n# EOF\n", "a 1\nb{x=\"y\"} 2"},
    {"utf-8 quoted names", "{\"my.metric\",\"a.b\"=\"c\"} 1\n# EOF\n",
     "{\"my.metric\", \"a.b\"=\"c\"} 1"},
    {"quoted family metadata", "# TYPE \"my.gauge\" gauge\n{\"my.gauge\"} 1\n# EOF\n",
     "{\"my.gauge\"} 1"},
    {"metadata without samples", "# HELP a x\n# UNIT a_seconds seconds\n# TYPE b gauge\n# EOF\n",
     ""},
};

TEST(OpenMetricsParserTest, ValidInputs) {
  for (const ValidCase& c : kValid) {
    EXPECT_EQ(ParseAndRender(c.input, Format::kOpenMetrics), c.want) << c.name;
  }
}

struct InvalidCase {
  std::string_view input;
  int line;
  std::string_view what;
};

const InvalidCase kInvalid[] = {
    {"foo 1\n", 2, "missing \"# EOF\""},
    {"", 1, "missing \"# EOF\""},
    {"foo 1", 1, "the last line must be \"# EOF\""},
    {"foo 1\n# EOF\nbar 1\n", 3, "unexpected data after \"# EOF\""},
    {"# EOF\n\n", 2, "unexpected data after \"# EOF\""},
    {"# EOF\n# EOF\n", 2, "unexpected data after \"# EOF\""},
    {"\n# EOF\n", 1, "empty line"},
    {"foo 1\r\n# EOF\n", 1, "carriage return"},
    {"# a comment\n# EOF\n", 1, "invalid comment"},
    {"#TYPE a gauge\n# EOF\n", 1, "invalid comment"},
    {"# EOF \n", 1, "invalid comment"},
    {"foo  1\n# EOF\n", 1, "missing value"},
    {"foo\t1\n# EOF\n", 1, "expected ' ' before the value"},
    {"foo 1 \n# EOF\n", 1, "unexpected ' ' after the value"},
    {"foo{ a=\"b\"} 1\n# EOF\n", 1, "expected a label name"},
    {"foo{a=\"b\" } 1\n# EOF\n", 1, "expected ',' or '}'"},
    {"foo {a=\"b\"} 1\n# EOF\n", 1, "invalid value"},
    {"# TYPE foo counter\nfoo 1\n# EOF\n", 2, "counter sample \"foo\" must end in one of"},
    {"# TYPE foo histogram\nfoo 1\n# EOF\n", 2, "histogram sample"},
    {"# TYPE foo info\nfoo 1\n# EOF\n", 2, "_info"},
    {"# TYPE foo counter\nfoo_total 1\n# TYPE foo counter\n# EOF\n", 3,
     "TYPE line for metric family \"foo\" after its samples"},
    {"# TYPE foo gauge\nfoo 1\n# HELP foo x\n# EOF\n", 3, "HELP line for metric family \"foo\" after"},
    {"foo_total 1\n# TYPE foo counter\n# EOF\n", 2, "after samples of \"foo_total\""},
    {"# TYPE foo gauge\n# TYPE foo gauge\n# EOF\n", 2, "second TYPE line"},
    {"# HELP foo a\n# HELP foo b\n# EOF\n", 2, "second HELP line"},
    {"# UNIT foo_seconds seconds\n# UNIT foo_seconds seconds\n# EOF\n", 2, "second UNIT line"},
    {"# UNIT foo_seconds s\n# EOF\n", 1, "unit \"s\" is not a suffix"},
    {"# UNIT foo_seconds bytes\n# EOF\n", 1, "unit \"bytes\" is not a suffix"},
    {"# UNIT seconds seconds\n# EOF\n", 1, "is not a suffix"},
    {"# UNIT foo_x x.y\n# EOF\n", 1, "invalid unit"},
    {"# TYPE foo untyped\n# EOF\n", 1, "invalid metric type \"untyped\""},
    {"# TYPE foo  gauge\n# EOF\n", 1, "invalid metric type \" gauge\""},
    {"# TYPE foo\n# EOF\n", 1, "invalid metric type \"\""},
    {"a 1\nb 1\na 2\n# EOF\n", 3, "metric family \"a\" seen twice"},
    {"# TYPE h histogram\nh_bucket 1\n# EOF\n", 2, "without an \"le\" label"},
    {"# TYPE s summary\ns 1\n# EOF\n", 2, "without a \"quantile\" label"},
    {"foo 0x1p3\n# EOF\n", 1, "invalid value"},
    {"foo 1_0\n# EOF\n", 1, "invalid value"},
    {"foo 1 NaN\n# EOF\n", 1, "invalid timestamp \"NaN\""},
    {"foo 1 +Inf\n# EOF\n", 1, "invalid timestamp"},
    {"foo 1 1e300\n# EOF\n", 1, "invalid timestamp"},
    {"foo 1 2 3\n# EOF\n", 1, "unexpected \"3\" after timestamp"},
    {"foo 1 # {a=\"b\"}\n# EOF\n", 1, "invalid exemplar: missing value"},
    {"foo 1 # {a=\"b\"} x\n# EOF\n", 1, "invalid exemplar value"},
    {"foo 1 # {a=\"b\"} 1 2 3\n# EOF\n", 1, "after exemplar"},
    {"foo 1 # {a=\"b\"} 1 NaN\n# EOF\n", 1, "invalid exemplar timestamp"},
    {"foo 1 #{a=\"b\"} 1\n# EOF\n", 1, "invalid exemplar"},
    {"foo 1 # a\n# EOF\n", 1, "invalid exemplar"},
    {"foo 1 # {\"x\"} 1\n# EOF\n", 1, "metric name is not allowed in an exemplar"},
    {"foo 1 # {a=\"1\",a=\"2\"} 1\n# EOF\n", 1, "duplicate label name"},
    {"foo{a=\"b\\tc\"} 1\n# EOF\n", 1, "invalid escape sequence"},
    {"# HELP foo bad \\t escape\n# EOF\n", 1, "invalid escape sequence"},
    {"# HELP foo trailing \\\n# EOF\n", 1, "lone backslash"},
    {"foo{a=\"1\",a=\"2\"} 1\n# EOF\n", 1, "duplicate label name \"a\""},
    {"foo{a=\"\xc3\"} 1\n# EOF\n", 1, "not valid UTF-8"},
    {"x 1\n{a=\"b\"} 1\n# EOF\n", 2, "missing metric name"},
    {"foo.bar 1\n# EOF\n", 1, "expected ' ' before the value"},
    {"# TYPE 1a gauge\n# EOF\n", 1, "expected a metric family name after TYPE"},
};

TEST(OpenMetricsParserTest, InvalidInputsNameTheLine) {
  for (const InvalidCase& c : kInvalid) {
    Result<ParsedScrape> r = ParseAll(c.input, Format::kOpenMetrics);
    ASSERT_FALSE(r.ok()) << c.input;
    EXPECT_EQ(r.status().code(), StatusCode::kBadData);
    EXPECT_THAT(r.status().message(), StartsWith(fmt::format("line {}: ", c.line))) << c.input;
    EXPECT_THAT(r.status().message(), HasSubstr(c.what)) << c.input;
  }
}

TEST(OpenMetricsParserTest, MetadataKeptPerFamily) {
  Result<ParsedScrape> r = ParseAll(
      "# TYPE rpc_seconds summary\n# UNIT rpc_seconds seconds\n"
      "# HELP rpc_seconds RPC \\\"latency\\\"\\nin \\\\ seconds.\n"
      "rpc_seconds_count 1\n# HELP x\n# EOF\n",
      Format::kOpenMetrics);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const MetricMetadata* m = r->metadata.Find("rpc_seconds");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(*m, (MetricMetadata{MetricType::kSummary, "RPC \"latency\"\nin \\ seconds.",
                                "seconds"}));
  EXPECT_EQ(r->metadata.FindForMetric("rpc_seconds_count"), m);
  EXPECT_EQ(r->metadata.Find("x")->help, "");
  EXPECT_EQ(r->lines, 6u);
}

TEST(OpenMetricsParserTest, CreatedSamplesAreFlagged) {
  std::string body =
      "# TYPE c counter\nc_total 3\nc_created 1700000000.25\n"
      "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\nh_created 1.5\n"
      "# TYPE g gauge\ng_created 4\n# EOF\n";
  OpenMetricsParser p(body);
  std::vector<std::string> created;
  for (Result<Entry> e = p.Next(); e.ok() && *e != Entry::kEof; e = p.Next()) {
    if (*e == Entry::kSample && p.sample().created) {
      created.push_back(fmt::format("{}/{}/{}", p.sample().name, p.sample().family,
                                    CreatedTimestampMs(p.sample())));
    }
  }
  // g_created is its own (untyped) family: gauges have no created timestamp.
  EXPECT_EQ(created, (std::vector<std::string>{"c_created/c/1700000000250", "h_created/h/1500"}));

  ParseOptions keep;
  keep.keep_created = true;
  Result<ParsedScrape> all = ParseAll(body, Format::kOpenMetrics, keep);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->samples.size(), 7u);
  EXPECT_TRUE(all->samples[1].created);
  Result<ParsedScrape> skipped = ParseAll(body, Format::kOpenMetrics);
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(skipped->samples.size(), 5u);
  EXPECT_EQ(skipped->created_skipped, 2u);
}

TEST(OpenMetricsParserTest, ImportRequiresTimestamps) {
  ParseOptions import;
  import.require_timestamps = true;
  EXPECT_TRUE(ParseAll("a 1 1\na 2 2\n# EOF\n", Format::kOpenMetrics, import).ok());
  Result<ParsedScrape> r = ParseAll("a 1 1\nb 2\n# EOF\n", Format::kOpenMetrics, import);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), StartsWith("line 2: sample has no timestamp"));
}

TEST(OpenMetricsParserTest, ExemplarsCanBeDropped) {
  ParseOptions opts;
  opts.keep_exemplars = false;
  EXPECT_EQ(ParseAndRender("a_total 1 # {t=\"x\"} 1\n# EOF\n", Format::kOpenMetrics, opts),
            "a_total 1");
}

}  // namespace
}  // namespace hw::scrape
