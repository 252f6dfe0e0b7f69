// HeadAppender: buffers one batch of samples, checks each as it arrives (so the
// writer learns about out-of-order and duplicate samples at once), logs the batch to
// the WAL at Commit and only then makes it visible.
#include <bit>
#include <unordered_map>

#include <fmt/format.h>

#include "tsdb/head.h"
#include "tsdb/pending_series.h"

namespace hw::tsdb {
namespace {

std::string DescribeSample(std::int64_t t, double v) { return fmt::format("t={}, value {}", t, v); }

}  // namespace

class HeadAppender : public storage::Appender {
 public:
  explicit HeadAppender(Head& head) : head_(head) {}
  ~HeadAppender() override { Rollback(); }

  Result<storage::SeriesRef> Append(const model::Labels& labels, std::int64_t t, double v,
                                    const storage::AppendOptions& opts) override {
    if (opts.exemplar != nullptr || opts.histogram != nullptr) {
      return Status::BadData("cannot append: exemplars and native histograms are not supported yet");
    }
    if (labels.empty()) return Status::BadData("cannot append sample: empty label set");
    bool created = false;
    std::shared_ptr<MemSeries> s = head_.GetOrCreate(labels, &created);
    HW_RETURN_IF_ERROR(Add(s, t, v));
    return s->ref();
  }

  Result<storage::SeriesRef> AppendPairs(
      std::span<const std::pair<std::string_view, std::string_view>> pairs, std::int64_t t,
      double v) override {
    // An existing series is found from the pairs' hash without building Labels.
    if (!pairs.empty() && model::Labels::IsCanonical(pairs)) {
      if (std::shared_ptr<MemSeries> s = head_.FindPairs(model::Labels::HashPairs(pairs), pairs)) {
        HW_RETURN_IF_ERROR(Add(s, t, v));
        return s->ref();
      }
    }
    return Append(model::Labels::FromPairs({pairs.begin(), pairs.end()}), t, v, {});
  }

  Status AppendRef(storage::SeriesRef ref, std::int64_t t, double v) override {
    PendingSeries::State* st = pending_.Find(ref);
    std::shared_ptr<MemSeries> s = st != nullptr ? st->series : head_.ByRef(ref);
    if (!s) return Status::NotFound(fmt::format("cannot append sample: unknown series ref {}", ref));
    return Add(s, t, v);
  }

  Status Commit() override {
    if (samples_.empty()) {
      Clear();
      return Status::Ok();
    }
    std::shared_lock commit_lock(head_.commit_mu_);
    // The writable window may have moved since Append checked (a block was cut).
    std::int64_t min_valid = head_.min_valid_time_.load();
    size_t out_of_bounds = 0;
    std::erase_if(samples_, [&](const Pending& p) {
      bool old = p.t < min_valid;
      out_of_bounds += old;
      return old;
    });
    if (out_of_bounds > 0 && head_.out_of_bounds_) head_.out_of_bounds_->Inc(out_of_bounds);
    ResolveRemovedSeries();
    if (head_.wal_ && !samples_.empty()) {
      WalBatch batch;
      for (PendingSeries::State& p : pending_) {
        if (!p.series->wal_logged.load()) {
          batch.series.emplace_back(p.series->ref(), p.series->labels());
        }
      }
      batch.samples.reserve(samples_.size());
      for (const Pending& p : samples_) batch.samples.push_back({p.series->ref(), p.t, p.v});
      Status s = head_.wal_(batch);
      if (!s.ok()) {
        Clear();
        return s.Wrap("cannot commit samples");
      }
      for (PendingSeries::State& p : pending_) p.series->wal_logged.store(true);
    }
    std::int64_t mint = std::numeric_limits<std::int64_t>::max();
    std::int64_t maxt = std::numeric_limits<std::int64_t>::min();
    std::int64_t appended = 0, chunks = 0;
    for (const Pending& p : samples_) {
      std::lock_guard lock(p.series->mu());
      // Another appender may have committed a newer sample since Append checked.
      if (p.series->CheckLocked(p.t, p.v) != AppendCheck::kOk) {
        if (head_.out_of_order_) head_.out_of_order_->Inc();
        continue;
      }
      chunks += p.series->AppendLocked(p.t, p.v, head_.options_.block_range_ms);
      ++appended;
      mint = std::min(mint, p.t);
      maxt = std::max(maxt, p.t);
    }
    if (appended > 0) head_.UpdateTimes(mint, maxt);
    head_.num_chunks_.fetch_add(chunks);
    if (head_.samples_appended_) head_.samples_appended_->Inc(static_cast<double>(appended));
    Clear();
    if (out_of_bounds > 0) {
      return Status::BadData(fmt::format(
          "cannot commit {} samples older than {}, the start of the writable head (that time "
          "range was just persisted to a block); the other {} samples were committed",
          out_of_bounds, min_valid, appended));
    }
    return Status::Ok();
  }

  void Rollback() override { Clear(); }

 private:
  struct Pending {
    MemSeries* series;  // kept alive by pending_
    std::int64_t t;
    double v;
  };
  Status Add(const std::shared_ptr<MemSeries>& s, std::int64_t t, double v) {
    if (std::int64_t min_valid = head_.min_valid_time_.load(); t < min_valid) {
      if (head_.out_of_bounds_) head_.out_of_bounds_->Inc();
      return Status::BadData(fmt::format(
          "cannot append sample to {}: out of bounds: t={} is older than {}, the start of the "
          "writable head (older data is already persisted in blocks)",
          s->labels().ToSeriesString(), t, min_valid));
    }
    AppendCheck check;
    if (const PendingSeries::State* prev = pending_.Find(s->ref())) {
      // Order within the batch: against this batch's newest sample of the series.
      std::uint64_t bits = std::bit_cast<std::uint64_t>(v);
      check = t > prev->last_t    ? AppendCheck::kOk
              : t < prev->last_t  ? AppendCheck::kOutOfOrder
              : bits == prev->last_v_bits ? AppendCheck::kDuplicate
                                          : AppendCheck::kDuplicateTs;
    } else {
      std::lock_guard lock(s->mu());
      check = s->CheckLocked(t, v);
    }
    switch (check) {
      case AppendCheck::kOk: break;
      case AppendCheck::kDuplicate: return Status::Ok();
      case AppendCheck::kOutOfOrder:
        if (head_.out_of_order_) head_.out_of_order_->Inc();
        return Status::BadData(fmt::format("cannot append sample to {}: out of order sample ({})",
                                           s->labels().ToSeriesString(), DescribeSample(t, v)));
      case AppendCheck::kDuplicateTs:
        if (head_.duplicate_ts_) head_.duplicate_ts_->Inc();
        return Status::BadData(fmt::format(
            "cannot append sample to {}: duplicate sample for timestamp with a different value ({})",
            s->labels().ToSeriesString(), DescribeSample(t, v)));
    }
    PendingSeries::State& st = pending_.Insert(s->ref());
    if (!st.series) st.series = s;
    st.last_t = t;
    st.last_v_bits = std::bit_cast<std::uint64_t>(v);
    samples_.push_back({s.get(), t, v});
    return Status::Ok();
  }

  // A series forgotten by the head since Append (it had gone quiet) is recreated
  // under its labels, so no committed sample lands in an orphan.
  void ResolveRemovedSeries() {
    std::unordered_map<MemSeries*, MemSeries*> moved;
    for (PendingSeries::State& st : pending_) {
      if (!st.series->removed.load()) continue;
      bool created = false;
      std::shared_ptr<MemSeries> fresh = head_.GetOrCreate(st.series->labels(), &created);
      moved[st.series.get()] = fresh.get();
      st.series = std::move(fresh);
    }
    if (moved.empty()) return;
    for (Pending& p : samples_) {
      if (auto it = moved.find(p.series); it != moved.end()) p.series = it->second;
    }
  }

  void Clear() {
    samples_.clear();
    pending_.clear();
  }

  Head& head_;
  std::vector<Pending> samples_;
  PendingSeries pending_;
};

std::unique_ptr<storage::Appender> Head::NewAppender() {
  return std::make_unique<HeadAppender>(*this);
}

}  // namespace hw::tsdb
