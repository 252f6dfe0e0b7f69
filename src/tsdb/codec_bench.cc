// Density and speed of the series codec (codec.h) against the head's XOR chunks on
// the node_exporter + HTTP-histogram dataset of codec_bench_data.h.
//
//   ninja -C build codec_bench && build/src/tsdb/codec_bench [--benchmark_filter=...]
//
// First prints bytes/sample (payload bytes, headers included, per stored sample) for:
//   xor        XOR chunks cut at 120 samples, as the head writes them
//   codec      one kColumnar payload per series
//   codec+zstd one kZstd payload per series
//   batch 64K  kColumnar payloads in label order, grouped into ~64 KiB kBatch frames
// for 2 h blocks with and without scrape jitter and for a 24 h block, then a
// per-family breakdown. Then Google Benchmark measures encode/decode samples/s
// (items_per_second).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <map>

#include "tsdb/chunk.h"
#include "tsdb/codec.h"
#include "tsdb/codec_bench_data.h"

namespace hw::tsdb {
namespace {

using bench::BenchSeries;
using bench::DatasetOptions;

std::size_t XorBytes(const std::vector<model::Sample>& samples) {
  std::size_t bytes = 0;
  XorChunk chunk;
  XorAppender app = *chunk.NewAppender();
  for (const model::Sample& s : samples) {
    if (chunk.IsFull()) {
      bytes += chunk.NumBytes();
      chunk = XorChunk();
      app = *chunk.NewAppender();
    }
    if (!app.Append(s.t, s.v)) std::abort();
  }
  return bytes + chunk.NumBytes();
}

std::size_t BatchedBytes(const std::vector<std::vector<std::uint8_t>>& payloads,
                         std::size_t target, int level = kCodecZstdLevel) {
  std::size_t bytes = 0;
  BatchBuilder b;
  for (const std::vector<std::uint8_t>& p : payloads) {
    b.Add(p);
    if (b.RawBytes() >= target) bytes += b.Finish(level).size();
  }
  if (b.Count() > 0) bytes += b.Finish(level).size();
  return bytes;
}

// The zstd level trade-off on 64 KiB batches (the basis of kCodecZstdLevel).
void PrintLevels() {
  std::vector<BenchSeries> data = bench::MakeDataset(DatasetOptions{});
  std::vector<std::vector<std::uint8_t>> payloads;
  std::size_t samples = 0;
  for (const BenchSeries& s : data) {
    payloads.push_back(EncodeColumnar(s.samples));
    samples += s.samples.size();
  }
  std::printf("zstd level on 64 KiB batches (2h, jitter +-3ms):\n");
  for (int level : {1, 3, 6, 9, 19}) {
    auto start = std::chrono::steady_clock::now();
    std::size_t bytes = BatchedBytes(payloads, 64 << 10, level);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("  level %2d: %.3f bytes/sample, %.1f M samples/s compression\n", level,
                static_cast<double>(bytes) / samples, samples / secs / 1e6);
  }
  std::printf("\n");
}

void PrintRow(const char* name, const DatasetOptions& opts, bool breakdown) {
  std::vector<BenchSeries> data = bench::MakeDataset(opts);
  std::size_t samples = 0, xor_bytes = 0, codec_bytes = 0, zstd_bytes = 0;
  std::vector<std::vector<std::uint8_t>> payloads;
  std::map<std::string, std::pair<std::size_t, std::size_t>> family;  // samples, bytes
  for (const BenchSeries& s : data) {
    samples += s.samples.size();
    xor_bytes += XorBytes(s.samples);
    payloads.push_back(EncodeColumnar(s.samples));
    codec_bytes += payloads.back().size();
    zstd_bytes += EncodeColumnarZstd(s.samples).size();
    Result<std::vector<model::Sample>> back = DecodeColumnar(payloads.back());
    if (!back.ok() || back->size() != s.samples.size()) std::abort();
    for (std::size_t i = 0; i < s.samples.size(); ++i) {
      if (!model::SameBits(s.samples[i], (*back)[i])) std::abort();
    }
    family[s.family].first += s.samples.size();
    family[s.family].second += payloads.back().size();
  }
  auto per = [samples](std::size_t b) { return static_cast<double>(b) / samples; };
  std::printf("%-22s %6zu %9zu %7.3f %7.3f %10.3f %9.3f %9.3f %9.3f\n", name, data.size(), samples,
              per(xor_bytes), per(codec_bytes), per(zstd_bytes),
              per(BatchedBytes(payloads, 16 << 10)), per(BatchedBytes(payloads, 64 << 10)),
              per(BatchedBytes(payloads, 256 << 10)));
  if (!breakdown) return;
  std::printf("\n  per family, codec (per series), bytes/sample:\n");
  for (const auto& [name, sb] : family) {
    std::printf("    %-44s %7.3f  (%4.1f%% of samples)\n", name.c_str(), per(sb.second) * samples / sb.first,
                100.0 * sb.first / samples);
  }
  std::printf("\n");
}

void PrintTable() {
  std::printf("%-22s %6s %9s %7s %7s %10s %9s %9s %9s\n", "dataset", "series", "samples", "xor",
              "codec", "codec+zstd", "batch16K", "batch64K", "batch256K");
  DatasetOptions jitter;
  PrintRow("2h, jitter +-3ms", jitter, false);
  DatasetOptions exact = jitter;
  exact.jitter_ms = 0;
  PrintRow("2h, no jitter", exact, false);
  DatasetOptions day = jitter;
  day.samples = 5760;
  PrintRow("24h, jitter +-3ms", day, false);
  PrintRow("2h, jitter +-3ms", jitter, true);
  PrintLevels();
}

// ---- Throughput ----

struct Encoded {
  std::vector<BenchSeries> data;
  std::vector<std::vector<std::uint8_t>> payloads, batches;
  std::size_t samples = 0;
};

const Encoded& Fixture() {
  static const Encoded* e = [] {
    auto* enc = new Encoded;
    enc->data = bench::MakeDataset(DatasetOptions{});
    BatchBuilder b;
    for (const BenchSeries& s : enc->data) {
      enc->samples += s.samples.size();
      enc->payloads.push_back(EncodeColumnar(s.samples));
      b.Add(enc->payloads.back());
      if (b.RawBytes() >= BatchBuilder::kTargetRawBytes) enc->batches.push_back(b.Finish());
    }
    if (b.Count() > 0) enc->batches.push_back(b.Finish());
    return enc;
  }();
  return *e;
}

void BM_Encode(benchmark::State& state) {
  const Encoded& e = Fixture();
  for (auto _ : state) {
    for (const BenchSeries& s : e.data) benchmark::DoNotOptimize(EncodeColumnar(s.samples).data());
  }
  state.SetItemsProcessed(state.iterations() * e.samples);
}

void BM_Decode(benchmark::State& state) {
  const Encoded& e = Fixture();
  std::vector<model::Sample> out;
  for (auto _ : state) {
    for (const auto& p : e.payloads) {
      if (!DecodeColumnarInto(p, &out).ok()) std::abort();
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * e.samples);
}

void BM_DecodeBatched(benchmark::State& state) {
  const Encoded& e = Fixture();
  std::vector<model::Sample> out;
  for (auto _ : state) {
    for (const auto& batch : e.batches) {
      Result<BatchReader> r = BatchReader::Open(batch);
      for (std::size_t i = 0; i < r->Count(); ++i) {
        if (!DecodeColumnarInto(r->Payload(i), &out).ok()) std::abort();
        benchmark::DoNotOptimize(out.data());
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * e.samples);
}

void BM_DecodeXor(benchmark::State& state) {
  const Encoded& e = Fixture();
  std::vector<XorChunk> chunks;
  for (const BenchSeries& s : e.data) {
    for (std::size_t i = 0; i < s.samples.size(); i += XorChunk::kTargetSamples) {
      XorChunk c;
      XorAppender app = *c.NewAppender();
      for (std::size_t j = i; j < std::min(s.samples.size(), i + XorChunk::kTargetSamples); ++j) {
        if (!app.Append(s.samples[j].t, s.samples[j].v)) std::abort();
      }
      chunks.push_back(std::move(c));
    }
  }
  for (auto _ : state) {
    double sum = 0;
    for (const XorChunk& c : chunks) {
      XorIterator it = c.Iterator();
      while (it.Next()) sum += it.V();
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * e.samples);
}

BENCHMARK(BM_Encode)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Decode)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeBatched)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeXor)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hw::tsdb

int main(int argc, char** argv) {
  hw::tsdb::PrintTable();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
