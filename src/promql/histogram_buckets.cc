// Classic-histogram bucket math (see histogram_buckets.h).
#include "promql/histogram_buckets.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hw::promql {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

bool AlmostEqual(double a, double b, double eps) {
  constexpr double kMinNormal = 2.2250738585072014e-308;
  if (a == b) return true;
  double abs_sum = std::fabs(a) + std::fabs(b);
  double diff = std::fabs(a - b);
  if (a == 0 || b == 0 || abs_sum < kMinNormal) return diff < eps * kMinNormal;
  return diff / std::min(abs_sum, std::numeric_limits<double>::max()) < eps;
}

// Sorted by bound, equal bounds merged; false when there is no +Inf bucket.
bool Normalise(std::vector<Bucket>* b) {
  std::sort(b->begin(), b->end(), [](const Bucket& x, const Bucket& y) { return x.upper < y.upper; });
  if (b->empty() || !(std::isinf(b->back().upper) && b->back().upper > 0)) return false;
  std::size_t w = 0;
  for (std::size_t i = 0; i < b->size(); ++i) {
    if (w > 0 && (*b)[w - 1].upper == (*b)[i].upper) {
      (*b)[w - 1].count += (*b)[i].count;
    } else {
      (*b)[w++] = (*b)[i];
    }
  }
  b->resize(w);
  return true;
}

bool EnsureMonotonic(std::vector<Bucket>* b) {
  bool forced = false;
  double prev = (*b)[0].count;
  for (std::size_t i = 1; i < b->size(); ++i) {
    double cur = (*b)[i].count;
    if (cur == prev) continue;
    if (AlmostEqual(prev, cur, 1e-12)) {
      (*b)[i].count = prev;
      continue;
    }
    if (cur < prev) {
      (*b)[i].count = prev;
      forced = true;
      continue;
    }
    prev = cur;
  }
  return forced;
}

}  // namespace

double BucketQuantile(double phi, std::vector<Bucket>* buckets, bool* forced) {
  *forced = false;
  if (std::isnan(phi)) return kNaN;
  if (phi < 0) return -kInf;
  if (phi > 1) return kInf;
  std::vector<Bucket>& b = *buckets;
  if (!Normalise(&b)) return kNaN;
  *forced = EnsureMonotonic(&b);
  if (b.size() < 2) return kNaN;
  double observations = b.back().count;
  if (observations == 0 || std::isnan(observations)) return kNaN;
  double rank = phi * observations;
  std::size_t idx = 0;
  while (idx < b.size() - 1 && !(b[idx].count >= rank)) ++idx;
  if (idx == b.size() - 1) return b[b.size() - 2].upper;
  if (idx == 0 && b[0].upper <= 0) return b[0].upper;
  double start = 0, end = b[idx].upper, count = b[idx].count;
  if (idx > 0) {
    start = b[idx - 1].upper;
    count -= b[idx - 1].count;
    rank -= b[idx - 1].count;
  }
  return start + (end - start) * (rank / count);
}

double BucketFraction(double lower, double upper, std::vector<Bucket>* buckets) {
  std::vector<Bucket>& b = *buckets;
  if (!Normalise(&b)) return kNaN;
  EnsureMonotonic(&b);
  double count = b.back().count;
  if (count == 0 || std::isnan(lower) || std::isnan(upper)) return kNaN;
  if (lower >= upper) return 0;
  double rank = 0, lower_rank = 0, upper_rank = 0;
  bool lower_set = false, upper_set = false;
  for (std::size_t i = 0; i < b.size(); ++i) {
    double lo = i > 0 ? b[i - 1].upper : (b[0].upper > 0 ? 0 : -kInf);
    double hi = b[i].upper;
    // No interpolation inside a bucket of infinite width: a bound there maps to the
    // bucket's finite edge.
    auto interpolate = [&](double v) {
      if (std::isinf(lo)) return b[i].count;
      if (std::isinf(hi)) return rank;
      return rank + (b[i].count - rank) * (v - lo) / (hi - lo);
    };
    if (!lower_set && lo >= lower) {
      lower_rank = rank;
      lower_set = true;
    }
    if (!upper_set && lo >= upper) {
      upper_rank = rank;
      upper_set = true;
    }
    if (lower_set && upper_set) break;
    if (!lower_set && lo < lower && hi > lower) {
      lower_rank = interpolate(lower);
      lower_set = true;
    }
    if (!upper_set && lo < upper && hi > upper) {
      upper_rank = interpolate(upper);
      upper_set = true;
    }
    if (lower_set && upper_set) break;
    rank = b[i].count;
  }
  if (!lower_set || lower_rank > count) lower_rank = count;
  if (!upper_set || upper_rank > count) upper_rank = count;
  return (upper_rank - lower_rank) / count;
}

}  // namespace hw::promql
