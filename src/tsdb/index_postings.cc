// IndexReader's selector resolution: matchers -> postings, with the same plan as the
// head's PostingsIndex::ForMatchers so that blocks and head agree on every selector.
#include <algorithm>

#include "tsdb/index_reader.h"

namespace hw::tsdb {

using model::Matcher;
using model::MatchType;

Result<Postings> IndexReader::ForMatcher(const Matcher& m) const {
  const NameEntry* e = FindName(m.name());
  if (e == nullptr) return Postings();
  std::vector<Postings> lists;
  auto add = [&](const ValueEntry& v) -> Status {
    auto p = ReadPostings(v.offset);
    if (!p.ok()) return p.status();
    lists.push_back(std::move(*p));
    return Status::Ok();
  };
  if (const std::vector<std::string>* set = m.SetMatches()) {
    // A finite set of literals: binary-search each instead of scanning the values.
    for (const std::string& want : *set) {
      auto it = std::lower_bound(
          e->values.begin(), e->values.end(), want,
          [](const ValueEntry& v, const std::string& x) { return v.value < x; });
      if (it != e->values.end() && it->value == want) HW_RETURN_IF_ERROR(add(*it));
    }
  } else {
    for (const ValueEntry& v : e->values) {
      if (m.Matches(v.value)) HW_RETURN_IF_ERROR(add(v));
    }
  }
  return UnionAll(lists);
}

Result<Postings> IndexReader::ForMatchers(const std::vector<Matcher>& matchers) const {
  // A label "must be set" when some matcher on it rejects "": series lacking it are out.
  auto must_be_set = [&](const std::string& name) {
    return std::any_of(matchers.begin(), matchers.end(), [&](const Matcher& m) {
      return m.name() == name && !m.MatchesEmpty();
    });
  };
  // Subtracting matchers are cheaper to resolve by listing what they reject: every
  // matcher on a label that need not be set, and negative matchers accepting "".
  auto subtracting = [&](const Matcher& m) {
    return !must_be_set(m.name()) || (m.negated() && m.MatchesEmpty());
  };
  std::vector<Postings> its;
  std::vector<Postings> not_its;
  if (std::all_of(matchers.begin(), matchers.end(), subtracting)) its.push_back(All());
  for (const Matcher& m : matchers) {
    if (m.MatchesEverything()) continue;  // =~".*"
    if (m.type() == MatchType::kRegexNoMatch && m.kind() == Matcher::Kind::kAny) return Postings();
    if (subtracting(m)) {
      auto p = ForMatcher(m.Inverse());
      if (!p.ok()) return p.status();
      not_its.push_back(std::move(*p));
    } else {
      auto p = ForMatcher(m);
      if (!p.ok()) return p.status();
      if (p->empty()) return Postings();
      its.push_back(std::move(*p));
    }
  }
  Postings out = IntersectAll(std::move(its));
  for (const Postings& n : not_its) {
    if (out.empty()) break;
    out = Subtract(out, n);
  }
  return out;
}

}  // namespace hw::tsdb
