// Bytes on disk per sample for a realistic 2 h block: 1,000 series scraped every
// 15 s (480 samples each), half counters and half gauges with 2 decimals, with and
// without ±2 ms scrape jitter. Prints one line per dataset. Not a test:
//   ninja -C build block_bench && build/src/tsdb/block_bench
#include <cstdio>

#include "tsdb/block.h"
#include "tsdb/block_test_util.h"

using hw::tsdb::Block;
namespace t = hw::tsdb::testing;

namespace {

void Report(const char* name, const t::GenerateOptions& o) {
  t::TempDir dir;
  auto series = t::GenerateSeries(o);
  // Counters and gauges separately, then together.
  for (int kind = 0; kind < 3; ++kind) {
    std::vector<t::TestSeries> subset;
    for (const auto& s : series) {
      bool counter = s.labels.MetricName().ends_with("_total");
      if (kind == 2 || (kind == 0) == counter) subset.push_back(s);
    }
    auto path = t::WriteBlock(dir.path(), subset);
    if (!path.ok()) {
      std::fprintf(stderr, "%s\n", path.status().ToString().c_str());
      return;
    }
    auto block = Block::Open(*path).value();
    const auto& st = block->meta().stats;
    std::uint64_t chunks = block->chunks().total_bytes();
    std::uint64_t index = block->index().size_bytes();
    static const char* kKinds[] = {"counters", "gauges", "all"};
    std::printf("%-14s %-8s series=%-5llu samples=%-7llu chunks=%8llu B index=%7llu B  "
                "%.3f B/sample (chunks %.3f, index %.3f)\n",
                name, kKinds[kind], static_cast<unsigned long long>(st.num_series),
                static_cast<unsigned long long>(st.num_samples),
                static_cast<unsigned long long>(chunks), static_cast<unsigned long long>(index),
                static_cast<double>(chunks + index) / static_cast<double>(st.num_samples),
                static_cast<double>(chunks) / static_cast<double>(st.num_samples),
                static_cast<double>(index) / static_cast<double>(st.num_samples));
  }
}

}  // namespace

int main() {
  t::GenerateOptions exact;
  Report("exact-15s", exact);
  t::GenerateOptions jitter;
  jitter.jitter_ms = 2;
  Report("jitter-2ms", jitter);
  return 0;
}
