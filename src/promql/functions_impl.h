// Registration of the function implementations (internal to src/promql). Each
// functions_*.cc file registers one family in the table FindFuncImpl() reads.
#pragma once

#include <string_view>
#include <unordered_map>

#include "promql/eval.h"

namespace hw::promql {

using FuncMap = std::unordered_map<std::string_view, FuncImpl>;

void RegisterRateFunctions(FuncMap& m);      // rate, increase, delta, irate, deriv, ...
void RegisterOverTimeFunctions(FuncMap& m);  // *_over_time
void RegisterMathFunctions(FuncMap& m);      // abs, clamp, round, vector, scalar, ...
void RegisterTimeFunctions(FuncMap& m);      // time, day_of_week, ...
void RegisterLabelFunctions(FuncMap& m);     // label_replace, label_join, absent
void RegisterHistogramFunctions(FuncMap& m);  // histogram_quantile, histogram_fraction
void RegisterSortFunctions(FuncMap& m);      // sort, sort_desc, sort_by_label

// Applies f to every present value of every series of a vector argument, dropping
// the metric name (the common shape of math functions).
template <typename F>
Value MapValues(Evaluator& ev, Value v, F&& f, bool drop_name = true) {
  for (StepSeries& s : v.series) {
    for (std::size_t i = 0; i < s.v.size(); ++i) {
      if (IsPresent(s.v[i])) s.v[i] = f(s.v[i], i);
    }
    if (drop_name) ev.DropName(s);
  }
  Evaluator::RemoveEmpty(&v.series);
  if (drop_name && !ev.delayed()) Evaluator::MergeSameLabels(&v.series);
  return v;
}

// Least-squares fit of the samples against time in seconds relative to intercept_t.
void LinearRegression(const model::Sample* d, std::size_t n, std::int64_t intercept_t,
                      double* slope, double* intercept);

// Wraps range-function output: drops names unless told not to, merges collisions.
Value VectorOf(Evaluator& ev, std::vector<StepSeries> series, bool drop_name);

}  // namespace hw::promql
