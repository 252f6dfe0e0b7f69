#include "collect/process.h"

#include <ctime>

#include <gtest/gtest.h>

namespace hw::collect {
namespace {

TEST(ProcessTest, ReadsPlausibleStats) {
  ProcessStats s = ReadProcessStats();
  EXPECT_GT(s.rss_bytes, 1u << 20);
  EXPECT_GE(s.virtual_bytes, s.rss_bytes);
  EXPECT_GE(s.open_fds, 3u);  // stdin, stdout, stderr at least
  EXPECT_GT(s.max_fds, s.open_fds);
  EXPECT_GE(s.threads, 1u);
  double now = static_cast<double>(std::time(nullptr));
  EXPECT_NEAR(s.start_time_seconds, now, 600);
}

TEST(ProcessTest, ExportsProcessMetrics) {
  metrics::Registry r;
  RegisterProcessMetrics(r);
  std::string text = r.Render();
  for (const char* name : {"process_resident_memory_bytes ", "process_cpu_seconds_total ",
                           "process_open_fds ", "process_start_time_seconds "}) {
    EXPECT_NE(text.find(std::string("\n") + name), std::string::npos) << name;
  }
  EXPECT_NE(text.find("# TYPE process_cpu_seconds_total counter"), std::string::npos);
}

}  // namespace
}  // namespace hw::collect
