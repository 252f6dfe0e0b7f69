// Quantiles and fractions of classic histograms given as (upper bound, cumulative
// count) buckets. Internal to src/promql; pure functions.
#pragma once

#include <vector>

namespace hw::promql {

struct Bucket {
  double upper = 0;
  double count = 0;
};

// The φ-quantile, interpolating linearly inside the bucket that holds the rank.
// Sorts, merges equal bounds and forces the counts to be monotonic (*forced tells
// whether a real decrease had to be removed). NaN without a +Inf bucket.
double BucketQuantile(double phi, std::vector<Bucket>* buckets, bool* forced);

// The fraction of observations between lower and upper, interpolating linearly.
double BucketFraction(double lower, double upper, std::vector<Bucket>* buckets);

}  // namespace hw::promql
