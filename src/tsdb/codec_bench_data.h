// A synthetic but realistic monitoring dataset for codec_bench: what a Prometheus
// server scraping node_exporter on several hosts and an HTTP service on several
// instances stores in one block. Deterministic for a given seed.
//
// Per host (~160 series): node_cpu_seconds_total (4 cpus x 8 modes, 2-decimal counters
// advancing by jiffies), node_memory_*_bytes (gauges moving in 4 KiB pages, some
// constant), node_filesystem_* (free/avail bytes in 4 KiB steps, sizes constant),
// node_network_* counters (bytes, packets, rarely errors), node_disk_* (512-byte
// sectors, millisecond io times), node_load1/5/15 (2 decimals), context switches,
// interrupts, node_time_seconds (nanosecond floats: not decimal-friendly),
// node_scrape_collector_* and the scrape_* series (durations in ns-precision seconds).
// Per service instance (~64 series): http_request_duration_seconds histograms (4
// handlers x 12 buckets, _sum in seconds with ms precision, _count), go_goroutines,
// process_resident_memory_bytes, and the scrape_* series.
//
// Timestamps: each target is scraped every 15 s at its own phase; every sample of one
// scrape shares the timestamp, jittered uniformly by up to ±jitter_ms.
//
// Series come back sorted by labels, as a block's index orders them, so neighbours in
// the list are neighbours in the block (and in a batch).
//
// Plain functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/sample.h"

namespace hw::tsdb::bench {

struct BenchSeries {
  std::string family;  // metric family, for per-family breakdowns
  std::string key;     // sortable label string: name{label="value",...}
  std::vector<model::Sample> samples;
};

struct DatasetOptions {
  int hosts = 8;
  int services = 8;
  int samples = 480;  // per series: 2 h at 15 s, a head block's worth
  int jitter_ms = 3;  // 0: exact scrape timestamps
  std::uint64_t seed = 42;
};

std::vector<BenchSeries> MakeDataset(const DatasetOptions& opts);

}  // namespace hw::tsdb::bench
