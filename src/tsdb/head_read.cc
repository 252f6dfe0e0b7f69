// HeadQuerier: reads the head. Select resolves matchers through the postings index
// and snapshots each selected series' chunks, so the result stays consistent while
// appends continue.
#include <algorithm>

#include "tsdb/chunk_list_iterator.h"
#include "tsdb/head.h"

namespace hw::tsdb {
namespace {

class SnapshotSeries : public storage::Series {
 public:
  SnapshotSeries(model::Labels labels, std::vector<ClosedChunkPtr> chunks, std::int64_t mint,
                 std::int64_t maxt)
      : labels_(std::move(labels)), chunks_(std::move(chunks)), mint_(mint), maxt_(maxt) {}
  const model::Labels& labels() const override { return labels_; }
  std::unique_ptr<storage::SampleIterator> Iterator() const override {
    return std::make_unique<ChunkListIterator>(chunks_, mint_, maxt_);
  }

 private:
  model::Labels labels_;
  std::vector<ClosedChunkPtr> chunks_;
  std::int64_t mint_, maxt_;
};

class VectorSeriesSet : public storage::SeriesSet {
 public:
  explicit VectorSeriesSet(std::vector<SnapshotSeries> series) : series_(std::move(series)) {}
  bool Next() override {
    if (pos_ >= series_.size()) return false;
    if (started_) ++pos_;
    started_ = true;
    return pos_ < series_.size();
  }
  const storage::Series& At() const override { return series_[pos_]; }
  Status Err() const override { return Status::Ok(); }
  std::vector<std::string> Warnings() const override { return {}; }

 private:
  std::vector<SnapshotSeries> series_;
  size_t pos_ = 0;
  bool started_ = false;
};

class HeadQuerier : public storage::Querier {
 public:
  HeadQuerier(Head& head, std::int64_t mint, std::int64_t maxt)
      : head_(head), mint_(mint), maxt_(maxt) {}

  std::unique_ptr<storage::SeriesSet> Select(const std::vector<model::Matcher>& matchers,
                                             std::int64_t mint, std::int64_t maxt,
                                             const storage::SelectHints*) override {
    mint = std::max(mint, mint_);
    maxt = std::min(maxt, maxt_);
    std::vector<SnapshotSeries> out;
    if (mint <= maxt) {
      for (const auto& s : head_.SortedSeries(matchers)) {
        ChunkSnapshot snap = s->Snapshot(mint, maxt);
        if (snap.chunks.empty()) continue;
        out.emplace_back(s->labels(), std::move(snap.chunks), mint, maxt);
      }
    }
    return std::make_unique<VectorSeriesSet>(std::move(out));
  }

  Result<std::vector<std::string>> LabelNames(
      const std::vector<model::Matcher>& matchers) override {
    return head_.LabelNames(matchers);
  }

  Result<std::vector<std::string>> LabelValues(
      const std::string& name, const std::vector<model::Matcher>& matchers) override {
    return head_.LabelValues(name, matchers);
  }

  Status Close() override { return Status::Ok(); }

 private:
  Head& head_;
  std::int64_t mint_, maxt_;
};

}  // namespace

Result<std::unique_ptr<storage::Querier>> Head::NewQuerier(std::int64_t mint, std::int64_t maxt) {
  return std::unique_ptr<storage::Querier>(std::make_unique<HeadQuerier>(*this, mint, maxt));
}

}  // namespace hw::tsdb
