// Facts about the hastewatch process itself, read from /proc: what /metrics exports
// as process_* and /health/detailed reports as memory and uptime.
#pragma once

#include <cstdint>

#include "base/metrics.h"

namespace hw::collect {

struct ProcessStats {
  std::uint64_t rss_bytes = 0;
  std::uint64_t virtual_bytes = 0;
  std::uint64_t heap_bytes = 0;  // bytes malloc has handed out (mallinfo2)
  double cpu_seconds = 0;        // user + system
  std::uint64_t open_fds = 0;
  std::uint64_t max_fds = 0;
  std::uint64_t threads = 0;
  double start_time_seconds = 0;  // Unix time the process started
};

ProcessStats ReadProcessStats();

// Registers process_resident_memory_bytes, process_virtual_memory_bytes,
// process_heap_bytes, process_cpu_seconds_total, process_open_fds, process_max_fds,
// process_threads and process_start_time_seconds, sampled at each scrape.
void RegisterProcessMetrics(metrics::Registry& registry);

}  // namespace hw::collect
