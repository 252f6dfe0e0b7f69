#include "tsdb/codec_bench_data.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

#include <fmt/format.h>

namespace hw::tsdb::bench {
namespace {

using Rng = std::mt19937_64;

// Produces the value at scrape i (called with i = 0, 1, 2, ... in order).
using Step = std::function<double(Rng&)>;

class Target {
 public:
  Target(std::string instance, const DatasetOptions& opts, Rng& rng)
      : instance_(std::move(instance)), rng_(rng()) {
    std::uniform_int_distribution<int> jitter(-opts.jitter_ms, opts.jitter_ms);
    std::int64_t phase = static_cast<std::int64_t>(rng() % 15'000);
    for (int i = 0; i < opts.samples; ++i) {
      ts_.push_back(1'700'000'000'000 + phase + std::int64_t{i} * 15'000 + jitter(rng));
    }
  }

  // Adds series name{labels,instance=...}; `labels` is pre-sorted around instance.
  void Add(std::vector<BenchSeries>* out, const std::string& family, const std::string& before,
           const std::string& after, Step step) {
    BenchSeries s;
    s.family = family;
    s.key = fmt::format("{}{{{}instance=\"{}\"{}}}", family, before, instance_, after);
    for (std::int64_t t : ts_) s.samples.push_back({t, step(rng_)});
    out->push_back(std::move(s));
  }

  Rng& rng() { return rng_; }
  int size() const { return static_cast<int>(ts_.size()); }

 private:
  std::string instance_;
  Rng rng_;
  std::vector<std::int64_t> ts_;
};

double Uniform(Rng& r, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(r);
}
std::int64_t Poisson(Rng& r, double mean) {
  return mean <= 0 ? 0 : std::poisson_distribution<std::int64_t>(mean)(r);
}

// A counter of integer units printed as units / 10^digits (jiffies, milliseconds).
Step Counter(double start_units, int digits, std::function<std::int64_t(Rng&)> inc) {
  auto units = std::make_shared<std::int64_t>(static_cast<std::int64_t>(start_units));
  double div = std::pow(10.0, digits);
  return [units, div, inc](Rng& r) {
    *units += inc(r);
    return static_cast<double>(*units) / div;
  };
}

// A gauge random-walking in multiples of `unit`, clamped to [lo, hi].
Step Walk(double start, double unit, double sigma, double lo, double hi) {
  auto v = std::make_shared<double>(start);
  return [=](Rng& r) {
    double step = std::round(std::normal_distribution<double>(0, sigma)(r)) * unit;
    *v = std::clamp(*v + step, lo, hi);
    return *v;
  };
}

Step Constant(double v) {
  return [v](Rng&) { return v; };
}

// Seconds measured in nanoseconds (Go's Duration.Seconds()): 9 decimals of noise.
Step DurationSeconds(double median_s) {
  return [median_s](Rng& r) {
    double ns = std::round(median_s * 1e9 * std::exp(std::normal_distribution<double>(0, 0.3)(r)));
    return ns / 1e9;
  };
}

void AddHost(Target& h, std::vector<BenchSeries>* out) {
  static const char* kModes[] = {"idle", "iowait", "irq", "nice", "softirq", "steal", "system",
                                 "user"};
  static const double kBusy[] = {0, 0.02, 0, 0, 0.005, 0, 0.04, 0.12};
  for (int cpu = 0; cpu < 4; ++cpu) {
    for (int m = 0; m < 8; ++m) {
      double busy = kBusy[m];
      auto inc = m == 0 ? std::function<std::int64_t(Rng&)>([](Rng& r) {
        return 1500 - static_cast<std::int64_t>(Uniform(r, 150, 400));
      })
                        : [busy](Rng& r) { return Poisson(r, 1500 * busy); };
      h.Add(out, "node_cpu_seconds_total", fmt::format("cpu=\"{}\",", cpu),
            fmt::format(",mode=\"{}\"", kModes[m]), Counter(1e7 + m * 1e5, 2, inc));
    }
  }
  for (int i = 0; i < 30; ++i) {
    std::string name = fmt::format("node_memory_M{:02}_bytes", i);
    double start = 4096.0 * static_cast<double>(1'000 + h.rng()() % 4'000'000);
    h.Add(out, "node_memory_bytes", "", "",
          i < 10 ? Constant(start) : Walk(start, 4096, 1.0 + i % 7 * 20, 0, 1e12));
    out->back().key = name + out->back().key.substr(out->back().family.size());
  }
  static const char* kMounts[] = {"/", "/boot", "/home", "/var"};
  for (const char* mount : kMounts) {
    std::string after = fmt::format(",mountpoint=\"{}\"", mount);
    double size = 4096.0 * static_cast<double>(1'000'000 + h.rng()() % 100'000'000);
    double sigma = std::string(mount) == "/var" ? 30 : 3;
    h.Add(out, "node_filesystem_avail_bytes", "", after, Walk(size * 0.4, 4096, sigma, 0, size));
    h.Add(out, "node_filesystem_free_bytes", "", after, Walk(size * 0.45, 4096, sigma, 0, size));
    h.Add(out, "node_filesystem_size_bytes", "", after, Constant(size));
    h.Add(out, "node_filesystem_files", "", after, Constant(std::floor(size / 16384)));
    h.Add(out, "node_filesystem_files_free", "", after, Walk(size / 40000, 1, 2, 0, 1e9));
    h.Add(out, "node_filesystem_readonly", "", after, Constant(0));
    h.Add(out, "node_filesystem_device_error", "", after, Constant(0));
  }
  static const char* kDevices[] = {"docker0", "eth0", "lo"};
  static const double kRates[] = {2e4, 8e5, 5e4};
  for (int d = 0; d < 3; ++d) {
    std::string before = fmt::format("device=\"{}\",", kDevices[d]);
    double rate = kRates[d];
    for (const char* dir : {"receive", "transmit"}) {
      auto bytes = [rate](Rng& r) { return static_cast<std::int64_t>(rate * Uniform(r, 0.3, 1.7)); };
      auto packets = [rate](Rng& r) { return static_cast<std::int64_t>(rate / 900 * Uniform(r, 0.5, 1.5)); };
      auto rare = [](Rng& r) { return r() % 400 == 0 ? std::int64_t{1} : std::int64_t{0}; };
      std::string fam = fmt::format("node_network_{}_", dir);
      h.Add(out, fam + "bytes_total", before, "", Counter(1e11 * (d + 1), 0, bytes));
      h.Add(out, fam + "packets_total", before, "", Counter(1e8 * (d + 1), 0, packets));
      h.Add(out, fam + "errs_total", before, "", Counter(0, 0, rare));
      h.Add(out, fam + "drop_total", before, "", Counter(3, 0, rare));
    }
  }
  for (const char* disk : {"sda", "sdb"}) {
    std::string before = fmt::format("device=\"{}\",", disk);
    auto ops = [](Rng& r) { return Poisson(r, 40); };
    auto sectors = [](Rng& r) { return 512 * Poisson(r, 40) * static_cast<std::int64_t>(1 + r() % 64); };
    auto ms = [](Rng& r) { return Poisson(r, 120); };
    h.Add(out, "node_disk_reads_completed_total", before, "", Counter(5e6, 0, ops));
    h.Add(out, "node_disk_writes_completed_total", before, "", Counter(9e6, 0, ops));
    h.Add(out, "node_disk_read_bytes_total", before, "", Counter(5e11, 0, sectors));
    h.Add(out, "node_disk_written_bytes_total", before, "", Counter(9e11, 0, sectors));
    h.Add(out, "node_disk_io_time_seconds_total", before, "", Counter(4e8, 3, ms));
    h.Add(out, "node_disk_read_time_seconds_total", before, "", Counter(2e8, 3, ms));
    h.Add(out, "node_disk_write_time_seconds_total", before, "", Counter(3e8, 3, ms));
  }
  auto load = std::make_shared<double>(1.5);
  auto load_step = [load](double alpha) {
    auto avg = std::make_shared<double>(*load);
    return [load, avg, alpha](Rng& r) {
      if (alpha == 1) *load = std::clamp(*load + std::normal_distribution<double>(0, 0.3)(r), 0.0, 8.0);
      *avg += alpha * (*load - *avg);
      return std::round(*avg * 100) / 100;
    };
  };
  h.Add(out, "node_load1", "", "", load_step(1));
  h.Add(out, "node_load5", "", "", load_step(0.05));
  h.Add(out, "node_load15", "", "", load_step(0.017));
  h.Add(out, "node_context_switches_total", "", "", Counter(8e9, 0, [](Rng& r) { return Poisson(r, 30000); }));
  h.Add(out, "node_intr_total", "", "", Counter(5e9, 0, [](Rng& r) { return Poisson(r, 20000); }));
  h.Add(out, "node_procs_running", "", "", Walk(3, 1, 1, 1, 16));
  h.Add(out, "node_boot_time_seconds", "", "", Constant(1699000000));
  auto now = std::make_shared<double>(1'700'000'000.0);
  h.Add(out, "node_time_seconds", "", "", [now](Rng& r) {
    *now += 15 + Uniform(r, -0.003, 0.003);
    return *now;  // nanosecond float: 17 significant digits
  });
  static const char* kCollectors[] = {"cpu", "diskstats", "filesystem", "loadavg", "meminfo",
                                      "netdev", "stat", "time", "uname", "vmstat"};
  for (const char* c : kCollectors) {
    std::string before = fmt::format("collector=\"{}\",", c);
    h.Add(out, "node_scrape_collector_duration_seconds", before, "", DurationSeconds(0.0004));
    h.Add(out, "node_scrape_collector_success", before, "", Constant(1));
  }
}

// Returns vals[0], vals[1], ... on successive calls.
Step Replay(std::vector<double> vals) {
  auto i = std::make_shared<std::size_t>(0);
  auto v = std::make_shared<std::vector<double>>(std::move(vals));
  return [i, v](Rng&) { return (*v)[(*i)++]; };
}

void AddService(Target& s, std::vector<BenchSeries>* out) {
  static const double kLe[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  static const char* kHandlers[] = {"/api/v1/query", "/api/v1/write", "/healthz", "/metrics"};
  static const double kRate[] = {3, 60, 0.07, 0.07};  // requests per scrape
  static const double kMedianMs[] = {40, 4, 0.8, 6};
  for (int h = 0; h < 4; ++h) {
    // Simulate the handler's requests scrape by scrape: cumulative bucket counts (the
    // last is +Inf, i.e. _count) and the _sum of latencies in whole milliseconds.
    std::vector<std::vector<double>> buckets(12);
    std::vector<double> sum;
    std::int64_t counts[12] = {};
    std::int64_t sum_ms = 0;
    for (int i = 0; i < s.size(); ++i) {
      std::int64_t n = Poisson(s.rng(), kRate[h]);
      for (std::int64_t k = 0; k < n; ++k) {
        double ms = std::max(1.0, std::round(kMedianMs[h] *
                                             std::exp(std::normal_distribution<double>(0, 0.8)(s.rng()))));
        sum_ms += static_cast<std::int64_t>(ms);
        for (int b = 0; b < 12; ++b) counts[b] += (b == 11 || ms / 1000 <= kLe[b]) ? 1 : 0;
      }
      for (int b = 0; b < 12; ++b) buckets[b].push_back(static_cast<double>(counts[b]));
      sum.push_back(static_cast<double>(sum_ms) / 1000);
    }
    std::string before = fmt::format("handler=\"{}\",", kHandlers[h]);
    for (int b = 0; b < 12; ++b) {
      std::string le = b == 11 ? "+Inf" : fmt::format("{}", kLe[b]);
      s.Add(out, "http_request_duration_seconds_bucket", before, fmt::format(",le=\"{}\"", le),
            Replay(buckets[b]));
    }
    s.Add(out, "http_request_duration_seconds_count", before, "", Replay(buckets[11]));
    s.Add(out, "http_request_duration_seconds_sum", before, "", Replay(sum));
  }
  s.Add(out, "go_goroutines", "", "", Walk(40, 1, 2, 10, 200));
  s.Add(out, "process_resident_memory_bytes", "", "", Walk(2e8, 4096, 50, 1e8, 1e9));
}

}  // namespace

std::vector<BenchSeries> MakeDataset(const DatasetOptions& opts) {
  Rng rng(opts.seed);
  std::vector<BenchSeries> out;
  auto scrape_series = [&out](Target& t, double samples_scraped) {
    t.Add(&out, "up", "", "", Constant(1));
    t.Add(&out, "scrape_duration_seconds", "", "", DurationSeconds(0.02));
    t.Add(&out, "scrape_samples_scraped", "", "", Constant(samples_scraped));
    t.Add(&out, "scrape_series_added", "", "", Constant(0));
  };
  for (int i = 0; i < opts.hosts; ++i) {
    Target host(fmt::format("host-{}:9100", i), opts, rng);
    AddHost(host, &out);
    scrape_series(host, 1243);
  }
  for (int i = 0; i < opts.services; ++i) {
    Target svc(fmt::format("api-{}:8080", i), opts, rng);
    AddService(svc, &out);
    scrape_series(svc, 312);
  }
  std::sort(out.begin(), out.end(),
            [](const BenchSeries& a, const BenchSeries& b) { return a.key < b.key; });
  return out;
}

}  // namespace hw::tsdb::bench
