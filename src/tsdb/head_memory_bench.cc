// head_memory_bench: heap bytes per active series in the head, by component.
//
// The workload is bench/tsdb_compare.py's memory test done in-process: N fresh series
// {__name__="mem_test_metric", instance="host-<i%500>:9100", job="bench",
// series_id="<i>"}, two samples each, appended in remote-write-sized batches of 2000.
// Each figure is a delta of glibc's mallinfo2().uordblks + hblkhd (bytes in allocated
// chunks, malloc headers and rounding included, mmapped blocks too) divided by N, so it is what the allocator
// really hands out, not sizeof. Not a Google Benchmark: it measures memory, not time,
// and must run each phase exactly once.
//
//   ninja head_memory_bench && ./src/tsdb/head_memory_bench [series]
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "model/labels.h"
#include "tsdb/head.h"
#include "tsdb/postings_index.h"

namespace hw::tsdb {
namespace {

std::int64_t HeapInUse() {
  struct mallinfo2 mi = mallinfo2();
  // Large blocks (big vectors, hash bucket arrays) are mmapped and counted apart.
  return static_cast<std::int64_t>(mi.uordblks + mi.hblkhd);
}

std::vector<model::Labels> MakeLabels(int n) {
  std::vector<model::Labels> out;
  out.reserve(n);
  for (int i = 0; i < n; ++i) {
    std::string instance = "host-" + std::to_string(i % 500) + ":9100";
    std::string id = std::to_string(i);
    out.push_back(model::Labels::FromPairs({{"__name__", "mem_test_metric"},
                                            {"instance", instance},
                                            {"job", "bench"},
                                            {"series_id", id}}));
  }
  return out;
}

void Row(const char* what, std::int64_t bytes, int n) {
  std::printf("  %-44s %8.1f B/series\n", what, static_cast<double>(bytes) / n);
}

int Run(int n) {
  std::printf("head memory per series, %d series of 4 labels, 2 samples each\n", n);
  std::printf("  sizeof: Labels %zu, MemSeries %zu, XorChunk %zu, XorAppender %zu\n",
              sizeof(model::Labels), sizeof(MemSeries), sizeof(XorChunk), sizeof(XorAppender));

  std::int64_t before = HeapInUse();
  std::vector<model::Labels> labels = MakeLabels(n);  // the vector itself is not counted
  std::int64_t labels_bytes = HeapInUse() - before - static_cast<std::int64_t>(n * sizeof(model::Labels));
  Row("Labels (the label sets themselves)", labels_bytes, n);

  {
    before = HeapInUse();
    auto index = std::make_unique<PostingsIndex>();
    for (int i = 0; i < n; ++i) index->Add(static_cast<SeriesRef>(i + 1), labels[i]);
    Row("PostingsIndex alone", HeapInUse() - before, n);
  }

  before = HeapInUse();
  auto head = std::make_unique<Head>();
  std::int64_t empty_head = HeapInUse() - before;
  // Series only (maps, MemSeries, postings), no samples.
  before = HeapInUse();
  for (int i = 0; i < n; ++i) {
    bool created = false;
    head->GetOrCreate(labels[i], &created);
  }
  std::int64_t series_bytes = HeapInUse() - before;
  // Samples: two per series, committed in batches of 2000 like remote write.
  before = HeapInUse();
  const std::int64_t t0 = 1'700'000'000'000;
  for (int lo = 0; lo < n; lo += 2000) {
    auto app = head->NewAppender();
    for (int i = lo; i < std::min(n, lo + 2000); ++i) {
      if (!app->Append(labels[i], t0 - 15000, 1).ok() || !app->Append(labels[i], t0, 2).ok()) {
        std::fprintf(stderr, "append failed\n");
        return 1;
      }
    }
    if (!app->Commit().ok()) {
      std::fprintf(stderr, "commit failed\n");
      return 1;
    }
  }
  std::int64_t sample_bytes = HeapInUse() - before;
  Row("Head: series (maps + MemSeries + postings)", series_bytes, n);
  Row("Head: first two samples (open chunk)", sample_bytes, n);
  Row("Head total, excluding the Labels", series_bytes + sample_bytes, n);
  Row("Head total, including the Labels", series_bytes + sample_bytes + labels_bytes, n);
  std::printf("  (empty head: %lld B)\n", static_cast<long long>(empty_head));

  // Sanity: the head agrees on the count, and Truncate frees what it forgets.
  if (head->Stats().series != static_cast<std::uint64_t>(n)) {
    std::fprintf(stderr, "head has %llu series, want %d\n",
                 static_cast<unsigned long long>(head->Stats().series), n);
    return 1;
  }
  before = HeapInUse();
  head->Truncate(t0 + 1);
  std::printf("  Truncate of all series freed %.1f B/series; %llu left\n",
              static_cast<double>(before - HeapInUse()) / n,
              static_cast<unsigned long long>(head->Stats().series));
  return 0;
}

}  // namespace
}  // namespace hw::tsdb

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 100'000;
  if (n <= 0) n = 100'000;
  return hw::tsdb::Run(n);
}
