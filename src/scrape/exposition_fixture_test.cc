// Real-world payloads: node_exporter (Go client), prom-client (Node.js) with custom
// buckets, and client_python's OpenMetrics output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "scrape/exposition_test_util.h"

namespace hw::scrape {
namespace {

using testing::ReadTestdata;

const ParsedSample* FindSample(const ParsedScrape& s, std::string_view series) {
  for (const ParsedSample& p : s.samples) {
    if (p.labels.ToSeriesString() == series) return &p;
  }
  return nullptr;
}

TEST(FixtureTest, NodeExporter) {
  std::string body = ReadTestdata("node_exporter.prom");
  ASSERT_FALSE(body.empty());
  Result<ParsedScrape> r = ParseAll(body, Format::kPrometheusText);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->lines, 341u);
  EXPECT_EQ(r->samples.size(), 199u);
  EXPECT_EQ(r->metadata.size(), 71u);

  const MetricMetadata* cpu = r->metadata.FindForMetric("node_cpu_seconds_total");
  ASSERT_NE(cpu, nullptr);
  EXPECT_EQ(cpu->type, MetricType::kCounter);
  EXPECT_EQ(cpu->help, "Seconds the CPUs spent in each mode.");
  EXPECT_EQ(r->metadata.FindForMetric("go_gc_duration_seconds_count")->type,
            MetricType::kSummary);
  EXPECT_EQ(r->metadata.Find("node_vmstat_oom_kill")->type, MetricType::kUnknown);

  const ParsedSample* q = FindSample(*r, "go_gc_duration_seconds{quantile=\"0.75\"}");
  ASSERT_NE(q, nullptr);
  EXPECT_DOUBLE_EQ(q->value, 6.2712e-05);
  const ParsedSample* fd = FindSample(*r, "node_filefd_maximum");
  ASSERT_NE(fd, nullptr);
  EXPECT_DOUBLE_EQ(fd->value, 9.223372036854776e+18);
  const ParsedSample* uname = FindSample(
      *r,
      "node_uname_info{domainname=\"(none)\", machine=\"x86_64\", nodename=\"web-01\", "
      "release=\"6.1.0-13-amd64\", sysname=\"Linux\", version=\"#1 SMP PREEMPT_DYNAMIC "
      "Debian 6.1.55-1 (2023-09-29)\"}");
  ASSERT_NE(uname, nullptr);
  // ifalias="" is an empty value: the label is dropped from the series.
  EXPECT_NE(FindSample(*r, "node_network_info{address=\"00:00:00:00:00:00\", broadcast=\""
                           "00:00:00:00:00:00\", device=\"lo\", operstate=\"unknown\"}"),
            nullptr);
}

TEST(FixtureTest, PromClientCustomBuckets) {
  std::string body = ReadTestdata("prom_client.prom");
  Result<ParsedScrape> r = ParseAll(body, Format::kPrometheusText);
  ASSERT_TRUE(r.ok()) << r.status().message();
  std::set<std::string> les;
  int buckets = 0;
  for (const ParsedSample& s : r->samples) {
    if (s.labels.MetricName() != "http_request_duration_seconds_bucket") continue;
    ++buckets;
    les.insert(std::string(s.labels.Get("le")));
  }
  EXPECT_EQ(buckets, 50);
  EXPECT_EQ(les, (std::set<std::string>{"0.01", "0.05", "0.1", "0.3", "0.5", "1", "2.5", "5",
                                        "10", "+Inf"}));
  const MetricMetadata* h = r->metadata.FindForMetric("http_request_duration_seconds_sum");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->type, MetricType::kHistogram);
  EXPECT_EQ(h->help,
            "Duration of HTTP requests in seconds, by route\\method (see docs\nfor details).");
  EXPECT_NE(FindSample(*r, "http_requests_total{method=\"GET\", route=\"/search?q=\\\"shoes\\\"\""
                           ", status_code=\"200\"}"),
            nullptr);
  EXPECT_NE(FindSample(*r, "http_requests_total{method=\"GET\", route=\"C:\\\\temp\\\\x\", "
                           "status_code=\"404\"}"),
            nullptr);
  const ParsedSample* p999 = FindSample(
      *r, "payment_provider_latency_seconds{provider=\"stripe\", quantile=\"0.999\"}");
  ASSERT_NE(p999, nullptr);
  EXPECT_DOUBLE_EQ(p999->value, 4.2);
  EXPECT_EQ(r->metadata.Find("nodejs_gc_duration_seconds")->type, MetricType::kHistogram);
}

TEST(FixtureTest, ClientPythonOpenMetrics) {
  std::string body = ReadTestdata("openmetrics_client_python.om.txt");
  ParseOptions keep;
  keep.keep_created = true;
  Result<ParsedScrape> r = ParseAll(body, Format::kOpenMetrics, keep);
  ASSERT_TRUE(r.ok()) << r.status().message();
  int created = 0, exemplars = 0;
  for (const ParsedSample& s : r->samples) {
    created += s.created;
    exemplars += s.exemplar.has_value();
  }
  EXPECT_EQ(created, 4);
  EXPECT_EQ(exemplars, 2);
  EXPECT_EQ(r->metadata.Find("request_latency_seconds")->unit, "seconds");
  EXPECT_EQ(r->metadata.Find("request_latency_seconds")->help,
            "Request latency with \"quotes\", a \\ and a\nnewline.");
  EXPECT_EQ(r->metadata.Find("build")->type, MetricType::kInfo);
  EXPECT_EQ(r->metadata.Find("feature_flags")->type, MetricType::kStateset);
  EXPECT_EQ(r->metadata.Find("queue_size_bytes")->type, MetricType::kGaugeHistogram);
  const ParsedSample* b = FindSample(*r, "request_latency_seconds_bucket{le=\"0.005\"}");
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->exemplar.has_value());
  EXPECT_EQ(b->exemplar->labels.Get("trace_id"), "KOO5S4vxi0o");
  EXPECT_DOUBLE_EQ(b->exemplar->value, 0.0041);
  EXPECT_EQ(b->exemplar->timestamp_ms, 1701639300000);
  const ParsedSample* t = FindSample(*r, "room_temperature_celsius{room=\"lab\"}");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->timestamp_ms, 1701639323123);
  EXPECT_NE(FindSample(*r, "{\"my.dotted.metric\", \"http.route\"=\"/a\"}"), nullptr);

  Result<ParsedScrape> skipped = ParseAll(body, Format::kOpenMetrics);
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(skipped->created_skipped, 4u);
  EXPECT_EQ(skipped->samples.size(), r->samples.size() - 4);
}

TEST(FixtureTest, TextFixturesFailAsOpenMetrics) {
  // A text-format body read as OpenMetrics fails cleanly: text counters are typed under
  // their _total name, which OpenMetrics counters cannot be.
  Result<ParsedScrape> r = ParseAll(ReadTestdata("prom_client.prom"), Format::kOpenMetrics);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(),
              ::testing::StartsWith("line 3: counter sample \"process_cpu_user_seconds_total\" "
                                    "must end in one of: _total, _created"));
  // A gauge-only text body fails on its blank line, and at the end for lack of # EOF.
  EXPECT_THAT(ParseAll("a 1\n\nb 2\n", Format::kOpenMetrics).status().message(),
              ::testing::StartsWith("line 2: empty line"));
  EXPECT_THAT(ParseAll("a 1\nb 2\n", Format::kOpenMetrics).status().message(),
              ::testing::StartsWith("line 3: missing \"# EOF\""));
}

}  // namespace
}  // namespace hw::scrape
