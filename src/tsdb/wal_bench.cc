// Write-ahead log throughput: Log calls of one samples record holding 1,000 samples
// (a scrape of 1,000 series, or a remote-write request) under each fsync policy, from
// one writer and from 8 concurrent writers (group commit shares the fsyncs).
// Reported: items_per_second = samples/s, bytes_per_second = WAL bytes/s,
// records/s = Log calls/s.
//   ninja wal_bench && ./wal_bench   (set TMPDIR to put the WAL on the disk to measure)
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "tsdb/record.h"
#include "tsdb/wal.h"

namespace hw::tsdb {
namespace {

constexpr int kSamplesPerRecord = 1000;

std::string Record(std::int64_t t, std::mt19937_64& rng) {
  std::vector<RefSample> s;
  s.reserve(kSamplesPerRecord);
  for (int i = 0; i < kSamplesPerRecord; ++i) {
    s.push_back({static_cast<SeriesRef>(1000 + i), t, static_cast<double>(rng() % 100000) / 100});
  }
  return EncodeSamples(s);
}

struct Shared {
  std::string dir;
  std::unique_ptr<Wal> wal;
};
Shared* shared = nullptr;

void BM_Log(benchmark::State& state, FsyncPolicy policy) {
  if (state.thread_index() == 0) {
    shared = new Shared;
    shared->dir = (std::filesystem::temp_directory_path() / "wal_bench").string();
    std::filesystem::remove_all(shared->dir);
    WalOptions opts;
    opts.fsync = policy;
    shared->wal = Wal::Open(shared->dir, opts).value();
  }
  std::mt19937_64 rng(state.thread_index());
  std::vector<std::string> recs;
  for (int i = 0; i < 16; ++i) recs.push_back(Record(1'700'000'000'000 + i * 15000, rng));
  std::size_t bytes = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    const std::string& r = recs[i++ % recs.size()];
    if (!shared->wal->Log(std::span(&r, 1)).ok()) state.SkipWithError("Log failed");
    bytes += r.size() + 8;
  }
  state.SetItemsProcessed(state.iterations() * kSamplesPerRecord);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["records/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  if (state.thread_index() == 0) {
    (void)shared->wal->Close();
    std::filesystem::remove_all(shared->dir);
    delete shared;
    shared = nullptr;
  }
}

BENCHMARK_CAPTURE(BM_Log, never, FsyncPolicy::kNever)->Threads(1)->Threads(8)->UseRealTime();
BENCHMARK_CAPTURE(BM_Log, interval, FsyncPolicy::kInterval)->Threads(1)->Threads(8)->UseRealTime();
BENCHMARK_CAPTURE(BM_Log, always, FsyncPolicy::kAlways)->Threads(1)->Threads(8)->UseRealTime();

}  // namespace
}  // namespace hw::tsdb

BENCHMARK_MAIN();
