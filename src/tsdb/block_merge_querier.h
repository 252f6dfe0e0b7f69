// MergeQuerier: one storage::Querier over several (e.g. every block plus the head),
// and MergeSampleIterator, the timestamp merge it and compaction use.
//
// Select asks every querier and merges their series sets by labels (each input is
// sorted, so this is a k-way merge). A series present in several sources becomes one
// series whose samples are merged by timestamp; where sources have a sample at the
// same timestamp, the one from the earliest source (in constructor order) wins and
// the others are dropped. So list the preferred source first.
//
// Errors: the first error of any input set ends the merged set and is its Err();
// warnings of all inputs are concatenated. LabelNames/LabelValues are unions.
//
// Thread-safety: as storage::Querier (one thread at a time). The merged series set
// holds the inputs' sets; iterators returned by its series are independent of it.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "storage/interface.h"

namespace hw::tsdb {

class MergeQuerier : public storage::Querier {
 public:
  explicit MergeQuerier(std::vector<std::unique_ptr<storage::Querier>> queriers);

  std::unique_ptr<storage::SeriesSet> Select(const std::vector<model::Matcher>& matchers,
                                             std::int64_t mint, std::int64_t maxt,
                                             const storage::SelectHints* hints) override;
  Result<std::vector<std::string>> LabelNames(
      const std::vector<model::Matcher>& matchers) override;
  Result<std::vector<std::string>> LabelValues(
      const std::string& name, const std::vector<model::Matcher>& matchers) override;
  // Closes every input; returns the first error.
  Status Close() override;

 private:
  std::vector<std::unique_ptr<storage::Querier>> queriers_;
};

// Merges iterators by timestamp; on equal timestamps the lowest-index iterator's
// sample is returned and the rest skipped. Not thread-safe.
class MergeSampleIterator : public storage::SampleIterator {
 public:
  explicit MergeSampleIterator(std::vector<std::unique_ptr<storage::SampleIterator>> its);

  bool Next() override;
  bool Seek(std::int64_t t) override;
  model::Sample At() const override { return cur_; }
  Status Err() const override { return err_; }
  // Copies runs of one source's samples at once while no other source has a sample
  // in between (e.g. adjacent blocks), which is the common case.
  std::size_t NextBatch(std::span<model::Sample> buf) override;

 private:
  // Picks the smallest head among the live iterators into cur_; false when none.
  bool Pick();

  struct Source {
    std::unique_ptr<storage::SampleIterator> it;
    model::Sample head;  // it->At(), cached: read once per sample
    bool live;           // it is positioned on a sample
    // Samples NextBatch read from `it` but could not return yet (another source's
    // sample comes first); `it` sits on the last of them. Consumed before `it`.
    std::vector<model::Sample> pending = {};
    std::size_t pending_pos = 0;
  };
  bool Advance(Source& src, bool seek, std::int64_t t);

  std::vector<Source> srcs_;
  model::Sample cur_;
  bool started_ = false;
  bool done_ = false;
  Status err_;
};

}  // namespace hw::tsdb
