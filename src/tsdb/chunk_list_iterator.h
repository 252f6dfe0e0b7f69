// ChunkListIterator: the samples of one series spread over several XOR chunks (in
// time order), restricted to [mint, maxt] — what a head or block querier returns
// for a series. Holds shared ownership of the chunks it reads. Not thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "storage/interface.h"
#include "tsdb/chunk.h"
#include "tsdb/head_series.h"

namespace hw::tsdb {

class ChunkListIterator : public storage::SampleIterator {
 public:
  ChunkListIterator(std::vector<ClosedChunkPtr> chunks, std::int64_t mint, std::int64_t maxt);

  bool Next() override;
  bool Seek(std::int64_t t) override;
  model::Sample At() const override { return cur_; }
  Status Err() const override { return err_; }
  std::size_t NextBatch(std::span<model::Sample> buf) override {
    std::size_t n = 0;  // qualified calls: no virtual dispatch per sample
    while (n < buf.size() && ChunkListIterator::Next()) buf[n++] = cur_;
    return n;
  }

 private:
  bool OpenChunk(size_t i);

  std::vector<ClosedChunkPtr> chunks_;
  std::int64_t mint_, maxt_;
  size_t idx_ = 0;
  std::optional<XorIterator> it_;
  model::Sample cur_;
  bool started_ = false;
  bool done_ = false;
  Status err_;
};

}  // namespace hw::tsdb
