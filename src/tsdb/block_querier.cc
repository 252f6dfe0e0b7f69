#include "tsdb/block_querier.h"

#include <algorithm>
#include <set>

#include "tsdb/block_iterator.h"

namespace hw::tsdb {
namespace {

class EmptySeriesSet : public storage::SeriesSet {
 public:
  explicit EmptySeriesSet(Status s) : s_(std::move(s)) {}
  bool Next() override { return false; }
  const storage::Series& At() const override { std::abort(); }
  Status Err() const override { return s_; }
  std::vector<std::string> Warnings() const override { return {}; }

 private:
  Status s_;
};

class BlockSeries : public storage::Series {
 public:
  const model::Labels& labels() const override { return labels_; }
  std::unique_ptr<storage::SampleIterator> Iterator() const override {
    return std::make_unique<BlockSeriesIterator>(block_, chunks_, deleted_, mint_, maxt_, cache_,
                                                 samples_);
  }

  std::shared_ptr<const Block> block_;
  std::shared_ptr<BatchCache> cache_;
  SampleCache* samples_ = nullptr;
  model::Labels labels_;
  std::vector<ChunkMeta> chunks_;
  Intervals deleted_;
  std::int64_t mint_ = 0;
  std::int64_t maxt_ = 0;
};

class BlockSeriesSet : public storage::SeriesSet {
 public:
  BlockSeriesSet(std::shared_ptr<const Block> block, std::shared_ptr<const TombstoneMap> ts,
                 Postings postings, std::int64_t mint, std::int64_t maxt, SampleCache* samples)
      : tombstones_(std::move(ts)), postings_(std::move(postings)) {
    cur_.block_ = std::move(block);
    cur_.cache_ = std::make_shared<BatchCache>();
    cur_.samples_ = samples;
    cur_.mint_ = mint;
    cur_.maxt_ = maxt;
  }

  bool Next() override {
    const IndexReader& index = cur_.block_->index();
    while (pos_ < postings_.size()) {
      SeriesRef id = postings_[pos_++];
      Status s = index.Series(id, &cur_.labels_, &cur_.chunks_);
      if (!s.ok()) {
        err_ = s;
        pos_ = postings_.size();
        return false;
      }
      cur_.deleted_.clear();
      if (auto it = tombstones_->find(id); it != tombstones_->end()) cur_.deleted_ = it->second;
      std::int64_t mint = cur_.mint_, maxt = cur_.maxt_;
      std::erase_if(cur_.chunks_, [&](const ChunkMeta& c) {
        if (c.maxt < mint || c.mint > maxt) return true;
        return !cur_.deleted_.empty() &&
               Covers(cur_.deleted_, std::max(c.mint, mint), std::min(c.maxt, maxt));
      });
      if (!cur_.chunks_.empty()) return true;
    }
    return false;
  }
  const storage::Series& At() const override { return cur_; }
  Status Err() const override { return err_; }
  std::vector<std::string> Warnings() const override { return {}; }

 private:
  std::shared_ptr<const TombstoneMap> tombstones_;
  Postings postings_;
  std::size_t pos_ = 0;
  BlockSeries cur_;
  Status err_;
};

}  // namespace

std::unique_ptr<storage::SeriesSet> ErrorSeriesSet(Status status) {
  return std::make_unique<EmptySeriesSet>(std::move(status));
}

BlockQuerier::BlockQuerier(std::shared_ptr<const Block> block, std::int64_t mint,
                           std::int64_t maxt)
    : block_(std::move(block)), tombstones_(block_->tombstones()), mint_(mint), maxt_(maxt) {}

std::unique_ptr<storage::SeriesSet> BlockQuerier::Select(
    const std::vector<model::Matcher>& matchers, std::int64_t mint, std::int64_t maxt,
    const storage::SelectHints* hints) {
  if (block_ == nullptr) return ErrorSeriesSet(Status::Internal("cannot select: querier closed"));
  mint = std::max(mint, mint_);
  maxt = std::min(maxt, maxt_);
  if (maxt < mint) return ErrorSeriesSet(Status::Ok());
  auto postings = block_->index().ForMatchers(matchers);
  if (!postings.ok()) return ErrorSeriesSet(postings.status());
  // Queries (which pass hints) share decoded payloads; a hint-less whole-block scan
  // (compaction) would only evict their working set.
  SampleCache* samples = hints != nullptr ? &SampleCache::Shared() : nullptr;
  return std::make_unique<BlockSeriesSet>(block_, tombstones_, std::move(*postings), mint, maxt,
                                          samples);
}

Result<std::vector<std::string>> BlockQuerier::LabelNames(
    const std::vector<model::Matcher>& matchers) {
  if (block_ == nullptr) return Status::Internal("cannot list label names: querier closed");
  const IndexReader& index = block_->index();
  if (matchers.empty()) return index.LabelNames();
  auto postings = index.ForMatchers(matchers);
  if (!postings.ok()) return postings.status();
  std::set<std::string, std::less<>> names;
  model::Labels labels;
  for (SeriesRef id : *postings) {
    HW_RETURN_IF_ERROR(index.Series(id, &labels, nullptr));
    for (const model::Label& l : labels) {
      if (!names.contains(l.name)) names.emplace(l.name);
    }
  }
  return std::vector<std::string>(names.begin(), names.end());
}

Result<std::vector<std::string>> BlockQuerier::LabelValues(
    const std::string& name, const std::vector<model::Matcher>& matchers) {
  if (block_ == nullptr) return Status::Internal("cannot list label values: querier closed");
  const IndexReader& index = block_->index();
  if (matchers.empty()) return index.LabelValues(name);
  auto postings = index.ForMatchers(matchers);
  if (!postings.ok()) return postings.status();
  std::set<std::string, std::less<>> values;
  model::Labels labels;
  for (SeriesRef id : *postings) {
    HW_RETURN_IF_ERROR(index.Series(id, &labels, nullptr));
    std::string_view v = labels.Get(name);
    if (!v.empty() && !values.contains(v)) values.emplace(v);
  }
  return std::vector<std::string>(values.begin(), values.end());
}

Status BlockQuerier::Close() {
  block_.reset();
  tombstones_.reset();
  return Status::Ok();
}

}  // namespace hw::tsdb
