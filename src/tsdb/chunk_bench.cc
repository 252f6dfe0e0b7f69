// XOR chunk encode/decode throughput and density on realistic series:
//   counter: +0..4 every 15 s scrape
//   gauge:   a random walk printed with 2 decimals, same scrape timing
// with scrape timestamps jittered uniformly by up to ±J ms (the second argument;
// 0, 2 and 25). Jitter is what costs: any non-zero delta-of-delta takes 16 bits.
// Chunks are cut at XorChunk::IsFull() (120 samples), as the head does. Reported:
// items_per_second = samples/s, bytes_per_sample = encoded bytes (headers included)
// per sample.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "tsdb/chunk.h"

namespace hw::tsdb {
namespace {

using model::Sample;

constexpr int kSamples = 120 * 100;

std::vector<Sample> Series(bool counter, int jitter_ms) {
  std::mt19937_64 rng(12345);
  std::uniform_int_distribution<int> jitter(-jitter_ms, jitter_ms);
  std::normal_distribution<double> step(0, 3);
  std::vector<Sample> out;
  out.reserve(kSamples);
  std::int64_t base = 1'700'000'000'000;
  double v = counter ? 0 : 512.37;
  for (int i = 0; i < kSamples; ++i) {
    if (counter) {
      v += static_cast<double>(rng() % 5);
    } else {
      v = std::round((v + step(rng)) * 100) / 100;
    }
    out.push_back({base + std::int64_t{i} * 15'000 + jitter(rng), v});
  }
  return out;
}

std::vector<XorChunk> Encode(const std::vector<Sample>& samples) {
  std::vector<XorChunk> chunks(1);
  XorAppender app = *chunks.back().NewAppender();
  for (const Sample& s : samples) {
    if (chunks.back().IsFull()) {
      chunks.emplace_back();
      app = *chunks.back().NewAppender();
    }
    if (!app.Append(s.t, s.v)) std::abort();
  }
  return chunks;
}

double BytesPerSample(const std::vector<XorChunk>& chunks) {
  std::size_t bytes = 0;
  for (const XorChunk& c : chunks) bytes += c.NumBytes();
  return static_cast<double>(bytes) / kSamples;
}

void BM_Encode(benchmark::State& state) {
  std::vector<Sample> samples = Series(state.range(0) == 0, static_cast<int>(state.range(1)));
  double bps = 0;
  for (auto _ : state) {
    std::vector<XorChunk> chunks = Encode(samples);
    benchmark::DoNotOptimize(chunks.data());
    bps = BytesPerSample(chunks);
  }
  state.SetItemsProcessed(state.iterations() * kSamples);
  state.counters["bytes_per_sample"] = bps;
  state.SetLabel(state.range(0) == 0 ? "counter" : "gauge_2dp");
}

void BM_Decode(benchmark::State& state) {
  std::vector<XorChunk> chunks = Encode(Series(state.range(0) == 0, static_cast<int>(state.range(1))));
  for (auto _ : state) {
    double sum = 0;
    for (const XorChunk& c : chunks) {
      XorIterator it = c.Iterator();
      while (it.Next()) sum += it.V();
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kSamples);
  state.counters["bytes_per_sample"] = BytesPerSample(chunks);
  state.SetLabel(state.range(0) == 0 ? "counter" : "gauge_2dp");
}

// Seeking to the middle of a full chunk (decodes ~60 samples).
void BM_SeekMiddle(benchmark::State& state) {
  std::vector<XorChunk> chunks = Encode(Series(true, 2));
  for (auto _ : state) {
    XorIterator it = chunks[0].Iterator();
    it.Seek(1'700'000'000'000 + 60 * 15'000);
    benchmark::DoNotOptimize(it.T());
  }
}

BENCHMARK(BM_Encode)->ArgsProduct({{0, 1}, {0, 2, 25}});
BENCHMARK(BM_Decode)->ArgsProduct({{0, 1}, {0, 2, 25}});
BENCHMARK(BM_SeekMiddle);

}  // namespace
}  // namespace hw::tsdb

BENCHMARK_MAIN();
