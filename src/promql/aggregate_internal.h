// Shared pieces of the aggregation operators (internal to src/promql).
#pragma once

#include <cmath>
#include <vector>

#include "promql/eval.h"

namespace hw::promql {

// Neumaier-compensated summation step: *sum + *c is the running total.
inline void KahanAdd(double inc, double* sum, double* c) {
  double t = *sum + inc;
  if (std::isinf(t)) {
    *c = 0;
  } else if (std::fabs(*sum) >= std::fabs(inc)) {
    *c += (*sum - t) + inc;
  } else {
    *c += (inc - t) + *sum;
  }
  *sum = t;
}

// The output labels of a series' group: only the `by` labels, or all but the
// `without` labels and __name__.
model::Labels GroupLabels(const model::Labels& l, const AggregateExpr& a);

struct Groups {
  std::vector<model::Labels> labels;  // per group
  std::vector<bool> drop_name;        // per group: any member marked
  std::vector<std::size_t> of;        // per input series: its group
};
Groups AssignGroups(const std::vector<StepSeries>& in, const AggregateExpr& a);

Value AggregateSelect(Evaluator& ev, const AggregateExpr& a, const Value& param, Value in);
Value AggregateQuantile(Evaluator& ev, const AggregateExpr& a, const Value& param, Value in);
Value AggregateCountValues(Evaluator& ev, const AggregateExpr& a, const Value& param, Value in);

// φ-quantile of values (sorted in place) with linear interpolation; φ outside [0, 1]
// gives ∓Inf.
double Quantile(double phi, std::vector<double>* values);

}  // namespace hw::promql
