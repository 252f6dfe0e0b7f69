// Private parts of Wal shared by wal.cc (open, close, segments) and wal_log.cc (the
// write path). Not for use outside those two files.
#pragma once

#include <unistd.h>

#include <condition_variable>
#include <span>
#include <string>

#include "base/metrics.h"
#include "base/status.h"
#include "tsdb/wal.h"

namespace hw::tsdb {

// An open segment file. Shared (shared_ptr) so the kInterval syncer can fsync it
// without holding io_mu_ while a rollover replaces it; the fd closes with the last owner.
struct Wal::Segment {
  int index = 0;
  int fd = -1;
  std::string path;
  ~Segment() {
    if (fd >= 0) ::close(fd);
  }
};

// One Log call waiting in the queue. Lives on its caller's stack.
struct Wal::Writer {
  std::span<const std::string> records;
  Status status;   // guarded by Wal::mu_
  bool done = false;  // guarded by Wal::mu_
  std::condition_variable cv;
};

// Self-metrics; all pointers refer into the registry, which outlives the Wal.
struct Wal::Metrics {
  metrics::Histogram* fsync_duration;
  metrics::Counter* records;
  metrics::Counter* bytes;
  metrics::Counter* corruptions;
  metrics::Gauge* segments;         // segment files on disk (last - first + 1)
  metrics::Gauge* segment_current;  // index of the segment being written

  explicit Metrics(metrics::Registry& r);
};

}  // namespace hw::tsdb
