// Engine benchmarks over an in-memory head: 1,000 series (400 counters, 200 gauges,
// 40 classic histograms x 10 buckets) sampled every 15 s for 2 h. Reports the
// storage samples each query reads per second.
//   ninja promql_engine_bench && ./src/promql/promql_engine_bench
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "promql/engine.h"
#include "tsdb/head.h"

namespace hw::promql {
namespace {

constexpr std::int64_t kStep = 15000;
constexpr std::int64_t kEnd = 2 * 3600 * 1000;

tsdb::Head& BenchHead() {
  static tsdb::Head* head = [] {
    auto* h = new tsdb::Head();
    auto app = h->NewAppender();
    auto add = [&](const model::Labels& l, auto value) {
      for (std::int64_t t = 0; t <= kEnd; t += kStep) (void)app->Append(l, t, value(t));
    };
    for (int i = 0; i < 400; ++i) {
      std::string inst = std::to_string(i), job = "job" + std::to_string(i % 10);
      add(model::Labels::FromPairs({{"__name__", "x"}, {"job", job}, {"instance", inst}}),
          [i](std::int64_t t) { return static_cast<double>(t / kStep * (i % 7 + 1)); });
    }
    for (int i = 0; i < 200; ++i) {
      std::string inst = std::to_string(i), job = "job" + std::to_string(i % 10);
      add(model::Labels::FromPairs({{"__name__", "g"}, {"job", job}, {"instance", inst}}),
          [i](std::int64_t t) { return static_cast<double>((t / kStep + i) % 100); });
    }
    const char* les[] = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "5", "+Inf"};
    for (int i = 0; i < 40; ++i) {
      std::string inst = std::to_string(i), job = "job" + std::to_string(i % 10);
      for (int b = 0; b < 10; ++b) {
        add(model::Labels::FromPairs({{"__name__", "h_bucket"}, {"job", job}, {"instance", inst},
                                      {"le", les[b]}}),
            [b](std::int64_t t) { return static_cast<double>(t / kStep * (b + 1)); });
      }
    }
    (void)app->Commit();
    return h;
  }();
  return *head;
}

void Run(benchmark::State& state, const char* query, std::int64_t step) {
  tsdb::Head& head = BenchHead();
  Engine engine;
  std::int64_t samples = 0;
  for (auto _ : state) {
    auto r = step == 0 ? engine.Instant(head, query, kEnd)
                       : engine.Range(head, query, 0, kEnd, step);
    if (!r.ok()) {
      state.SkipWithError(r.status().message().c_str());
      return;
    }
    samples += r->stats.samples_loaded;
    benchmark::DoNotOptimize(r->value);
  }
  state.counters["samples/s"] = benchmark::Counter(static_cast<double>(samples),
                                                   benchmark::Counter::kIsRate);
}

constexpr const char* kSumRate = "sum by (job) (rate(x[5m]))";
constexpr const char* kQuantile = "histogram_quantile(0.95, sum by (le) (rate(h_bucket[5m])))";

void BM_SumRateInstant(benchmark::State& s) { Run(s, kSumRate, 0); }
void BM_SumRateRange15s(benchmark::State& s) { Run(s, kSumRate, 15000); }
void BM_SumRateRange60s(benchmark::State& s) { Run(s, kSumRate, 60000); }
void BM_QuantileInstant(benchmark::State& s) { Run(s, kQuantile, 0); }
void BM_QuantileRange15s(benchmark::State& s) { Run(s, kQuantile, 15000); }
void BM_QuantileRange60s(benchmark::State& s) { Run(s, kQuantile, 60000); }
void BM_GaugeAvgOverTimeRange60s(benchmark::State& s) {
  Run(s, "avg by (job) (avg_over_time(g[10m]))", 60000);
}

BENCHMARK(BM_SumRateInstant)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SumRateRange15s)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SumRateRange60s)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QuantileInstant)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_QuantileRange15s)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QuantileRange60s)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GaugeAvgOverTimeRange60s)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hw::promql

BENCHMARK_MAIN();
