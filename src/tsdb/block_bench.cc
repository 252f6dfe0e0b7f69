// Bytes on disk per sample and read throughput of a realistic 2 h block, XOR chunks vs
// columnar batches: 1,000 series scraped every 15 s (480 samples each), half counters
// and half gauges with 2 decimals, with and without ±2 ms scrape jitter.
//
// Size: one line per dataset, encoding and kind (counters, gauges, all).
// Throughput: select + decode of every sample of the "all" block through BlockQuerier
// (best of kRuns), and for columnar blocks the same reading with no batch cache, plus
// how many kBatch frames each decompressed. Not a test:
//   ninja -C build block_bench && build/src/tsdb/block_bench
#include <chrono>
#include <cstdio>
#include <set>

#include "tsdb/block.h"
#include "tsdb/block_iterator.h"
#include "tsdb/block_querier.h"
#include "tsdb/block_test_util.h"

using hw::tsdb::Block;
using hw::tsdb::BlockEncoding;
namespace t = hw::tsdb::testing;

namespace {

constexpr int kRuns = 5;

double Seconds(std::chrono::steady_clock::time_point from) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
}

// Samples per second reading every series in label order, best of kRuns. With
// use_querier false the iterators are built from the index without a BatchCache.
double ReadRate(const std::shared_ptr<Block>& block, bool use_querier) {
  double best = 0;
  for (int run = 0; run < kRuns; ++run) {
    std::uint64_t n = 0;
    double sum = 0;
    auto start = std::chrono::steady_clock::now();
    if (use_querier) {
      hw::tsdb::BlockQuerier q(block, INT64_MIN, INT64_MAX);
      auto set = q.Select({}, INT64_MIN, INT64_MAX, nullptr);
      while (set->Next()) {
        auto it = set->At().Iterator();
        for (; it->Next(); ++n) sum += it->At().v;
      }
    } else {
      for (hw::tsdb::SeriesRef id = 0; id < block->index().num_series(); ++id) {
        std::vector<hw::tsdb::ChunkMeta> metas;
        (void)block->index().Series(id, nullptr, &metas);
        hw::tsdb::BlockSeriesIterator it(block, metas, {}, INT64_MIN, INT64_MAX, nullptr);
        for (; it.Next(); ++n) sum += it.At().v;
      }
    }
    double s = Seconds(start);
    if (sum == 42) std::printf(" ");  // keeps the loop from being optimised away
    best = std::max(best, static_cast<double>(n) / s);
  }
  return best;
}

std::size_t CountRecords(const Block& block) {
  std::set<hw::tsdb::ChunkRef> refs;
  for (hw::tsdb::SeriesRef id = 0; id < block.index().num_series(); ++id) {
    std::vector<hw::tsdb::ChunkMeta> metas;
    (void)block.index().Series(id, nullptr, &metas);
    for (const auto& m : metas) refs.insert(m.ref);
  }
  return refs.size();
}

void Report(const char* name, const t::GenerateOptions& o, BlockEncoding encoding) {
  const char* enc = encoding == BlockEncoding::kXor ? "xor" : "columnar";
  t::TempDir dir;
  auto series = t::GenerateSeries(o);
  for (int kind = 0; kind < 3; ++kind) {
    std::vector<t::TestSeries> subset;
    for (const auto& s : series) {
      bool counter = s.labels.MetricName().ends_with("_total");
      if (kind == 2 || (kind == 0) == counter) subset.push_back(s);
    }
    auto path = t::WriteBlock(dir.path(), subset, {}, 0, encoding);
    if (!path.ok()) {
      std::fprintf(stderr, "%s\n", path.status().ToString().c_str());
      return;
    }
    auto block = Block::Open(*path).value();
    const auto& st = block->meta().stats;
    std::uint64_t chunks = block->chunks().total_bytes();
    std::uint64_t index = block->index().size_bytes();
    auto per = [&](std::uint64_t b) {
      return static_cast<double>(b) / static_cast<double>(st.num_samples);
    };
    static const char* kKinds[] = {"counters", "gauges", "all"};
    std::printf("%-10s %-8s %-8s series=%-5llu samples=%-7llu chunks=%8llu B index=%7llu B  "
                "%.3f B/sample (chunks %.3f, index %.3f)\n",
                name, enc, kKinds[kind], static_cast<unsigned long long>(st.num_series),
                static_cast<unsigned long long>(st.num_samples),
                static_cast<unsigned long long>(chunks), static_cast<unsigned long long>(index),
                per(chunks + index), per(chunks), per(index));
    if (kind != 2) continue;
    std::printf("%-10s %-8s read: %.1f M samples/s via BlockQuerier", name, enc,
                ReadRate(block, true) / 1e6);
    if (encoding == BlockEncoding::kColumnarBatched) {
      // One more pass to count decompressions with and without the cache.
      auto cache = std::make_shared<hw::tsdb::BatchCache>();
      for (hw::tsdb::SeriesRef id = 0; id < block->index().num_series(); ++id) {
        std::vector<hw::tsdb::ChunkMeta> metas;
        (void)block->index().Series(id, nullptr, &metas);
        hw::tsdb::BlockSeriesIterator it(block, metas, {}, INT64_MIN, INT64_MAX, cache);
        while (it.Next()) {
        }
      }
      std::printf(", %.1f M/s without batch cache; frames=%zu, decompressions %llu cached vs "
                  "%llu uncached",
                  ReadRate(block, false) / 1e6, CountRecords(*block),
                  static_cast<unsigned long long>(cache->misses()),
                  static_cast<unsigned long long>(cache->hits() + cache->misses()));
    }
    std::printf("\n");
  }
}

}  // namespace

int main() {
  t::GenerateOptions exact;
  t::GenerateOptions jitter;
  jitter.jitter_ms = 2;
  for (BlockEncoding e : {BlockEncoding::kXor, BlockEncoding::kColumnarBatched}) {
    Report("exact-15s", exact, e);
    Report("jitter-2ms", jitter, e);
  }
  return 0;
}
