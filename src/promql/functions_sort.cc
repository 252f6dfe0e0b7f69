// sort, sort_desc, sort_by_label, sort_by_label_desc. Ordering only matters for
// instant queries; range results are always ordered by labels, so a range query gets
// a warning and its input back.
#include <algorithm>
#include <cmath>

#include "promql/functions_impl.h"

namespace hw::promql {
namespace {

bool RangeNoop(Evaluator& ev, const Call& c) {
  if (ev.instant()) return false;
  ev.q().Warn("sort is ineffective for range queries since results are always ordered by labels",
              c.pos);
  return true;
}

template <bool kDesc>
Value SortByValue(Evaluator& ev, const Call& c, std::vector<Value>& a) {
  Value v = std::move(a[0]);
  if (RangeNoop(ev, c)) return v;
  std::stable_sort(v.series.begin(), v.series.end(), [](const StepSeries& x, const StepSeries& y) {
    double a = x.v[0], b = y.v[0];
    if (std::isnan(a)) return false;
    if (std::isnan(b)) return true;
    return kDesc ? a > b : a < b;
  });
  return v;
}

// Natural order: runs of digits compare as numbers.
int NaturalCompare(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    bool da = std::isdigit(static_cast<unsigned char>(a[i])) != 0;
    bool db = std::isdigit(static_cast<unsigned char>(b[j])) != 0;
    if (da && db) {
      std::size_t ei = i, ej = j;
      while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
      while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
      std::string_view na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
      while (na.size() > 1 && na[0] == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb[0] == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size() ? -1 : 1;
      if (int c = na.compare(nb); c != 0) return c < 0 ? -1 : 1;
      i = ei;
      j = ej;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j] ? -1 : 1;
    ++i;
    ++j;
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

template <bool kDesc>
Value SortByLabel(Evaluator& ev, const Call& c, std::vector<Value>& a) {
  Value v = std::move(a[0]);
  if (RangeNoop(ev, c)) return v;
  std::vector<std::string> names;
  for (std::size_t k = 1; k < a.size(); ++k) names.push_back(a[k].str);
  std::stable_sort(v.series.begin(), v.series.end(), [&](const StepSeries& x, const StepSeries& y) {
    for (const std::string& n : names) {
      int r = NaturalCompare(x.metric.Get(n), y.metric.Get(n));
      if (r != 0) return kDesc ? r > 0 : r < 0;
    }
    return kDesc ? y.metric < x.metric : x.metric < y.metric;
  });
  return v;
}

}  // namespace

void RegisterSortFunctions(FuncMap& m) {
  m["sort"] = SortByValue<false>;
  m["sort_desc"] = SortByValue<true>;
  m["sort_by_label"] = SortByLabel<false>;
  m["sort_by_label_desc"] = SortByLabel<true>;
}

}  // namespace hw::promql
