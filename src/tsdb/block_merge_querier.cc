#include "tsdb/block_merge_querier.h"

#include <algorithm>
#include <iterator>

#include "tsdb/block_querier.h"

namespace hw::tsdb {
namespace {

// A series present in one or more inputs; At() of the inputs it points to stays valid
// until the merged set advances them.
class MergedSeries : public storage::Series {
 public:
  const model::Labels& labels() const override { return parts_.front()->labels(); }
  std::unique_ptr<storage::SampleIterator> Iterator() const override {
    if (parts_.size() == 1) return parts_.front()->Iterator();
    std::vector<std::unique_ptr<storage::SampleIterator>> its;
    its.reserve(parts_.size());
    for (const storage::Series* p : parts_) its.push_back(p->Iterator());
    return std::make_unique<MergeSampleIterator>(std::move(its));
  }

  std::vector<const storage::Series*> parts_;  // in source order
};

class MergedSeriesSet : public storage::SeriesSet {
 public:
  explicit MergedSeriesSet(std::vector<std::unique_ptr<storage::SeriesSet>> sets)
      : sets_(std::move(sets)), live_(sets_.size(), false), used_(sets_.size(), true) {}

  bool Next() override {
    if (done_) return false;
    // Advance every input whose current series was consumed by the previous step.
    for (std::size_t i = 0; i < sets_.size(); ++i) {
      if (!used_[i]) continue;
      used_[i] = false;
      live_[i] = sets_[i]->Next();
      if (!live_[i] && !sets_[i]->Err().ok()) {
        err_ = sets_[i]->Err();
        done_ = true;
        return false;
      }
    }
    const model::Labels* min = nullptr;
    for (std::size_t i = 0; i < sets_.size(); ++i) {
      if (live_[i] && (min == nullptr || sets_[i]->At().labels() < *min)) {
        min = &sets_[i]->At().labels();
      }
    }
    if (min == nullptr) {
      done_ = true;
      return false;
    }
    cur_.parts_.clear();
    model::Labels labels = *min;  // copy: cheap, and *min may be an input's member
    for (std::size_t i = 0; i < sets_.size(); ++i) {
      if (live_[i] && sets_[i]->At().labels() == labels) {
        cur_.parts_.push_back(&sets_[i]->At());
        used_[i] = true;
      }
    }
    return true;
  }
  const storage::Series& At() const override { return cur_; }
  Status Err() const override { return err_; }
  std::vector<std::string> Warnings() const override {
    std::vector<std::string> out;
    for (const auto& s : sets_) {
      auto w = s->Warnings();
      out.insert(out.end(), std::make_move_iterator(w.begin()), std::make_move_iterator(w.end()));
    }
    return out;
  }

 private:
  std::vector<std::unique_ptr<storage::SeriesSet>> sets_;
  std::vector<bool> live_;  // sets_[i] is positioned on a series
  std::vector<bool> used_;  // sets_[i]'s series is part of cur_ (advance on Next)
  MergedSeries cur_;
  bool done_ = false;
  Status err_;
};

std::vector<std::string> SortedUnion(std::vector<std::string> a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  out.reserve(a.size() + b.size());
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

MergeQuerier::MergeQuerier(std::vector<std::unique_ptr<storage::Querier>> queriers)
    : queriers_(std::move(queriers)) {}

std::unique_ptr<storage::SeriesSet> MergeQuerier::Select(
    const std::vector<model::Matcher>& matchers, std::int64_t mint, std::int64_t maxt,
    const storage::SelectHints* hints) {
  if (queriers_.size() == 1) return queriers_.front()->Select(matchers, mint, maxt, hints);
  std::vector<std::unique_ptr<storage::SeriesSet>> sets;
  sets.reserve(queriers_.size());
  for (auto& q : queriers_) sets.push_back(q->Select(matchers, mint, maxt, hints));
  return std::make_unique<MergedSeriesSet>(std::move(sets));
}

Result<std::vector<std::string>> MergeQuerier::LabelNames(
    const std::vector<model::Matcher>& matchers) {
  std::vector<std::string> out;
  for (auto& q : queriers_) {
    auto names = q->LabelNames(matchers);
    if (!names.ok()) return names.status();
    out = SortedUnion(std::move(out), *names);
  }
  return out;
}

Result<std::vector<std::string>> MergeQuerier::LabelValues(
    const std::string& name, const std::vector<model::Matcher>& matchers) {
  std::vector<std::string> out;
  for (auto& q : queriers_) {
    auto values = q->LabelValues(name, matchers);
    if (!values.ok()) return values.status();
    out = SortedUnion(std::move(out), *values);
  }
  return out;
}

Status MergeQuerier::Close() {
  Status first;
  for (auto& q : queriers_) {
    Status s = q->Close();
    if (first.ok() && !s.ok()) first = s;
  }
  return first;
}

MergeSampleIterator::MergeSampleIterator(std::vector<std::unique_ptr<storage::SampleIterator>> its) {
  srcs_.reserve(its.size());
  for (auto& it : its) srcs_.push_back({std::move(it), {}, false});
}

bool MergeSampleIterator::Pick() {
  int best = -1;
  for (std::size_t i = 0; i < srcs_.size(); ++i) {
    if (srcs_[i].live && (best < 0 || srcs_[i].head.t < srcs_[best].head.t)) {
      best = static_cast<int>(i);
    }
  }
  if (best < 0) {
    done_ = true;
    return false;
  }
  cur_ = srcs_[best].head;
  return true;
}

// Moves source i on (Next, or Seek(t) when seek is set), caching its head sample.
bool MergeSampleIterator::Advance(Source& src, bool seek, std::int64_t t) {
  while (src.pending_pos < src.pending.size()) {
    const model::Sample& p = src.pending[src.pending_pos++];
    if (!seek || p.t >= t) {
      src.head = p;
      src.live = true;
      return true;
    }
  }
  src.pending.clear();
  src.pending_pos = 0;
  src.live = seek ? src.it->Seek(t) : src.it->Next();
  if (src.live) {
    src.head = src.it->At();
  } else if (Status e = src.it->Err(); !e.ok()) {
    err_ = std::move(e);
    done_ = true;
    return false;
  }
  return true;
}

bool MergeSampleIterator::Next() {
  if (done_) return false;
  for (Source& src : srcs_) {
    // Start all; afterwards advance those sitting on the sample just returned (the
    // winner and every duplicate of its timestamp).
    if (!started_ || (src.live && src.head.t == cur_.t)) {
      if (!Advance(src, false, 0)) return false;
    }
  }
  started_ = true;
  return Pick();
}

bool MergeSampleIterator::Seek(std::int64_t t) {
  if (done_) return false;
  if (started_ && cur_.t >= t) return true;
  for (Source& src : srcs_) {
    if (!started_ || (src.live && src.head.t < t)) {
      if (!Advance(src, true, t)) return false;
    }
  }
  started_ = true;
  return Pick();
}

std::size_t MergeSampleIterator::NextBatch(std::span<model::Sample> buf) {
  std::size_t n = 0;
  while (n < buf.size() && Next()) {
    buf[n++] = cur_;
    // cur_ came from the first live source sitting on it; the others' heads bound how
    // far that source's samples may be copied without merging.
    Source* win = nullptr;
    std::int64_t limit = INT64_MAX;
    for (Source& src : srcs_) {
      if (!src.live) continue;
      if (win == nullptr && src.head.t == cur_.t) {
        win = &src;
      } else {
        limit = std::min(limit, src.head.t);
      }
    }
    if (win == nullptr || limit <= cur_.t || n == buf.size()) continue;
    std::span<model::Sample> rest = buf.subspan(n);
    std::size_t got = 0;
    bool from_pending = win->pending_pos < win->pending.size();
    if (from_pending) {
      got = std::min(rest.size(), win->pending.size() - win->pending_pos);
      std::copy_n(win->pending.data() + win->pending_pos, got, rest.data());
      win->pending_pos += got;
    } else {
      got = win->it->NextBatch(rest);
      if (got == 0) {  // as Advance: the source ended (or failed)
        win->live = false;
        if (Status e = win->it->Err(); !e.ok()) {
          err_ = std::move(e);
          done_ = true;
        }
        continue;
      }
    }
    // Sources are in timestamp order, so the samples before `limit` are a prefix.
    std::size_t keep = got;
    if (limit != INT64_MAX) {
      keep = static_cast<std::size_t>(
          std::partition_point(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(got),
                               [limit](const model::Sample& x) { return x.t < limit; }) -
          rest.begin());
    }
    if (keep < got) {
      // Read too far: the rest goes back to the source, ahead of anything pending.
      if (from_pending) {
        win->pending_pos -= got - keep;
      } else {
        win->pending.assign(rest.begin() + static_cast<std::ptrdiff_t>(keep),
                            rest.begin() + static_cast<std::ptrdiff_t>(got));
        win->pending_pos = 0;
      }
      win->head = win->pending[win->pending_pos++];
    }
    n += keep;
    if (keep > 0) cur_ = buf[n - 1];
    if (keep == got) win->head = cur_;
  }
  return n;
}

}  // namespace hw::tsdb
