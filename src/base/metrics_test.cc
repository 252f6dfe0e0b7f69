#include "base/metrics.h"

#include <gtest/gtest.h>

#include <thread>

namespace hw::metrics {
namespace {

TEST(MetricsTest, RendersTextFormatWithEscapes) {
  Registry r;
  auto& c = r.Counter("http_requests_total", "Requests.\nAll of them.", {"method", "path"});
  c.With("GET", "/a\"b\\c").Inc(2);
  r.Gauge("queue_depth", "Depth.").With().Set(7);
  std::string text = r.Render();
  EXPECT_NE(text.find("# HELP http_requests_total Requests.\\nAll of them.\n"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE http_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("http_requests_total{method=\"GET\",path=\"/a\\\"b\\\\c\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("queue_depth 7\n"), std::string::npos) << text;
}

TEST(MetricsTest, HistogramBucketsAreCumulativeAndUpperInclusive) {
  Registry r;
  auto& h = r.Histogram("d_seconds", "D.", {"m"}, {0.1, 0.5, 1});
  auto& child = h.With("x");
  for (double v : {0.05, 0.1, 0.3, 2.0}) child.Observe(v);
  std::string text = r.Render();
  EXPECT_NE(text.find("d_seconds_bucket{m=\"x\",le=\"0.1\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("d_seconds_bucket{m=\"x\",le=\"0.5\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("d_seconds_bucket{m=\"x\",le=\"1\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("d_seconds_bucket{m=\"x\",le=\"+Inf\"} 4\n"), std::string::npos);
  EXPECT_NE(text.find("d_seconds_sum{m=\"x\"} 2.45\n"), std::string::npos);
  EXPECT_NE(text.find("d_seconds_count{m=\"x\"} 4\n"), std::string::npos);
}

TEST(MetricsTest, ConcurrentIncrementsAreNotLost) {
  Registry r;
  auto& c = r.Counter("n_total", "N.").With();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) c.Inc();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.Value(), 40000);
}

TEST(MetricsTest, CollectorsAreSampledAtRender) {
  Registry r;
  int calls = 0;
  r.AddCollector([&](TextWriter& w) {
    ++calls;
    w.Family("process_open_fds", "gauge", "Open fds.");
    w.Sample("process_open_fds", 12);
  });
  EXPECT_NE(r.Render().find("process_open_fds 12\n"), std::string::npos);
  r.Render();
  EXPECT_EQ(calls, 2);
}

TEST(MetricsTest, RegisteringANameTwiceSharesTheFamily) {
  Registry r;
  r.Counter("x_total", "X.", {"k"}).With("a").Inc();
  r.Counter("x_total", "ignored", {"k"}).With("a").Inc();
  std::string text = r.Render();
  EXPECT_EQ(text.find("# TYPE x_total"), text.rfind("# TYPE x_total")) << text;
  EXPECT_NE(text.find("x_total{k=\"a\"} 2\n"), std::string::npos) << text;
}

TEST(MetricsTest, FormatsFloatsAsPrometheus) {
  EXPECT_EQ(FormatFloat(1), "1");
  EXPECT_EQ(FormatFloat(0.01), "0.01");
  EXPECT_EQ(FormatFloat(1.0 / 0.0), "+Inf");
  EXPECT_EQ(FormatFloat(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(FormatFloat(0.0 / 0.0), "NaN");
}

}  // namespace
}  // namespace hw::metrics
