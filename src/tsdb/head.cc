#include "tsdb/head.h"

#include <algorithm>

namespace hw::tsdb {

Head::Head(HeadOptions options, metrics::Registry* registry)
    : options_(options),
      by_hash_(new HashStripe[kStripes]),
      by_ref_(new RefStripe[kStripes]) {
  if (registry == nullptr) return;
  samples_appended_ = &registry->Counter("hastewatch_tsdb_head_samples_appended_total",
                                         "Samples appended to the head.").With();
  out_of_order_ = &registry->Counter("hastewatch_tsdb_out_of_order_samples_total",
                                     "Samples rejected for being older than the series' newest.")
                       .With();
  duplicate_ts_ = &registry->Counter("hastewatch_tsdb_duplicate_sample_timestamps_total",
                                     "Samples rejected for repeating a timestamp with another "
                                     "value.").With();
  out_of_bounds_ = &registry->Counter("hastewatch_tsdb_out_of_bounds_samples_total",
                                      "Samples refused for being older than the writable head.")
                        .With();
  series_created_ = &registry->Counter("hastewatch_tsdb_head_series_created_total",
                                       "Series created in the head.").With();
  series_removed_ = &registry->Counter("hastewatch_tsdb_head_series_removed_total",
                                       "Series removed from the head after truncation.").With();
  registry->AddCollector([this](metrics::TextWriter& w) {
    w.Family("hastewatch_tsdb_head_series", "gauge", "Series in the head.");
    w.Sample("hastewatch_tsdb_head_series", static_cast<double>(num_series_.load()));
    w.Family("hastewatch_tsdb_head_chunks", "gauge", "Chunks in the head.");
    w.Sample("hastewatch_tsdb_head_chunks", static_cast<double>(num_chunks_.load()));
    std::int64_t mint = min_time_.load(), maxt = max_time_.load();
    if (mint <= maxt) {
      w.Family("hastewatch_tsdb_head_min_time_seconds", "gauge", "Oldest sample in the head.");
      w.Sample("hastewatch_tsdb_head_min_time_seconds", static_cast<double>(mint) / 1000);
      w.Family("hastewatch_tsdb_head_max_time_seconds", "gauge", "Newest sample in the head.");
      w.Sample("hastewatch_tsdb_head_max_time_seconds", static_cast<double>(maxt) / 1000);
    }
  });
}

Head::~Head() = default;

std::shared_ptr<MemSeries> Head::GetOrCreate(const model::Labels& labels, bool* created) {
  HashStripe& hs = by_hash_[labels.Hash() % kStripes];
  {
    std::lock_guard lock(hs.mu);
    if (MemSeries* s = hs.series.Find(labels)) {
      *created = false;
      // Present in the hash set means present in the ref table (both change under
      // hs.mu), which owns it.
      return ByRef(s->ref());
    }
  }
  return Create(next_ref_.fetch_add(1), labels, created);
}

std::shared_ptr<MemSeries> Head::FindPairs(
    std::uint64_t hash,
    std::span<const std::pair<std::string_view, std::string_view>> pairs) const {
  HashStripe& hs = by_hash_[hash % kStripes];
  std::lock_guard lock(hs.mu);
  MemSeries* s = hs.series.FindPairs(hash, pairs);
  return s ? ByRef(s->ref()) : nullptr;
}

std::shared_ptr<MemSeries> Head::Create(storage::SeriesRef ref, const model::Labels& labels,
                                        bool* created) {
  HashStripe& hs = by_hash_[labels.Hash() % kStripes];
  std::shared_ptr<MemSeries> s;
  {
    std::lock_guard lock(hs.mu);
    if (MemSeries* existing = hs.series.Find(labels)) {  // another thread created it first
      *created = false;
      return ByRef(existing->ref());
    }
    s = std::make_shared<MemSeries>(ref, labels);
    hs.series.Insert(s.get());
    RefStripe& rs = by_ref_[ref % kStripes];
    std::lock_guard ref_lock(rs.mu);
    rs.series.Insert(ref / kStripes, s);
  }
  index_.Add(ref, labels);
  num_series_.fetch_add(1);
  if (series_created_) series_created_->Inc();
  *created = true;
  return s;
}

std::shared_ptr<MemSeries> Head::ByRef(storage::SeriesRef ref) const {
  RefStripe& rs = by_ref_[ref % kStripes];
  std::lock_guard lock(rs.mu);
  const std::shared_ptr<MemSeries>* s = rs.series.Find(ref / kStripes);
  return s ? *s : nullptr;
}

void Head::RemoveSeries(const std::vector<std::shared_ptr<MemSeries>>& series) {
  std::vector<storage::SeriesRef> refs;
  refs.reserve(series.size());
  for (const auto& s : series) {
    s->removed.store(true);
    refs.push_back(s->ref());
  }
  index_.Remove(refs);
  for (const auto& s : series) {
    // Hash set first (it does not own), then the owning ref table.
    HashStripe& hs = by_hash_[s->labels().Hash() % kStripes];
    std::lock_guard lock(hs.mu);
    hs.series.Erase(s.get());
    RefStripe& rs = by_ref_[s->ref() % kStripes];
    std::lock_guard ref_lock(rs.mu);
    rs.series.Erase(s->ref() / kStripes);
  }
  num_series_.fetch_sub(series.size());
  if (series_removed_) series_removed_->Inc(static_cast<double>(series.size()));
}

void Head::UpdateTimes(std::int64_t mint, std::int64_t maxt) {
  std::int64_t cur = min_time_.load();
  while (mint < cur && !min_time_.compare_exchange_weak(cur, mint)) {
  }
  cur = max_time_.load();
  while (maxt > cur && !max_time_.compare_exchange_weak(cur, maxt)) {
  }
}

void Head::ReplaySeries(storage::SeriesRef ref, const model::Labels& labels) {
  storage::SeriesRef next = next_ref_.load();
  while (ref >= next && !next_ref_.compare_exchange_weak(next, ref + 1)) {
  }
  bool created = false;
  std::shared_ptr<MemSeries> s = Create(ref, labels, &created);
  s->wal_logged = true;
}

void Head::ReplaySamples(const std::vector<RefSample>& samples) {
  std::int64_t mint = std::numeric_limits<std::int64_t>::max();
  std::int64_t maxt = std::numeric_limits<std::int64_t>::min();
  for (const RefSample& rs : samples) {
    std::shared_ptr<MemSeries> s = ByRef(rs.ref);
    if (!s) continue;  // its series record was lost with a cut tail or a checkpoint
    std::lock_guard lock(s->mu());
    if (s->CheckLocked(rs.t, rs.v) != AppendCheck::kOk) continue;
    if (s->AppendLocked(rs.t, rs.v, options_.block_range_ms)) num_chunks_.fetch_add(1);
    mint = std::min(mint, rs.t);
    maxt = std::max(maxt, rs.t);
  }
  if (mint <= maxt) UpdateTimes(mint, maxt);
}

void Head::ReplayDelete(storage::SeriesRef ref, std::int64_t mint, std::int64_t maxt) {
  if (std::shared_ptr<MemSeries> s = ByRef(ref)) {
    int before = s->NumChunks();
    s->DeleteRange(mint, maxt, options_.block_range_ms);
    num_chunks_.fetch_add(s->NumChunks() - before);
  }
}

std::vector<storage::SeriesRef> Head::DeleteSeries(const std::vector<model::Matcher>& matchers,
                                                   std::int64_t mint, std::int64_t maxt) {
  std::vector<storage::SeriesRef> affected;
  for (storage::SeriesRef ref : index_.ForMatchers(matchers)) {
    std::shared_ptr<MemSeries> s = ByRef(ref);
    if (!s) continue;
    int before = s->NumChunks();
    if (s->DeleteRange(mint, maxt, options_.block_range_ms) > 0) affected.push_back(ref);
    num_chunks_.fetch_add(s->NumChunks() - before);
  }
  return affected;
}

void Head::Truncate(std::int64_t t) {
  std::vector<std::shared_ptr<MemSeries>> all = SortedSeries();
  std::int64_t new_min = std::numeric_limits<std::int64_t>::max();
  std::vector<std::shared_ptr<MemSeries>> quiet;
  for (const auto& s : all) {
    num_chunks_.fetch_sub(s->TruncateBefore(t));
    if (s->Empty()) {
      // Keep series that were written to recently: the next scrape will write to
      // them again. Forget the ones that went quiet.
      if (s->MaxTime() < t) quiet.push_back(s);
      continue;
    }
    new_min = std::min(new_min, s->MinTime());
  }
  if (!quiet.empty()) {
    // No commit is applying samples while series go (commits re-resolve removed ones).
    std::unique_lock lock(commit_mu_);
    std::erase_if(quiet, [&](const auto& s) { return !s->Empty() || s->MaxTime() >= t; });
    if (!quiet.empty()) RemoveSeries(quiet);
  }
  min_time_.store(new_min);
}

void Head::SetMinValidTime(std::int64_t t) {
  std::unique_lock lock(commit_mu_);
  if (t > min_valid_time_.load()) min_valid_time_.store(t);
}

HeadStats Head::Stats() const {
  HeadStats st;
  st.series = num_series_.load();
  st.min_time = min_time_.load();
  st.max_time = max_time_.load();
  return st;
}

std::vector<std::shared_ptr<MemSeries>> Head::SortedSeries(
    const std::vector<model::Matcher>& matchers) const {
  std::vector<std::shared_ptr<MemSeries>> out;
  for (storage::SeriesRef ref : index_.ForMatchers(matchers)) {
    if (auto s = ByRef(ref)) out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a->labels() < b->labels(); });
  return out;
}

}  // namespace hw::tsdb

namespace hw::tsdb {

std::vector<std::string> Head::LabelNames(const std::vector<model::Matcher>& matchers) const {
  if (matchers.empty()) return index_.LabelNames();
  return index_.LabelNamesFor(index_.ForMatchers(matchers));
}

std::vector<std::string> Head::LabelValues(std::string_view name,
                                           const std::vector<model::Matcher>& matchers) const {
  if (matchers.empty()) return index_.LabelValues(name);
  return index_.LabelValuesFor(name, index_.ForMatchers(matchers));
}

}  // namespace hw::tsdb
