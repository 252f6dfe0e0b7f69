#include "tsdb/postings_index.h"

#include <algorithm>
#include <mutex>
#include <set>

namespace hw::tsdb {

using model::Label;
using model::Labels;
using model::Matcher;
using model::MatchType;

PostingsIndex::ValueRefs::ValueRefs(ValueRefs&& o) noexcept : size_(o.size_), cap_(o.cap_) {
  if (cap_ > 1) {
    heap_ = o.heap_;
  } else {
    one_ = o.one_;
  }
  o.size_ = 0;
  o.cap_ = 1;
  o.one_ = 0;
}

PostingsIndex::ValueRefs& PostingsIndex::ValueRefs::operator=(ValueRefs&& o) noexcept {
  if (this == &o) return *this;
  Free();
  size_ = o.size_;
  cap_ = o.cap_;
  if (cap_ > 1) {
    heap_ = o.heap_;
  } else {
    one_ = o.one_;
  }
  o.size_ = 0;
  o.cap_ = 1;
  o.one_ = 0;
  return *this;
}

PostingsIndex::ValueRefs::~ValueRefs() { Free(); }

void PostingsIndex::ValueRefs::Free() {
  if (cap_ > 1) delete[] heap_;
  cap_ = 1;
  one_ = 0;
  size_ = 0;
}

void PostingsIndex::ValueRefs::Assign(const SeriesRef* first, std::size_t n) {
  // first may point into our own storage: copy out before freeing it.
  if (n <= 1) {
    SeriesRef v = n == 1 ? *first : 0;
    Free();
    one_ = v;
  } else {
    auto* heap = new SeriesRef[n];
    std::copy(first, first + n, heap);
    Free();
    heap_ = heap;
    cap_ = static_cast<std::uint32_t>(n);
  }
  size_ = static_cast<std::uint32_t>(n);
}

bool PostingsIndex::ValueRefs::Insert(SeriesRef ref) {
  const SeriesRef* b = begin();
  const SeriesRef* pos = std::lower_bound(b, b + size_, ref);
  if (pos != b + size_ && *pos == ref) return false;
  std::size_t at = static_cast<std::size_t>(pos - b);
  if (size_ == 0 && cap_ == 1) {
    one_ = ref;
    size_ = 1;
    return true;
  }
  if (size_ == cap_) {
    std::uint32_t cap = cap_ < 4 ? 4 : cap_ * 2;
    auto* heap = new SeriesRef[cap];
    std::copy(b, b + size_, heap);
    std::uint32_t size = size_;
    Free();
    heap_ = heap;
    cap_ = cap;
    size_ = size;
  }
  SeriesRef* d = heap_;
  std::copy_backward(d + at, d + size_, d + size_ + 1);
  d[at] = ref;
  ++size_;
  return true;
}

void PostingsIndex::ValueRefs::Subtract(const Postings& sorted) {
  if (cap_ == 1) {
    if (size_ == 1 && std::binary_search(sorted.begin(), sorted.end(), one_)) size_ = 0;
    return;
  }
  SeriesRef* d = heap_;
  SeriesRef* w = std::set_difference(d, d + size_, sorted.begin(), sorted.end(), d);
  size_ = static_cast<std::uint32_t>(w - d);
  if (size_ <= 1 || size_ * 4 < cap_) Assign(d, size_);  // give memory back
}

std::size_t PostingsIndex::FindLocked(SeriesRef ref) const {
  auto it = std::lower_bound(all_.begin(), all_.end(), ref);
  return it != all_.end() && *it == ref ? static_cast<std::size_t>(it - all_.begin())
                                        : all_.size();
}

bool PostingsIndex::Add(SeriesRef ref, const Labels& labels) {
  std::unique_lock lock(mu_);
  // New series arrive in (nearly) increasing ref order, so this is an append.
  auto pos = std::lower_bound(all_.begin(), all_.end(), ref);
  if (pos != all_.end() && *pos == ref) return false;
  std::ptrdiff_t i = pos - all_.begin();
  all_.insert(pos, ref);
  labels_.insert(labels_.begin() + i, labels);
  for (const Label& l : labels) {
    auto name_it = postings_.find(l.name);
    if (name_it == postings_.end()) name_it = postings_.emplace(l.name, ValueMap()).first;
    // A new value's key views this series' labels (l.value points into them).
    name_it->second[l.value].Insert(ref);
  }
  return true;
}

bool PostingsIndex::Remove(SeriesRef ref) { return Remove(std::vector<SeriesRef>{ref}) == 1; }

std::size_t PostingsIndex::Remove(std::vector<SeriesRef> refs) {
  std::sort(refs.begin(), refs.end());
  refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
  std::unique_lock lock(mu_);
  // Which refs leave each postings list. Lists are keyed by address: nothing is
  // inserted into or erased from the maps until the second loop.
  std::unordered_map<ValueRefs*, Postings> gone;
  std::vector<bool> drop(all_.size(), false);
  std::size_t removed = 0;
  for (SeriesRef ref : refs) {
    std::size_t i = FindLocked(ref);
    if (i == all_.size()) continue;
    drop[i] = true;
    ++removed;
    for (const Label& l : labels_[i]) {
      auto name_it = postings_.find(l.name);
      if (name_it == postings_.end()) continue;
      auto value_it = name_it->second.find(l.value);
      if (value_it == name_it->second.end()) continue;
      gone[&value_it->second].push_back(ref);  // ascending: refs is sorted
    }
  }
  if (removed == 0) return 0;
  for (auto& [list, out] : gone) list->Subtract(out);
  // Drop the emptied lists and names, and re-point the keys of the others at a series
  // that stays (the removed series' labels may be freed below). Only the entries of
  // removed labels are affected. labels_ is still intact here.
  for (SeriesRef ref : refs) {
    std::size_t i = FindLocked(ref);
    if (i == all_.size() || !drop[i]) continue;
    for (const Label& l : labels_[i]) {
      auto name_it = postings_.find(l.name);
      if (name_it == postings_.end()) continue;
      ValueMap& values = name_it->second;
      auto value_it = values.find(l.value);
      if (value_it != values.end()) {
        if (value_it->second.empty()) {
          values.erase(value_it);
        } else if (gone.erase(&value_it->second) > 0) {  // once per list
          std::string_view v = labels_[FindLocked(value_it->second.front())].Get(l.name);
          auto node = values.extract(value_it);
          node.key() = v;
          values.insert(std::move(node));
        }
      }
      if (values.empty()) postings_.erase(name_it);
    }
  }
  // One compacting pass over the all-series list and its labels.
  std::size_t w = 0;
  for (std::size_t r = 0; r < all_.size(); ++r) {
    if (drop[r]) continue;
    if (w != r) {
      all_[w] = all_[r];
      labels_[w] = std::move(labels_[r]);
    }
    ++w;
  }
  all_.resize(w);
  labels_.resize(w);
  if (all_.capacity() > 2 * all_.size() + 64) {  // give a large removal's memory back
    all_.shrink_to_fit();
    labels_.shrink_to_fit();
  }
  return removed;
}

std::size_t PostingsIndex::NumSeries() const {
  std::shared_lock lock(mu_);
  return all_.size();
}

std::optional<Labels> PostingsIndex::SeriesLabels(SeriesRef ref) const {
  std::shared_lock lock(mu_);
  std::size_t i = FindLocked(ref);
  if (i == all_.size()) return std::nullopt;
  return labels_[i];
}

Postings PostingsIndex::Get(std::string_view name, std::string_view value) const {
  std::shared_lock lock(mu_);
  auto name_it = postings_.find(name);
  if (name_it == postings_.end()) return {};
  auto value_it = name_it->second.find(value);
  return value_it == name_it->second.end() ? Postings() : value_it->second.ToPostings();
}

Postings PostingsIndex::All() const {
  std::shared_lock lock(mu_);
  return all_;
}

Postings PostingsIndex::ForMatcherLocked(const Matcher& m) const {
  auto name_it = postings_.find(m.name());
  if (name_it == postings_.end()) return {};
  const ValueMap& values = name_it->second;
  std::vector<Postings> lists;
  if (const std::vector<std::string>* set = m.SetMatches()) {
    // A finite set of literals: look each up instead of scanning the values.
    for (const std::string& v : *set) {
      auto it = values.find(v);
      if (it != values.end()) lists.push_back(it->second.ToPostings());
    }
  } else {
    for (const auto& [v, refs] : values) {
      if (m.Matches(v)) lists.push_back(refs.ToPostings());
    }
  }
  return UnionAll(lists);
}

Postings PostingsIndex::ForMatchers(const std::vector<Matcher>& matchers) const {
  std::shared_lock lock(mu_);
  // A label "must be set" when some matcher on it rejects "": series lacking it are out.
  auto must_be_set = [&](const std::string& name) {
    return std::any_of(matchers.begin(), matchers.end(), [&](const Matcher& m) {
      return m.name() == name && !m.MatchesEmpty();
    });
  };
  // A matcher is "subtracting" when the series it rejects are easier to list than the
  // ones it accepts: every matcher on a label that need not be set (l="", l=~"a|"),
  // and negative matchers that accept "" (l!="foo"). The rest are intersected.
  auto subtracting = [&](const Matcher& m) {
    return !must_be_set(m.name()) || (m.negated() && m.MatchesEmpty());
  };
  std::vector<Postings> its;
  std::vector<Postings> not_its;
  if (std::all_of(matchers.begin(), matchers.end(), subtracting)) {
    its.push_back(all_);  // something to subtract from
  }
  for (const Matcher& m : matchers) {
    if (m.MatchesEverything()) continue;  // =~".*"
    if (m.type() == MatchType::kRegexNoMatch && m.kind() == Matcher::Kind::kAny) return {};
    if (subtracting(m)) {
      // Drop the series whose value m rejects; series without the label stay.
      not_its.push_back(ForMatcherLocked(m.Inverse()));
    } else {
      // l="a", l=~"a.+", l!="": the union of the values m accepts.
      Postings p = ForMatcherLocked(m);
      if (p.empty()) return {};
      its.push_back(std::move(p));
    }
  }
  Postings out = IntersectAll(std::move(its));
  for (const Postings& n : not_its) {
    if (out.empty()) break;
    out = Subtract(out, n);
  }
  return out;
}

std::vector<std::string> PostingsIndex::LabelNames() const {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  out.reserve(postings_.size());
  for (const auto& [name, values] : postings_) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> PostingsIndex::LabelValues(std::string_view name) const {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  auto it = postings_.find(name);
  if (it == postings_.end()) return out;
  out.reserve(it->second.size());
  for (const auto& [value, refs] : it->second) out.emplace_back(value);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> PostingsIndex::LabelNamesFor(const Postings& refs) const {
  std::shared_lock lock(mu_);
  std::set<std::string_view> names;
  for (SeriesRef ref : refs) {
    std::size_t i = FindLocked(ref);
    if (i == all_.size()) continue;
    for (const Label& l : labels_[i]) names.insert(l.name);
  }
  return {names.begin(), names.end()};
}

std::vector<std::string> PostingsIndex::LabelValuesFor(std::string_view name,
                                                       const Postings& refs) const {
  std::shared_lock lock(mu_);
  std::set<std::string_view> values;
  for (SeriesRef ref : refs) {
    std::size_t i = FindLocked(ref);
    if (i == all_.size()) continue;
    std::string_view v = labels_[i].Get(name);
    if (!v.empty()) values.insert(v);
  }
  return {values.begin(), values.end()};
}

}  // namespace hw::tsdb
