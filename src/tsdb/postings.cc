#include "tsdb/postings.h"

#include <algorithm>

namespace hw::tsdb {
namespace {

// Below this size ratio a linear merge beats galloping (each binary search costs
// about log2(large) comparisons against one per element for the merge).
constexpr std::size_t kGallopRatio = 32;

Postings IntersectGallop(const Postings& small, const Postings& large) {
  Postings out;
  out.reserve(small.size());
  auto it = large.begin();
  for (SeriesRef x : small) {
    it = std::lower_bound(it, large.end(), x);
    if (it == large.end()) break;
    if (*it == x) out.push_back(x);
  }
  return out;
}

}  // namespace

Postings Intersect(const Postings& a, const Postings& b) {
  const Postings& small = a.size() <= b.size() ? a : b;
  const Postings& large = a.size() <= b.size() ? b : a;
  if (small.empty()) return {};
  if (small.size() * kGallopRatio < large.size()) return IntersectGallop(small, large);
  Postings out;
  out.reserve(small.size());
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

Postings IntersectAll(std::vector<Postings> lists) {
  if (lists.empty()) return {};
  std::sort(lists.begin(), lists.end(),
            [](const Postings& x, const Postings& y) { return x.size() < y.size(); });
  Postings acc = std::move(lists[0]);
  for (std::size_t i = 1; i < lists.size() && !acc.empty(); ++i) acc = Intersect(acc, lists[i]);
  return acc;
}

Postings Union(const Postings& a, const Postings& b) {
  Postings out;
  out.reserve(a.size() + b.size());
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

Postings UnionAll(const std::vector<Postings>& lists) {
  if (lists.empty()) return {};
  if (lists.size() == 1) return lists[0];
  if (lists.size() == 2) return Union(lists[0], lists[1]);
  // Many lists (a regex over many values): concatenating and sorting once is simpler
  // than a k-way heap merge and, for the in-memory sizes involved, about as fast.
  std::size_t total = 0;
  for (const Postings& l : lists) total += l.size();
  Postings out;
  out.reserve(total);
  for (const Postings& l : lists) out.insert(out.end(), l.begin(), l.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Postings Subtract(const Postings& a, const Postings& b) {
  if (b.empty()) return a;
  Postings out;
  out.reserve(a.size());
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

bool InsertSorted(Postings* list, SeriesRef ref) {
  if (list->empty() || list->back() < ref) {
    list->push_back(ref);
    return true;
  }
  auto it = std::lower_bound(list->begin(), list->end(), ref);
  if (it != list->end() && *it == ref) return false;
  list->insert(it, ref);
  return true;
}

bool EraseSorted(Postings* list, SeriesRef ref) {
  auto it = std::lower_bound(list->begin(), list->end(), ref);
  if (it == list->end() || *it != ref) return false;
  list->erase(it);
  return true;
}

}  // namespace hw::tsdb
