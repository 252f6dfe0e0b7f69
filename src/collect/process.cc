#include "collect/process.h"

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace hw::collect {
namespace {

// Seconds since boot at which this process started, from /proc/self/stat field 22,
// plus the boot time from /proc/stat.
double StartTimeSeconds(std::uint64_t start_ticks) {
  std::ifstream stat("/proc/stat");
  std::string line;
  while (std::getline(stat, line)) {
    if (line.rfind("btime ", 0) == 0) {
      double btime = std::stod(line.substr(6));
      return btime + static_cast<double>(start_ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
    }
  }
  return 0;
}

}  // namespace

ProcessStats ReadProcessStats() {
  ProcessStats s;
  std::ifstream in("/proc/self/stat");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The command name (field 2) may contain spaces; fields resume after the last ')'.
  size_t close = content.rfind(')');
  if (close != std::string::npos) {
    std::istringstream fields(content.substr(close + 2));
    std::string f[64];
    int n = 0;
    while (n < 64 && fields >> f[n]) ++n;
    // After ')': field 3 is index 0. utime=14, stime=15, threads=20, starttime=22,
    // vsize=23, rss=24 (pages), in 1-based /proc numbering.
    if (n > 21) {
      double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
      s.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / ticks;
      s.threads = std::stoull(f[17]);
      s.start_time_seconds = StartTimeSeconds(std::stoull(f[19]));
      s.virtual_bytes = std::stoull(f[20]);
      s.rss_bytes = std::stoull(f[21]) * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
    }
  }
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++s.open_fds;
  }
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) s.max_fds = rl.rlim_cur;
  struct mallinfo2 mi = mallinfo2();
  s.heap_bytes = mi.uordblks + mi.hblkhd;
  return s;
}

void RegisterProcessMetrics(metrics::Registry& registry) {
  registry.AddCollector([](metrics::TextWriter& w) {
    ProcessStats s = ReadProcessStats();
    auto gauge = [&w](const char* name, const char* help, double v) {
      w.Family(name, "gauge", help);
      w.Sample(name, v);
    };
    w.Family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
    w.Sample("process_cpu_seconds_total", s.cpu_seconds);
    gauge("process_resident_memory_bytes", "Resident memory size in bytes.", static_cast<double>(s.rss_bytes));
    gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", static_cast<double>(s.virtual_bytes));
    gauge("process_heap_bytes", "Bytes allocated from the heap.", static_cast<double>(s.heap_bytes));
    gauge("process_open_fds", "Number of open file descriptors.", static_cast<double>(s.open_fds));
    gauge("process_max_fds", "Maximum number of open file descriptors.", static_cast<double>(s.max_fds));
    gauge("process_threads", "Number of OS threads in the process.", static_cast<double>(s.threads));
    gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
          s.start_time_seconds);
  });
}

}  // namespace hw::collect
