#include "scrape/text_parser.h"

#include <cmath>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "model/sample.h"
#include "scrape/exposition_test_util.h"

namespace hw::scrape {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::ParseAndRender;

struct ValidCase {
  const char* name;
  std::string_view input;
  std::string_view want;  // Render() of the samples
};

const ValidCase kValid[] = {
    {"plain", "foo 1\n", "foo 1"},
    {"no final newline", "foo 1", "foo 1"},
    {"blank lines and comments", "\n# a comment\n  \n#\nfoo 1\n\t\n", "foo 1"},
    {"labels", "foo{a=\"b\",c=\"d\"} 2\n", "foo{a=\"b\", c=\"d\"} 2"},
    {"empty label set", "foo{} 1\n", "foo 1"},
    {"trailing comma", "foo{a=\"b\",} 1\n", "foo{a=\"b\"} 1"},
    {"blanks between all tokens", "  foo { a = \"b\" , c=\"d\" , }\t 3 \t 1000  \n",
     "foo{a=\"b\", c=\"d\"} 3 @1000"},
    {"value right after brace", "foo{a=\"b\"}1\n", "foo{a=\"b\"} 1"},
    {"label value escapes", "foo{a=\"x\\\\y\\\"z\\nw\"} 1\n", "foo{a=\"x\\\\y\\\"z\\nw\"} 1"},
    {"unknown escape kept as written", "foo{a=\"x\\ty\"} 1\n", "foo{a=\"x\\\\ty\"} 1"},
    {"hash and brace inside a value", "foo{a=\"#}{,=\"} 1 # {t=\"1\"} 2\n",
     "foo{a=\"#}{,=\"} 1 # {t=\"1\"} 2"},
    {"utf-8 label value", "foo{a=\"ünïcödé ✓\"} 1\n", "foo{a=\"ünïcödé ✓\"} 1"},
    {"empty label value drops the label", "foo{a=\"\",b=\"c\"} 1\n", "foo{b=\"c\"} 1"},
    {"timestamp", "foo 1 1700000000000\n", "foo 1 @1700000000000"},
    {"negative timestamp", "foo 1 -5\n", "foo 1 @-5"},
    {"tabs", "foo\t1\t2\n", "foo 1 @2"},
    {"crlf line endings", "# TYPE foo gauge\r\nfoo 1\r\nbar 2 3\r\n", "foo 1\nbar 2 @3"},
    {"special values",
     "a NaN\nb nan\nc +Inf\nd -Inf\ne inf\nf Infinity\ng -infinity\nh +inf\n",
     "a nan\nb nan\nc inf\nd -inf\ne inf\nf inf\ng -inf\nh inf"},
    {"go float forms", "a 1e3\nb .5\nc 5.\nd -0\ne 0x1p-2\nf +3\ng 1E-2\nh 0X1.8P1\ni 0x_1p0\n",
     "a 1000\nb 0.5\nc 5\nd -0\ne 0.25\nf 3\ng 0.01\nh 3\ni 1"},
    {"underflow is zero, as in Go", "a 1e-400\n", "a 0"},
    {"utf-8 quoted metric name", "{\"my.metric\",a=\"b\"} 1\n", "{\"my.metric\", a=\"b\"} 1"},
    {"quoted name not first", "{a=\"b\", \"my.metric\"} 1\n", "{\"my.metric\", a=\"b\"} 1"},
    {"quoted label name", "foo{\"a.b\"=\"c\"} 1\n", "foo{\"a.b\"=\"c\"} 1"},
    {"escaped quoted name", "{\"a\\\"b\"} 1\n", "{\"a\\\"b\"} 1"},
    {"exemplar kept", "foo_total 1 # {trace_id=\"x\"} 1 1.5\n",
     "foo_total 1 # {trace_id=\"x\"} 1 @1500"},
    {"exemplar after timestamp", "foo 1 10 # {a=\"b\"} 2\n", "foo 1 @10 # {a=\"b\"} 2"},
    {"malformed exemplar ignored", "foo 1 # not an exemplar\nbar 2 5 #\n", "foo 1\nbar 2 @5"},
    {"histogram",
     "# TYPE h histogram\nh_bucket{le=\"0.1\"} 1\nh_bucket{le=\"+Inf\"} 3\nh_sum 1.5\nh_count 3\n",
     "h_bucket{le=\"0.1\"} 1\nh_bucket{le=\"+Inf\"} 3\nh_sum 1.5\nh_count 3"},
    {"summary",
     "# TYPE s summary\ns{quantile=\"0.5\"} 0.2\ns{quantile=\"0.99\"} NaN\ns_sum 9\ns_count 4\n",
     "s{quantile=\"0.5\"} 0.2\ns{quantile=\"0.99\"} nan\ns_sum 9\ns_count 4"},
    {"untyped and help anywhere", "foo 1\n# HELP foo later help\n# TYPE bar untyped\nbar 2\n",
     "foo 1\nbar 2"},
    {"hash without blank before HELP", "#HELP foo help\n#  TYPE foo gauge\nfoo 1\n", "foo 1"},
    {"HELPER is a comment", "# HELPER foo\n# TYPE\n# HELP\nfoo 1\n", "foo 1"},
    {"colons in names", "job:rate:5m{a=\"b\"} 1\n", "job:rate:5m{a=\"b\"} 1"},
    {"same metric name different labels", "foo{a=\"1\"} 1\nfoo{a=\"2\"} 2\n",
     "foo{a=\"1\"} 1\nfoo{a=\"2\"} 2"},
};

TEST(TextParserTest, ValidInputs) {
  for (const ValidCase& c : kValid) {
    EXPECT_EQ(ParseAndRender(c.input, Format::kPrometheusText), c.want) << c.name;
  }
}

struct InvalidCase {
  std::string_view input;
  int line;
  std::string_view what;  // expected in the message
};

const InvalidCase kInvalid[] = {
    {"foo\n", 1, "missing value"},
    {"foo 1\nbar\n", 2, "missing value"},
    {"\n\n  foo{a=\"b\"} \n", 3, "missing value"},
    {"foo{a=\"b\" 1\n", 1, "expected ',' or '}'"},
    {"foo{a=\"b\"\n", 1, "unterminated label set"},
    {"foo{a=\"b\n", 1, "unterminated quoted string"},
    {"foo{a=b} 1\n", 1, "expected a quoted value for label \"a\""},
    {"foo{a} 1\n", 1, "expected '=' after label name \"a\""},
    {"foo{1a=\"b\"} 1\n", 1, "expected a label name"},
    {"foo{,} 1\n", 1, "expected a label name"},
    {"x 1\nfoo{a=\"b\",a=\"c\"} 1\n", 2, "duplicate label name \"a\""},
    {"foo{__name__=\"bar\"} 1\n", 1, "label __name__ is reserved"},
    {"foo 1 abc\n", 1, "invalid timestamp \"abc\""},
    {"foo 1 1.5\n", 1, "invalid timestamp \"1.5\""},
    {"foo 1 99999999999999999999\n", 1, "invalid timestamp"},
    {"foo abc\n", 1, "invalid value \"abc\""},
    {"foo 1e400\n", 1, "invalid value \"1e400\""},
    {"foo -nan\n", 1, "invalid value"},
    {"foo +NaN\n", 1, "invalid value"},
    {"foo infin\n", 1, "invalid value"},
    {"foo 0x1\n", 1, "invalid value"},
    {"foo 1_000\n", 1, "invalid value"},
    {"foo 1 2 3\n", 1, "unexpected \"3\" after timestamp"},
    {"foo 1{\n", 1, "unexpected '{' after value"},
    {"foo{}{} 1\n", 1, "unexpected \"{\""},
    {"foo 1\rbar\n", 1, "invalid value"},
    {"foo.bar 1\n", 1, "invalid metric name"},
    {"1foo 1\n", 1, "expected a metric name or '{'"},
    {"{a=\"b\"} 1\n", 1, "missing metric name"},
    {"foo{\"bar\"} 1\n", 1, "metric name given both"},
    {"{\"a\",\"b\"} 1\n", 1, "metric name given twice"},
    {"foo{a=\"\xff\"} 1\n", 1, "not valid UTF-8"},
    {"# TYPE foo bar\n", 1, "invalid metric type \"bar\""},
    {"# TYPE foo gaugehistogram\n", 1, "invalid metric type"},
    {"# TYPE foo\n", 1, "missing metric type"},
    {"# TYPE foo counter\n# TYPE foo gauge\n", 2, "second TYPE line for metric \"foo\""},
    {"# HELP foo a\n# HELP foo b\n", 2, "second HELP line for metric \"foo\""},
    {"foo 1\n# TYPE foo gauge\n", 2, "TYPE line for metric \"foo\" after samples"},
    {"foo_bucket{le=\"1\"} 1\n# TYPE foo histogram\n", 2, "after samples of \"foo_bucket\""},
    {"# HELP foo \xff\n", 1, "help text is not valid UTF-8"},
    {"# HELP 1foo x\n", 1, "expected a metric name after HELP"},
    {"# TYPE foo.bar gauge\n", 1, "invalid metric name"},
};

TEST(TextParserTest, InvalidInputsNameTheLine) {
  for (const InvalidCase& c : kInvalid) {
    Result<ParsedScrape> r = ParseAll(c.input, Format::kPrometheusText);
    ASSERT_FALSE(r.ok()) << c.input;
    EXPECT_EQ(r.status().code(), StatusCode::kBadData);
    EXPECT_THAT(r.status().message(), StartsWith(fmt::format("line {}: ", c.line))) << c.input;
    EXPECT_THAT(r.status().message(), HasSubstr(c.what)) << c.input;
  }
}

TEST(TextParserTest, ErrorQuotesTheLineTruncated) {
  std::string line = "foo{a=\"" + std::string(300, 'x') + "\"} oops\n";
  Result<ParsedScrape> r = ParseAll(line, Format::kPrometheusText);
  ASSERT_FALSE(r.ok());
  const std::string& m = r.status().message();
  EXPECT_THAT(m, StartsWith("line 1: invalid value \"oops\": \"foo{a=\\\"xxx"));
  EXPECT_THAT(m, ::testing::EndsWith("xxx\"..."));
  EXPECT_LT(m.size(), 300u);
}

TEST(TextParserTest, MetadataAndHelpEscapes) {
  Result<ParsedScrape> r = ParseAll(
      "# HELP foo a\\\\b\\nc \\\"q\\\" \\t\n# TYPE foo counter\nfoo 1\n"
      "# HELP bar  two blanks\n# TYPE bar untyped\n# HELP baz\n",
      Format::kPrometheusText);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const MetricMetadata* foo = r->metadata.Find("foo");
  ASSERT_NE(foo, nullptr);
  EXPECT_EQ(foo->type, MetricType::kCounter);
  EXPECT_EQ(foo->help, "a\\b\nc \\\"q\\\" \\t");  // only \\ and \n are escapes here
  EXPECT_EQ(r->metadata.Find("bar")->help, " two blanks");  // one blank separates
  EXPECT_EQ(r->metadata.Find("bar")->type, MetricType::kUnknown);
  EXPECT_EQ(r->metadata.Find("baz")->help, "");
  EXPECT_EQ(r->lines, 6u);
}

TEST(TextParserTest, StreamingEntriesAreZeroCopyUnlessEscaped) {
  std::string body = "# comment\n# HELP up Up.\n# TYPE up gauge\nup{job=\"a\",x=\"q\\\"\"} 1 7\n";
  TextParser p(body);
  std::vector<Entry> kinds;
  while (true) {
    Result<Entry> e = p.Next();
    ASSERT_TRUE(e.ok()) << e.status().message();
    kinds.push_back(*e);
    if (*e == Entry::kComment) {
      EXPECT_EQ(p.comment(), " comment");
    }
    if (*e == Entry::kSample) {
      const SampleView& s = p.sample();
      EXPECT_EQ(s.name, "up");
      EXPECT_EQ(s.family, "up");
      EXPECT_EQ(s.type, MetricType::kGauge);
      ASSERT_EQ(s.labels.size(), 2u);
      // "a" has no escape: a view into the body; "q\"" was decoded elsewhere.
      EXPECT_GE(s.labels[0].value.data(), body.data());
      EXPECT_LT(s.labels[0].value.data(), body.data() + body.size());
      EXPECT_EQ(s.labels[1].value, "q\"");
      EXPECT_FALSE(s.labels[1].value.data() >= body.data() &&
                   s.labels[1].value.data() < body.data() + body.size());
      EXPECT_EQ(s.timestamp_ms, 7);
      EXPECT_FALSE(s.created);
      EXPECT_EQ(p.line_number(), 4u);
    }
    if (*e == Entry::kEof) break;
  }
  EXPECT_EQ(kinds, (std::vector<Entry>{Entry::kComment, Entry::kHelp, Entry::kType,
                                       Entry::kSample, Entry::kEof}));
  EXPECT_EQ(*p.Next(), Entry::kEof);  // stays at the end
  p.Reset("bad\n");
  Result<Entry> e = p.Next();
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(p.Next().status().message(), e.status().message());  // the error sticks
}

TEST(TextParserTest, StaleMarkerIsNeverProduced) {
  Result<ParsedScrape> r = ParseAll("a NaN\n", Format::kPrometheusText);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::isnan(r->samples[0].value));
  EXPECT_FALSE(model::IsStaleNaN(r->samples[0].value));
}

TEST(TextParserTest, HistogramFamilyTracking) {
  TextParser p("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_total 1\n");
  std::vector<std::pair<std::string, MetricType>> fams;
  for (Result<Entry> e = p.Next(); e.ok() && *e != Entry::kEof; e = p.Next()) {
    if (*e == Entry::kSample) fams.emplace_back(p.sample().family, p.sample().type);
  }
  EXPECT_EQ(fams, (std::vector<std::pair<std::string, MetricType>>{
                      {"h", MetricType::kHistogram},
                      {"h", MetricType::kHistogram},
                      {"h_total", MetricType::kUnknown}}));
}

}  // namespace
}  // namespace hw::scrape
