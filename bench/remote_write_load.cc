// remote_write_load: a Prometheus remote_write 1.0 load generator.
//
// Pre-encodes (snappy block format + protobuf WriteRequest, as Prometheus' sender
// does) --series series x --rounds rounds of samples, then sends the requests as fast
// as it can over --concurrency persistent HTTP/1.1 connections, one thread each, and
// prints samples/s, requests/s, errors and request latency percentiles.
//
// Like Prometheus' queue manager, series are sharded: a series is always sent over the
// same connection, and a connection sends its requests one after another, so each
// series' samples reach the server in timestamp order (15 s apart).
//
//   remote_write_load --url http://127.0.0.1:9090/api/v1/write --series 100000
//       --rounds 200 --concurrency 4 [--bearer TOKEN] [--duration 60s] [--json]
//
// The workload: a node_exporter / HTTP-service mix (CPU seconds by cpu and mode,
// network, disk, filesystem, memory, load; request histograms, request counters) of
// about 365 series per host, labels sorted by name, counters with 2 decimals, byte
// gauges in multiples of 4 KiB, integer histogram buckets.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <protozero/pbf_writer.hpp>
#include <snappy.h>

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kStepMs = 15'000;

// ---------------------------------------------------------------------------------
// Workload

enum class Kind { kCounter, kGauge, kBytes, kBucket };

struct Template {
  std::vector<std::pair<std::string, std::string>> labels;  // without instance
  Kind kind;
  std::string job;
};

std::vector<Template> HostTemplates() {
  std::vector<Template> t;
  auto add = [&t](std::string job, Kind k, std::vector<std::pair<std::string, std::string>> l) {
    t.push_back({std::move(l), k, std::move(job)});
  };
  const char* modes[] = {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"};
  for (int cpu = 0; cpu < 8; ++cpu) {
    for (const char* m : modes) {
      add("node", Kind::kCounter,
          {{"__name__", "node_cpu_seconds_total"}, {"cpu", std::to_string(cpu)}, {"mode", m}});
    }
  }
  for (const char* dev : {"eth0", "eth1", "lo"}) {
    for (const char* n : {"node_network_receive_bytes_total", "node_network_transmit_bytes_total",
                          "node_network_receive_packets_total",
                          "node_network_transmit_packets_total"}) {
      add("node", Kind::kCounter, {{"__name__", n}, {"device", dev}});
    }
  }
  struct Fs {
    const char *dev, *mnt, *type;
  };
  for (Fs fs : {Fs{"/dev/sda1", "/", "ext4"}, Fs{"/dev/sdb1", "/var/lib/data", "xfs"},
                Fs{"tmpfs", "/run", "tmpfs"}}) {
    for (const char* n :
         {"node_filesystem_avail_bytes", "node_filesystem_free_bytes", "node_filesystem_size_bytes"}) {
      add("node", Kind::kBytes,
          {{"__name__", n}, {"device", fs.dev}, {"fstype", fs.type}, {"mountpoint", fs.mnt}});
    }
  }
  for (const char* dev : {"sda", "sdb", "nvme0n1"}) {
    for (const char* n : {"node_disk_read_bytes_total", "node_disk_written_bytes_total",
                          "node_disk_io_time_seconds_total"}) {
      add("node", Kind::kCounter, {{"__name__", n}, {"device", dev}});
    }
  }
  for (const char* n : {"node_memory_MemFree_bytes", "node_memory_MemAvailable_bytes",
                        "node_memory_Cached_bytes", "node_memory_Buffers_bytes"}) {
    add("node", Kind::kBytes, {{"__name__", n}});
  }
  for (const char* n : {"node_load1", "node_load5", "node_load15"}) {
    add("node", Kind::kGauge, {{"__name__", n}});
  }
  const char* les[] = {"0.01", "0.05", "0.1", "0.5", "1", "2", "5", "+Inf"};
  for (const char* method : {"GET", "POST"}) {
    for (const char* ep : {"/api/v1/contacts", "/api/v1/deals", "/api/v1/companies",
                           "/api/v1/activities", "/api/v1/search", "/api/v1/auth/login"}) {
      for (const char* status : {"200", "500"}) {
        std::vector<std::pair<std::string, std::string>> base = {
            {"endpoint", ep}, {"method", method}, {"status", status}};
        for (const char* le : les) {
          auto l = base;
          l.emplace_back("__name__", "http_request_duration_seconds_bucket");
          l.emplace_back("le", le);
          add("api", Kind::kBucket, l);
        }
        auto s = base;
        s.emplace_back("__name__", "http_request_duration_seconds_sum");
        add("api", Kind::kCounter, s);
        auto c = base;
        c.emplace_back("__name__", "http_request_duration_seconds_count");
        add("api", Kind::kBucket, c);
        auto r = base;
        r.emplace_back("__name__", "http_requests_total");
        add("api", Kind::kBucket, r);
      }
    }
  }
  return t;
}

// splitmix64: cheap deterministic per-series randomness.
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

double Unit(std::uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

struct SeriesDef {
  std::string label_bytes;  // the encoded Label messages (field 1 of TimeSeries)
  Kind kind;
  double base, rate;
};

// The value of series `i` at step `n` (0, 1, 2, ...).
double Value(const SeriesDef& s, std::uint64_t i, std::int64_t n) {
  switch (s.kind) {
    case Kind::kCounter: {
      double jitter = Unit(Mix(i * 1'000'003 + n)) * s.rate * 0.5;
      return std::round((s.base + s.rate * static_cast<double>(n) + jitter) * 100) / 100;
    }
    case Kind::kBucket:
      return std::floor(s.base + s.rate * static_cast<double>(n));
    case Kind::kGauge:
      return std::round((s.base + s.rate * std::sin(static_cast<double>(n) / 40 + s.base)) * 100) /
             100;
    case Kind::kBytes: {
      double v = s.base + s.rate * std::sin(static_cast<double>(n) / 40 + Unit(Mix(i)) * 6);
      return std::floor(std::max(0.0, v) / 4096) * 4096;
    }
  }
  return 0;
}

std::vector<SeriesDef> MakeSeries(std::uint64_t n) {
  std::vector<Template> tmpl = HostTemplates();
  std::vector<SeriesDef> out;
  out.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    const Template& t = tmpl[i % tmpl.size()];
    std::uint64_t host = i / tmpl.size();
    auto labels = t.labels;
    labels.emplace_back("instance", t.job == "node" ? fmt::format("host-{:04}:9100", host)
                                                    : fmt::format("api-{:04}:8080", host));
    labels.emplace_back("job", t.job);
    std::sort(labels.begin(), labels.end());
    SeriesDef s;
    {
      protozero::pbf_writer w(s.label_bytes);
      for (const auto& [name, value] : labels) {
        protozero::pbf_writer l(w, 1);
        l.add_string(1, name);
        l.add_string(2, value);
      }
    }
    s.kind = t.kind;
    double u = Unit(Mix(i));
    switch (t.kind) {
      case Kind::kCounter: s.base = std::round(u * 1e6) / 100; s.rate = 0.5 + u * 20; break;
      case Kind::kBucket: s.base = std::floor(u * 1e5); s.rate = std::floor(u * 300); break;
      case Kind::kGauge: s.base = 0.5 + u * 4; s.rate = 0.2 + u; break;
      case Kind::kBytes: s.base = 1e9 + u * 6e10; s.rate = 1e7 + u * 1e9; break;
    }
    out.push_back(std::move(s));
  }
  return out;
}

// One request: series [lo, hi), `per_series` samples each from step `first_step`.
std::string EncodeRequest(const std::vector<SeriesDef>& defs, std::uint64_t lo, std::uint64_t hi,
                          std::int64_t first_step, int per_series, std::int64_t start_ms,
                          std::string* scratch) {
  scratch->clear();
  std::string ts;
  {
    protozero::pbf_writer req(*scratch);
    for (std::uint64_t i = lo; i < hi; ++i) {
      ts = defs[i].label_bytes;  // TimeSeries: labels (field 1), then samples (field 2)
      {
        protozero::pbf_writer w(ts);  // appends
        for (int k = 0; k < per_series; ++k) {
          std::int64_t step = first_step + k;
          protozero::pbf_writer sm(w, 2);
          sm.add_double(1, Value(defs[i], i, step));
          sm.add_int64(2, start_ms + step * kStepMs);
        }
      }
      req.add_message(1, ts);
    }
  }
  std::string out;
  snappy::Compress(scratch->data(), scratch->size(), &out);
  return out;
}

// ---------------------------------------------------------------------------------
// Sending

struct Target {
  std::string host, port, path;
};

bool ParseTarget(const std::string& url, Target* t) {
  const std::string prefix = "http://";
  if (url.rfind(prefix, 0) != 0) return false;
  std::string rest = url.substr(prefix.size());
  size_t slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  t->path = slash == std::string::npos ? "/" : rest.substr(slash);
  size_t colon = hostport.rfind(':');
  if (colon == std::string::npos) {
    t->host = hostport;
    t->port = "80";
  } else {
    t->host = hostport.substr(0, colon);
    t->port = hostport.substr(colon + 1);
  }
  if (t->host.size() >= 2 && t->host.front() == '[') t->host = t->host.substr(1, t->host.size() - 2);
  return !t->host.empty();
}

struct Shared {
  std::atomic<std::uint64_t> ok_requests{0}, ok_samples{0};
  std::atomic<std::uint64_t> http_errors{0}, io_errors{0}, error_samples{0};
  std::atomic<std::uint64_t> issued{0};  // requests started, against --requests
  std::atomic<bool> stop{false};
  std::atomic<bool> printed_error{false};
};

struct Worker {
  std::vector<std::uint32_t> latency_us;
};

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Prometheus remote_write 1.0 load generator"};
  std::string url = "http://127.0.0.1:9090/api/v1/write";
  std::uint64_t series = 100'000;
  std::int64_t rounds = 200;
  int per_series = 1;
  int concurrency = 4;
  std::uint64_t batch = 2000;
  double duration_s = 0;
  std::uint64_t max_requests = 0;
  std::string bearer;
  std::int64_t start_ms = 0;
  bool json = false;
  app.add_option("--url", url, "remote write endpoint (http only)")->capture_default_str();
  app.add_option("--series", series, "distinct series")->capture_default_str();
  app.add_option("--rounds", rounds,
                 "rounds: each sends every series --samples-per-series samples, 15 s apart "
                 "(total samples = series x rounds x samples-per-series)")
      ->capture_default_str();
  app.add_option("--samples-per-series", per_series, "samples of one series in one request")
      ->capture_default_str();
  app.add_option("--batch", batch, "samples per request (Prometheus' max_samples_per_send)")
      ->capture_default_str();
  app.add_option("--concurrency", concurrency, "persistent connections, one thread each")
      ->capture_default_str();
  app.add_option("--duration", duration_s, "stop after this many seconds (0: send everything)");
  app.add_option("--requests", max_requests, "stop after this many requests (0: send everything)");
  app.add_option("--bearer", bearer, "Authorization: Bearer token");
  app.add_option("--start-ms", start_ms,
                 "timestamp of the first round (default: now minus the workload's span)");
  app.add_flag("--json", json, "also print one JSON line with the results");
  CLI11_PARSE(app, argc, argv);

  Target target;
  if (!ParseTarget(url, &target)) {
    fmt::print(stderr, "remote_write_load: --url must be http://host[:port]/path\n");
    return 2;
  }
  if (per_series < 1 || batch < static_cast<std::uint64_t>(per_series) || concurrency < 1 ||
      series == 0 || rounds < 1) {
    fmt::print(stderr, "remote_write_load: bad sizes\n");
    return 2;
  }
  const std::uint64_t series_per_req = batch / per_series;
  const std::uint64_t chunks = (series + series_per_req - 1) / series_per_req;
  if (start_ms == 0) {
    std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    start_ms = (now / kStepMs) * kStepMs - rounds * per_series * kStepMs;
  }

  // Pre-encode: requests[round * chunks + chunk].
  double cpu0 = CpuSeconds();
  auto t0 = Clock::now();
  std::vector<SeriesDef> defs = MakeSeries(series);
  std::vector<std::string> requests(static_cast<size_t>(rounds) * chunks);
  std::vector<std::uint32_t> request_samples(chunks);
  for (std::uint64_t c = 0; c < chunks; ++c) {
    request_samples[c] =
        static_cast<std::uint32_t>((std::min(series, (c + 1) * series_per_req) - c * series_per_req) *
                                   per_series);
  }
  {
    unsigned n_threads = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
    std::atomic<size_t> next{0};
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < n_threads; ++t) {
      threads.emplace_back([&] {
        std::string scratch;
        for (size_t j; (j = next.fetch_add(1)) < requests.size();) {
          std::int64_t r = static_cast<std::int64_t>(j / chunks);
          std::uint64_t c = j % chunks;
          requests[j] = EncodeRequest(defs, c * series_per_req,
                                      std::min(series, (c + 1) * series_per_req), r * per_series,
                                      per_series, start_ms, &scratch);
        }
      });
    }
    for (auto& t : threads) t.join();
  }
  size_t encoded_bytes = 0;
  for (const auto& r : requests) encoded_bytes += r.size();
  double encode_s = std::chrono::duration<double>(Clock::now() - t0).count();
  double encode_cpu = CpuSeconds() - cpu0;
  const std::uint64_t total_samples = series * rounds * per_series;
  fmt::print(stderr,
             "pre-encoded {} requests ({} samples, {} series x {} rounds x {}; {} samples a "
             "request) in {:.2f} s: {:.1f} MiB snappy, {:.1f} B/sample\n",
             requests.size(), total_samples, series, rounds, per_series, series_per_req * per_series,
             encode_s, encoded_bytes / 1048576.0, double(encoded_bytes) / double(total_samples));

  // Resolve once.
  net::io_context resolve_ioc;
  tcp::resolver resolver(resolve_ioc);
  beast::error_code rec;
  auto endpoints = resolver.resolve(target.host, target.port, rec);
  if (rec) {
    fmt::print(stderr, "remote_write_load: cannot resolve {}: {}\n", target.host, rec.message());
    return 1;
  }
  const std::string host_header = target.host + ":" + target.port;

  Shared shared;
  if (max_requests == 0) max_requests = UINT64_MAX;
  std::vector<Worker> workers(concurrency);
  std::vector<std::thread> threads;
  double cpu1 = CpuSeconds();
  auto start = Clock::now();
  auto deadline = duration_s > 0 ? start + std::chrono::duration_cast<Clock::duration>(
                                               std::chrono::duration<double>(duration_s))
                                 : Clock::time_point::max();
  for (int w = 0; w < concurrency; ++w) {
    threads.emplace_back([&, w] {
      Worker& me = workers[w];
      me.latency_us.reserve(requests.size() / concurrency + 1);
      net::io_context ioc;
      tcp::socket sock(ioc);
      beast::flat_buffer buf;
      auto connect = [&]() -> bool {
        beast::error_code ec;
        if (sock.is_open()) sock.close(ec);
        net::connect(sock, endpoints, ec);
        if (ec) return false;
        sock.set_option(tcp::no_delay(true), ec);
        buf.clear();
        return true;
      };
      bool connected = connect();
      bhttp::request<bhttp::buffer_body> req(bhttp::verb::post, target.path, 11);
      req.set(bhttp::field::host, host_header);
      req.set(bhttp::field::user_agent, "hastewatch-remote-write-load/1");
      req.set(bhttp::field::content_type, "application/x-protobuf");
      req.set(bhttp::field::content_encoding, "snappy");
      req.set("X-Prometheus-Remote-Write-Version", "0.1.0");
      if (!bearer.empty()) req.set(bhttp::field::authorization, "Bearer " + bearer);
      req.keep_alive(true);
      for (std::int64_t r = 0; r < rounds; ++r) {
        for (std::uint64_t c = static_cast<std::uint64_t>(w); c < chunks; c += concurrency) {
          if (shared.stop.load(std::memory_order_relaxed)) return;
          if (Clock::now() >= deadline) {
            shared.stop = true;
            return;
          }
          if (shared.issued.fetch_add(1) >= max_requests) {
            shared.stop = true;
            return;
          }
          const std::string& body = requests[static_cast<size_t>(r) * chunks + c];
          std::uint32_t n = request_samples[c];
          auto t_req = Clock::now();
          beast::error_code ec;
          if (!connected) connected = connect();
          if (!connected) {
            shared.io_errors++;
            shared.error_samples += n;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
          }
          req.body().data = const_cast<char*>(body.data());
          req.body().size = body.size();
          req.body().more = false;
          req.content_length(body.size());
          bhttp::write(sock, req, ec);
          bhttp::response_parser<bhttp::string_body> parser;
          parser.body_limit(1 << 20);
          if (!ec) bhttp::read(sock, buf, parser, ec);
          if (ec) {
            shared.io_errors++;
            shared.error_samples += n;
            if (!shared.printed_error.exchange(true)) {
              fmt::print(stderr, "first error: connection: {}\n", ec.message());
            }
            connected = false;
            continue;
          }
          auto& res = parser.get();
          me.latency_us.push_back(static_cast<std::uint32_t>(
              std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t_req).count()));
          unsigned status = res.result_int();
          if (status >= 200 && status < 300) {
            shared.ok_requests++;
            shared.ok_samples += n;
          } else {
            shared.http_errors++;
            shared.error_samples += n;
            if (!shared.printed_error.exchange(true)) {
              fmt::print(stderr, "first error: HTTP {}: {}\n", status, res.body().substr(0, 2000));
            }
          }
          if (!res.keep_alive()) connected = false;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  double send_cpu = CpuSeconds() - cpu1;

  std::vector<std::uint32_t> lat;
  for (auto& w : workers) lat.insert(lat.end(), w.latency_us.begin(), w.latency_us.end());
  std::sort(lat.begin(), lat.end());
  auto pct = [&lat](double p) -> double {
    if (lat.empty()) return 0;
    size_t i = static_cast<size_t>(std::ceil(p * static_cast<double>(lat.size()))) - 1;
    return lat[std::min(i, lat.size() - 1)] / 1000.0;
  };
  std::uint64_t ok_samples = shared.ok_samples, ok_requests = shared.ok_requests;
  std::uint64_t errors = shared.http_errors + shared.io_errors;
  double sps = ok_samples / elapsed, rps = ok_requests / elapsed;
  fmt::print("target           {}\n", url);
  fmt::print("sent             {} samples in {} requests ({} connections), {:.2f} s\n", ok_samples,
             ok_requests, concurrency, elapsed);
  fmt::print("samples/s        {:.0f}\n", sps);
  fmt::print("requests/s       {:.1f}\n", rps);
  fmt::print("errors           {} (HTTP {}, connection {}; {} samples)\n", errors,
             shared.http_errors.load(), shared.io_errors.load(), shared.error_samples.load());
  fmt::print("latency ms       p50 {:.2f}  p90 {:.2f}  p99 {:.2f}  max {:.2f}\n", pct(0.5),
             pct(0.9), pct(0.99), lat.empty() ? 0.0 : lat.back() / 1000.0);
  fmt::print("generator CPU    {:.2f} s sending ({:.1f}% of one core), {:.2f} s pre-encoding\n",
             send_cpu, 100 * send_cpu / elapsed, encode_cpu);
  if (json) {
    fmt::print(
        "{{\"samples\":{},\"requests\":{},\"seconds\":{:.4f},\"samples_per_s\":{:.1f},"
        "\"requests_per_s\":{:.2f},\"errors\":{},\"http_errors\":{},\"io_errors\":{},"
        "\"error_samples\":{},\"p50_ms\":{:.3f},\"p90_ms\":{:.3f},\"p99_ms\":{:.3f},"
        "\"max_ms\":{:.3f},\"gen_cpu_s\":{:.3f},\"encode_cpu_s\":{:.3f},\"encoded_bytes\":{}}}\n",
        ok_samples, ok_requests, elapsed, sps, rps, errors, shared.http_errors.load(),
        shared.io_errors.load(), shared.error_samples.load(), pct(0.5), pct(0.9), pct(0.99),
        lat.empty() ? 0.0 : lat.back() / 1000.0, send_cpu, encode_cpu, encoded_bytes);
  }
  return errors == 0 ? 0 : 1;
}
