#include "tsdb/postings_index.h"

#include <algorithm>
#include <mutex>
#include <set>

namespace hw::tsdb {

using model::Label;
using model::Labels;
using model::Matcher;
using model::MatchType;

bool PostingsIndex::Add(SeriesRef ref, const Labels& labels) {
  std::unique_lock lock(mu_);
  if (!series_.emplace(ref, labels).second) return false;
  InsertSorted(&all_, ref);
  for (const Label& l : labels) {
    auto name_it = postings_.find(l.name);
    if (name_it == postings_.end()) name_it = postings_.emplace(l.name, StringMap<Postings>()).first;
    auto value_it = name_it->second.find(l.value);
    if (value_it == name_it->second.end()) {
      value_it = name_it->second.emplace(l.value, Postings()).first;
    }
    InsertSorted(&value_it->second, ref);
  }
  return true;
}

bool PostingsIndex::Remove(SeriesRef ref) {
  std::unique_lock lock(mu_);
  auto it = series_.find(ref);
  if (it == series_.end()) return false;
  for (const Label& l : it->second) {
    auto name_it = postings_.find(l.name);
    if (name_it == postings_.end()) continue;
    auto value_it = name_it->second.find(l.value);
    if (value_it == name_it->second.end()) continue;
    EraseSorted(&value_it->second, ref);
    if (value_it->second.empty()) name_it->second.erase(value_it);
    if (name_it->second.empty()) postings_.erase(name_it);
  }
  EraseSorted(&all_, ref);
  series_.erase(it);
  return true;
}

std::size_t PostingsIndex::NumSeries() const {
  std::shared_lock lock(mu_);
  return series_.size();
}

std::optional<Labels> PostingsIndex::SeriesLabels(SeriesRef ref) const {
  std::shared_lock lock(mu_);
  auto it = series_.find(ref);
  if (it == series_.end()) return std::nullopt;
  return it->second;
}

Postings PostingsIndex::Get(std::string_view name, std::string_view value) const {
  std::shared_lock lock(mu_);
  auto name_it = postings_.find(name);
  if (name_it == postings_.end()) return {};
  auto value_it = name_it->second.find(value);
  return value_it == name_it->second.end() ? Postings() : value_it->second;
}

Postings PostingsIndex::All() const {
  std::shared_lock lock(mu_);
  return all_;
}

Postings PostingsIndex::ForMatcherLocked(const Matcher& m) const {
  auto name_it = postings_.find(m.name());
  if (name_it == postings_.end()) return {};
  const StringMap<Postings>& values = name_it->second;
  std::vector<Postings> lists;
  if (const std::vector<std::string>* set = m.SetMatches()) {
    // A finite set of literals: look each up instead of scanning the values.
    for (const std::string& v : *set) {
      auto it = values.find(v);
      if (it != values.end()) lists.push_back(it->second);
    }
  } else {
    for (const auto& [v, refs] : values) {
      if (m.Matches(v)) lists.push_back(refs);
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
  for (const auto& [value, refs] : it->second) out.push_back(value);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> PostingsIndex::LabelNamesFor(const Postings& refs) const {
  std::shared_lock lock(mu_);
  std::set<std::string_view> names;
  for (SeriesRef ref : refs) {
    auto it = series_.find(ref);
    if (it == series_.end()) continue;
    for (const Label& l : it->second) names.insert(l.name);
  }
  return {names.begin(), names.end()};
}

std::vector<std::string> PostingsIndex::LabelValuesFor(std::string_view name,
                                                       const Postings& refs) const {
  std::shared_lock lock(mu_);
  std::set<std::string_view> values;
  for (SeriesRef ref : refs) {
    auto it = series_.find(ref);
    if (it == series_.end()) continue;
    std::string_view v = it->second.Get(name);
    if (!v.empty()) values.insert(v);
  }
  return {values.begin(), values.end()};
}

}  // namespace hw::tsdb
