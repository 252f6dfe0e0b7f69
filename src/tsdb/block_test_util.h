// Test and benchmark helpers for blocks: synthetic series, chunk encoding, writing a
// block from samples, reading a querier back into memory, temporary directories.
// Not thread-safe; for tests and block_bench only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "model/sample.h"
#include "storage/interface.h"
#include "tsdb/block_meta.h"
#include "tsdb/block_writer.h"
#include "tsdb/chunk.h"
#include "tsdb/chunk_file.h"

namespace hw::tsdb::testing {

struct TestSeries {
  model::Labels labels;
  std::vector<model::Sample> samples;
};

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct GenerateOptions {
  int num_series = 1000;
  std::int64_t mint = 1'700'000'000'000;
  std::int64_t step_ms = 15'000;
  int num_samples = 480;  // 2 h at 15 s
  std::int64_t jitter_ms = 0;  // timestamps off by up to ± this
  bool special_values = false;  // sprinkle NaN, stale markers, ±Inf, -0.0
  std::uint64_t seed = 1;
};

// Series sorted by labels: half counters (`*_total`), half gauges with 2 decimals,
// labels __name__ (20 names), job (4), instance (50), and `zone` on a third of them.
std::vector<TestSeries> GenerateSeries(const GenerateOptions& options);

// XOR chunks of `samples` cut by XorChunk's policy, with metas pointing into them.
struct EncodedChunks {
  std::vector<std::unique_ptr<XorChunk>> chunks;
  std::vector<ChunkMeta> metas;
};
EncodedChunks EncodeChunks(const std::vector<model::Sample>& samples);

// Writes `series` (sorted) as a block under parent, handing the writer XOR chunks;
// returns its directory. The block's encoding is the writer's default unless given.
Result<std::string> WriteBlock(const std::string& parent, const std::vector<TestSeries>& series,
                               BlockMeta meta = {}, std::uint64_t max_segment_size = 0,
                               BlockEncoding encoding = BlockWriterOptions{}.encoding);

// Everything a Select returns, samples included. Fails on any Err().
Result<std::vector<TestSeries>> ReadAll(storage::Querier& q,
                                        const std::vector<model::Matcher>& matchers,
                                        std::int64_t mint, std::int64_t maxt,
                                        const storage::SelectHints* hints = nullptr);

// Bit-exact comparison of two series lists; "" when equal, else the first difference.
std::string Diff(const std::vector<TestSeries>& want, const std::vector<TestSeries>& got);

}  // namespace hw::tsdb::testing
