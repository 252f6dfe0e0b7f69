// Exposition parser throughput on a large realistic payload: ~5 MB holding many
// targets' worth of node_exporter families (CPU, filesystem, network, memory, disk,
// Go GC summary) and HTTP request histograms (12 buckets, 16 label combinations),
// the same content written once as text 0.0.4 and once as OpenMetrics 1.0. Families
// are grouped (all targets' series of one family together), as a federation or
// aggregation endpoint serves them, so the OpenMetrics body is valid.
//   BM_Stream*:   Parser::Next() over every entry (what a scrape loop does)
//   BM_ParseAll*: ParseAll, which also builds model::Labels per sample
// Reported: bytes_per_second (MB/s) and items_per_second (samples/s).
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "scrape/exposition.h"

namespace hw::scrape {
namespace {

constexpr std::size_t kTargetBytes = 5 << 20;

struct Family {
  std::string name;  // OpenMetrics family name
  MetricType type;
  std::string help;
  std::vector<std::string> series;  // "<suffix>|<labels without braces>"
};

std::vector<Family> Families() {
  std::vector<Family> f;
  Family cpu{"node_cpu_seconds", MetricType::kCounter, "Seconds the CPUs spent in each mode.", {}};
  for (int c = 0; c < 8; ++c) {
    for (const char* m : {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"}) {
      cpu.series.push_back(fmt::format("_total|cpu=\"{}\",mode=\"{}\"", c, m));
    }
  }
  f.push_back(cpu);
  for (const char* n : {"node_filesystem_avail_bytes", "node_filesystem_size_bytes",
                        "node_filesystem_free_bytes"}) {
    Family fs{n, MetricType::kGauge, "Filesystem space in bytes.", {}};
    for (const char* m : {"/", "/boot/efi", "/run", "/var/lib/docker", "/home"}) {
      fs.series.push_back(fmt::format("|device=\"/dev/nvme0n1p2\",fstype=\"ext4\",mountpoint=\"{}\"", m));
    }
    f.push_back(fs);
  }
  for (const char* n : {"node_network_receive_bytes", "node_network_transmit_bytes",
                        "node_network_receive_packets", "node_network_transmit_packets",
                        "node_disk_read_bytes", "node_disk_written_bytes"}) {
    Family net{n, MetricType::kCounter, "Network device statistic.", {}};
    for (const char* d : {"eth0", "eth1", "lo", "docker0"}) {
      net.series.push_back(fmt::format("_total|device=\"{}\"", d));
    }
    f.push_back(net);
  }
  for (const char* m : {"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapTotal",
                        "SwapFree", "Active", "Inactive", "Dirty", "Shmem", "Slab"}) {
    f.push_back({fmt::format("node_memory_{}_bytes", m), MetricType::kGauge,
                 "Memory information field.", {"|"}});
  }
  Family gc{"go_gc_duration_seconds", MetricType::kSummary, "GC pause durations.", {}};
  for (const char* q : {"0", "0.25", "0.5", "0.75", "1"}) gc.series.push_back(fmt::format("|quantile=\"{}\"", q));
  gc.series.push_back("_sum|");
  gc.series.push_back("_count|");
  f.push_back(gc);
  Family http{"http_request_duration_seconds", MetricType::kHistogram,
              "Duration of HTTP requests in seconds.", {}};
  Family reqs{"http_requests", MetricType::kCounter, "Total HTTP requests.", {}};
  for (const char* route : {"/api/orders", "/api/orders/:id", "/api/users", "/healthz"}) {
    for (const char* method : {"GET", "POST"}) {
      for (const char* code : {"200", "500"}) {
        std::string l = fmt::format("method=\"{}\",route=\"{}\",code=\"{}\"", method, route, code);
        for (const char* le : {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1",
                               "2.5", "5", "10", "+Inf"}) {
          http.series.push_back(fmt::format("_bucket|{},le=\"{}\"", l, le));
        }
        http.series.push_back("_sum|" + l);
        http.series.push_back("_count|" + l);
        reqs.series.push_back("_total|" + l);
      }
    }
  }
  f.push_back(http);
  f.push_back(reqs);
  return f;
}

// Writes `targets` targets' worth of every family.
std::string Payload(Format format, int targets) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> val(0, 1e9);
  std::string out;
  const bool om = format == Format::kOpenMetrics;
  for (const Family& f : Families()) {
    // In the text format a counter is typed under its _total name.
    std::string meta = !om && f.type == MetricType::kCounter ? f.name + "_total" : f.name;
    std::string type(MetricTypeName(f.type));
    if (!om && f.type == MetricType::kUnknown) type = "untyped";
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", meta, f.help, meta, type);
    for (int t = 0; t < targets; ++t) {
      std::string instance = fmt::format("instance=\"10.0.{}.{}:9100\",job=\"node\"", t / 250, t % 250);
      for (const std::string& s : f.series) {
        std::size_t bar = s.find('|');
        std::string labels = s.substr(bar + 1);
        out += fmt::format("{}{}{{{}{}{}}} {}\n", f.name, s.substr(0, bar), instance,
                           labels.empty() ? "" : ",", labels, std::round(val(rng)) / 100);
      }
    }
  }
  if (om) out += "# EOF\n";
  return out;
}

// Enough targets for ~kTargetBytes, built once per format.
const std::string& Body(Format format) {
  static const std::string text = Payload(
      Format::kPrometheusText,
      static_cast<int>(kTargetBytes / Payload(Format::kPrometheusText, 1).size()) + 1);
  static const std::string om = Payload(
      Format::kOpenMetrics,
      static_cast<int>(kTargetBytes / Payload(Format::kOpenMetrics, 1).size()) + 1);
  return format == Format::kOpenMetrics ? om : text;
}

void BM_Stream(benchmark::State& state, Format format) {
  const std::string& body = Body(format);
  std::unique_ptr<Parser> owned = NewParser({}, format);
  Parser& parser = *owned;
  std::int64_t samples = 0;
  for (auto _ : state) {
    parser.Reset(body);
    while (true) {
      Result<Entry> e = parser.Next();
      if (!e.ok()) {
        state.SkipWithError(e.status().message().c_str());
        return;
      }
      if (*e == Entry::kEof) break;
      if (*e == Entry::kSample) ++samples;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.SetItemsProcessed(samples);
  state.counters["body_MB"] = static_cast<double>(body.size()) / 1e6;
}

void BM_ParseAll(benchmark::State& state, Format format) {
  const std::string& body = Body(format);
  std::int64_t samples = 0;
  for (auto _ : state) {
    Result<ParsedScrape> r = ParseAll(body, format);
    if (!r.ok()) {
      state.SkipWithError(r.status().message().c_str());
      return;
    }
    samples += static_cast<std::int64_t>(r->samples.size());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.SetItemsProcessed(samples);
}

BENCHMARK_CAPTURE(BM_Stream, text, Format::kPrometheusText)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Stream, openmetrics, Format::kOpenMetrics)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ParseAll, text, Format::kPrometheusText)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ParseAll, openmetrics, Format::kOpenMetrics)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hw::scrape

BENCHMARK_MAIN();
