#include "scrape/scrape_loop.h"

#include <fstream>

#include <gtest/gtest.h>

#include "scrape/scrape_test_util.h"

namespace hw::scrape {
namespace {

using testing::Dump;
using testing::FakeTarget;

class ScrapeLoopTest : public ::testing::Test {
 protected:
  ScrapeLoopTest() : clock_(1'000'000) {
    cfg_.job_name = "api";
    cfg_.scrape_interval = Duration(15'000);
    cfg_.scrape_timeout = Duration(2'000);
  }

  std::shared_ptr<ScrapeLoop> Loop(std::string address = "") {
    if (address.empty()) address = target_.address();
    Result<std::shared_ptr<const PoolSettings>> settings = PoolSettings::Make(cfg_);
    EXPECT_TRUE(settings.ok()) << settings.status().ToString();
    Result<PopulateResult> t = PopulateTarget(
        cfg_, RelabelRules(), model::Labels::FromPairs({{"__address__", address}}), {});
    EXPECT_TRUE(t.ok() && t->target);
    return std::make_shared<ScrapeLoop>(1, *settings, *t->target, head_, clock_, metrics_);
  }
  // The series' Labels::ToString() with the target's labels; `extra` is one more
  // label as name=value.
  std::string Series(const std::string& name, std::pair<std::string, std::string> extra = {}) {
    model::LabelsBuilder b(model::Labels::FromPairs(
        {{"__name__", name}, {"instance", target_.address()}, {"job", "api"}}));
    if (!extra.first.empty()) b.Set(extra.first, extra.second);
    return b.Build().ToString();
  }
  double Last(const std::string& series) {
    auto d = Dump(head_);
    auto it = d.find(series);
    EXPECT_NE(it, d.end()) << series;
    return it == d.end() || it->second.empty() ? -1 : it->second.back().v;
  }

  FakeTarget target_;
  FakeClock clock_;
  tsdb::Head head_;
  metrics::Registry registry_;
  ScrapeMetrics metrics_ = ScrapeMetrics::Register(&registry_);
  config::ScrapeConfig cfg_;
};

TEST_F(ScrapeLoopTest, CountersGaugesAndHistogramsArriveWithTargetLabels) {
  target_.Set(
      "# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\n"
      "http_requests_total{method=\"get\"} 7\n"
      "# TYPE temp gauge\ntemp -1.5\n"
      "# TYPE lat histogram\nlat_bucket{le=\"0.1\"} 1\nlat_bucket{le=\"+Inf\"} 3\n"
      "lat_sum 0.7\nlat_count 3\n");
  auto loop = Loop();
  loop->ScrapeOnce();
  LoopStatus st = loop->status();
  EXPECT_EQ(st.health, Health::kUp) << st.last_error;
  EXPECT_EQ(st.last_scrape_ms, 1'000'000);
  EXPECT_EQ(Last(Series("http_requests_total", {"method", "get"})), 7);
  EXPECT_EQ(Last(Series("temp")), -1.5);
  EXPECT_EQ(Last(Series("lat_bucket", {"le", "+Inf"})), 3);
  EXPECT_EQ(Last(Series("lat_count")), 3);
  EXPECT_EQ(Last(Series("up")), 1);
  EXPECT_EQ(Last(Series("scrape_samples_scraped")), 6);
  EXPECT_EQ(Last(Series("scrape_samples_post_metric_relabeling")), 6);
  EXPECT_EQ(Last(Series("scrape_series_added")), 6);
  EXPECT_GE(Last(Series("scrape_duration_seconds")), 0);
  EXPECT_EQ(Dump(head_)[Series("temp")][0].t, 1'000'000);
  // Request: Accept header, scrape timeout header.
  EXPECT_NE(target_.last_header("accept").find("application/openmetrics-text"), std::string::npos);
  EXPECT_EQ(target_.last_header("x-prometheus-scrape-timeout-seconds"), "2");
  // Metadata kept from the scrape.
  auto md = loop->Metadata();
  ASSERT_TRUE(md);
  ASSERT_NE(md->Find("http_requests_total"), nullptr);
  EXPECT_EQ(md->Find("http_requests_total")->help, "Requests.");
  EXPECT_EQ(md->Find("lat")->type, MetricType::kHistogram);
}

TEST_F(ScrapeLoopTest, OpenMetricsByContentType) {
  target_.Set("# TYPE c counter\nc_total 5\nc_created 1.7e9\n# EOF\n",
              "application/openmetrics-text; version=1.0.0; charset=utf-8");
  auto loop = Loop();
  loop->ScrapeOnce();
  EXPECT_EQ(loop->status().health, Health::kUp) << loop->status().last_error;
  EXPECT_EQ(Last(Series("c_total")), 5);
  EXPECT_EQ(Last(Series("scrape_samples_scraped")), 1);  // _created skipped
}

TEST_F(ScrapeLoopTest, ExposedTargetLabelsBecomeExported) {
  target_.Set("m{job=\"other\",instance=\"x\",exported_job=\"taken\"} 1\n");
  auto loop = Loop();
  loop->ScrapeOnce();
  auto d = Dump(head_);
  std::string want = "{__name__=\"m\", exported_exported_job=\"other\", exported_instance=\"x\", "
                     "exported_job=\"taken\", instance=\"" + target_.address() + "\", job=\"api\"}";
  EXPECT_TRUE(d.count(want)) << ::testing::PrintToString(d);
}

TEST_F(ScrapeLoopTest, HonorLabelsKeepsExposedValues) {
  cfg_.honor_labels = true;
  target_.Set("m{job=\"other\",instance=\"x\"} 1\nn 2\n");
  auto loop = Loop();
  loop->ScrapeOnce();
  auto d = Dump(head_);
  EXPECT_TRUE(d.count("{__name__=\"m\", instance=\"x\", job=\"other\"}"));
  EXPECT_TRUE(d.count(Series("n")));
}

TEST_F(ScrapeLoopTest, HonorTimestamps) {
  target_.Set("a 1 5000\n");
  auto loop = Loop();
  loop->ScrapeOnce();
  EXPECT_EQ(Dump(head_)[Series("a")][0].t, 5000);
  cfg_.honor_timestamps = false;
  tsdb::Head other;
  auto settings = PoolSettings::Make(cfg_);
  ScrapeLoop l2(2, *settings, loop->target(), other, clock_, metrics_);
  l2.ScrapeOnce();
  EXPECT_EQ(Dump(other)[Series("a")][0].t, 1'000'000);
}

TEST_F(ScrapeLoopTest, SampleLimitFailsTheScrape) {
  cfg_.sample_limit = 2;
  target_.Set("a 1\nb 2\nc 3\n");
  auto loop = Loop();
  loop->ScrapeOnce();
  LoopStatus st = loop->status();
  EXPECT_EQ(st.health, Health::kDown);
  EXPECT_EQ(st.last_error, "sample limit exceeded");
  EXPECT_EQ(Last(Series("up")), 0);
  EXPECT_FALSE(Dump(head_).count(Series("a")));  // nothing of a failed scrape is kept
  EXPECT_EQ(registry_.Render().find("hastewatch_scrape_sample_limit_failures_total{job=\"api\"} 1") !=
                std::string::npos,
            true);
}

TEST_F(ScrapeLoopTest, LabelLimitsFailTheScrape) {
  cfg_.label_value_length_limit = 20;  // instance (127.0.0.1:port) fits
  target_.Set("a{x=\"a-long-value-over-20-bytes\"} 1\n");
  auto loop = Loop();
  loop->ScrapeOnce();
  EXPECT_NE(loop->status().last_error.find("label_value_length_limit exceeded (metric: a, label name: x"),
            std::string::npos)
      << loop->status().last_error;
  EXPECT_EQ(Last(Series("up")), 0);
}

TEST_F(ScrapeLoopTest, BadLineNamesTheLine) {
  target_.Set("a 1\nb{ 2\n");
  auto loop = Loop();
  loop->ScrapeOnce();
  EXPECT_EQ(loop->status().health, Health::kDown);
  EXPECT_NE(loop->status().last_error.find("line 2"), std::string::npos) << loop->status().last_error;
  EXPECT_EQ(Last(Series("up")), 0);
}

TEST_F(ScrapeLoopTest, TimeoutIsContextDeadlineExceeded) {
  cfg_.scrape_timeout = Duration(200);
  target_.Set("a 1\n");
  target_.SetDelay(std::chrono::milliseconds(1500));
  auto loop = Loop();
  loop->ScrapeOnce();
  EXPECT_EQ(loop->status().health, Health::kDown);
  EXPECT_EQ(loop->status().last_error,
            "Get \"http://" + target_.address() + "/metrics\": context deadline exceeded");
  EXPECT_EQ(Last(Series("up")), 0);
}

TEST_F(ScrapeLoopTest, ConnectionRefusedIsDown) {
  auto loop = Loop("127.0.0.1:1");
  loop->ScrapeOnce();
  EXPECT_EQ(loop->status().health, Health::kDown);
  EXPECT_NE(loop->status().last_error.find(
                "Get \"http://127.0.0.1:1/metrics\": dial tcp 127.0.0.1:1: connect: connection refused"),
            std::string::npos)
      << loop->status().last_error;
  auto d = Dump(head_);
  EXPECT_EQ(d["{__name__=\"up\", instance=\"127.0.0.1:1\", job=\"api\"}"].back().v, 0);
}

TEST_F(ScrapeLoopTest, HttpErrorStatusAndUnknownContentType) {
  target_.Set("nope", "text/plain", 503);
  auto loop = Loop();
  loop->ScrapeOnce();
  EXPECT_EQ(loop->status().last_error, "server returned HTTP status 503 Service Unavailable");
  target_.Set("<html>", "text/html");
  clock_.Advance(std::chrono::milliseconds(15'000));
  loop->ScrapeOnce();
  EXPECT_NE(loop->status().last_error.find("text/html"), std::string::npos);
}

TEST_F(ScrapeLoopTest, DisappearingSeriesGetStaleMarkers) {
  target_.Set("a 1\nb 2\nc 3 5000\n");
  auto loop = Loop();
  loop->ScrapeOnce();
  target_.Set("a 1\n");
  clock_.Set(1'015'000);
  loop->ScrapeOnce();
  auto d = Dump(head_);
  ASSERT_EQ(d[Series("b")].size(), 2u);
  EXPECT_TRUE(model::IsStaleNaN(d[Series("b")][1].v));
  EXPECT_EQ(d[Series("b")][1].t, 1'015'000);
  EXPECT_EQ(d[Series("a")].size(), 2u);
  EXPECT_EQ(d[Series("c")].size(), 1u) << "explicit timestamps get no stale marker";
  EXPECT_EQ(Last(Series("scrape_series_added")), 0);

  // A failed scrape marks everything of the previous one stale; up stays a number.
  target_.Set("", "text/plain", 500);
  clock_.Set(1'030'000);
  loop->ScrapeOnce();
  d = Dump(head_);
  EXPECT_TRUE(model::IsStaleNaN(d[Series("a")].back().v));
  EXPECT_EQ(d[Series("up")].back().v, 0);

  // Removing the target marks the report series stale too.
  clock_.Set(1'031'000);
  loop->Finish(/*stale=*/true);
  d = Dump(head_);
  EXPECT_TRUE(model::IsStaleNaN(d[Series("up")].back().v));
  EXPECT_TRUE(model::IsStaleNaN(d[Series("scrape_duration_seconds")].back().v));
  loop->ScrapeOnce();  // stopped: nothing happens
  EXPECT_EQ(loop->status().last_scrape_ms, 1'030'000);
}

TEST_F(ScrapeLoopTest, MetricRelabelingAndAuth) {
  config::RelabelConfig drop;
  drop.action = config::RelabelConfig::Action::kDrop;
  drop.source_labels = {"__name__"};
  drop.regex = "go_.*";
  cfg_.metric_relabel_configs = {drop};
  cfg_.basic_auth = config::BasicAuthConfig{"user", "pass", ""};
  cfg_.params["x"] = {"1"};
  target_.Set("go_goroutines 5\nkeep 1\n");
  auto loop = Loop();
  loop->ScrapeOnce();
  EXPECT_EQ(Last(Series("scrape_samples_scraped")), 2);
  EXPECT_EQ(Last(Series("scrape_samples_post_metric_relabeling")), 1);
  EXPECT_FALSE(Dump(head_).count(Series("go_goroutines")));
  EXPECT_EQ(target_.last_header("authorization"), "Basic dXNlcjpwYXNz");
  EXPECT_EQ(target_.last_target(), "/metrics?x=1");
}

TEST_F(ScrapeLoopTest, BearerTokenFromFile) {
  std::string file = ::testing::TempDir() + "hw-token";
  {
    std::ofstream(file) << "s3cret\n";
  }
  cfg_.authorization = config::AuthorizationConfig{"Bearer", "", file};
  target_.Set("a 1\n");
  auto loop = Loop();
  loop->ScrapeOnce();
  EXPECT_EQ(target_.last_header("authorization"), "Bearer s3cret");
}

}  // namespace
}  // namespace hw::scrape
