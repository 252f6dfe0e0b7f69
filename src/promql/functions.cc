// The function table. Types and arities follow Prometheus' documentation of each
// function (docs/querying/functions.md) for 3.x, plus the 2.x holt_winters.
#include "promql/functions.h"

#include <algorithm>

namespace hw::promql {
namespace {

constexpr ValueType S = ValueType::kScalar;
constexpr ValueType V = ValueType::kVector;
constexpr ValueType M = ValueType::kMatrix;
constexpr ValueType Str = ValueType::kString;

struct Builder {
  std::vector<Function> fns;

  // Exactly the listed arguments.
  Builder& Fixed(std::string_view name, std::vector<ValueType> args, ValueType ret) {
    int n = static_cast<int>(args.size());
    return Add(name, std::move(args), n, n, ret);
  }
  Builder& Add(std::string_view name, std::vector<ValueType> args, int min, int max,
               ValueType ret) {
    Function f;
    f.name = name;
    f.arg_types = std::move(args);
    f.min_args = min;
    f.max_args = max;
    f.return_type = ret;
    fns.push_back(std::move(f));
    return *this;
  }
  Builder& Experimental() {
    fns.back().experimental = true;
    return *this;
  }
};

std::vector<Function> BuildTable() {
  Builder b;
  // Element-wise math on instant vectors.
  for (std::string_view name : {"abs",
                                "ceil",
                                "floor",
                                "exp",
                                "sqrt",
                                "ln",
                                "log2",
                                "log10",
                                "sgn",
                                "deg",
                                "rad",
                                "acos",
                                "acosh",
                                "asin",
                                "asinh",
                                "atan",
                                "atanh",
                                "cos",
                                "cosh",
                                "sin",
                                "sinh",
                                "tan",
                                "tanh",
                                "timestamp",
                                "absent",
                                "sort",
                                "sort_desc",
                                "histogram_avg",
                                "histogram_count",
                                "histogram_sum",
                                "histogram_stddev",
                                "histogram_stdvar"}) {
    b.Fixed(name, {V}, V);
  }
  // Calendar functions: optional vector argument (default vector(time())).
  for (std::string_view name : {"day_of_month", "day_of_week", "day_of_year", "days_in_month",
                                "hour", "minute", "month", "year"}) {
    b.Add(name, {V}, 0, 1, V);
  }
  // Range-vector functions.
  for (std::string_view name :
       {"absent_over_time", "avg_over_time", "changes", "count_over_time", "delta", "deriv",
        "idelta", "increase", "irate", "last_over_time", "max_over_time", "min_over_time",
        "present_over_time", "rate", "resets", "stddev_over_time", "stdvar_over_time",
        "sum_over_time", "first_over_time"}) {
    b.Fixed(name, {M}, V);
  }
  for (std::string_view name : {"mad_over_time", "ts_of_first_over_time", "ts_of_last_over_time",
                                "ts_of_max_over_time", "ts_of_min_over_time"}) {
    b.Fixed(name, {M}, V).Experimental();
  }
  b.Fixed("clamp", {V, S, S}, V);
  b.Fixed("clamp_max", {V, S}, V);
  b.Fixed("clamp_min", {V, S}, V);
  b.Fixed("histogram_fraction", {S, S, V}, V);
  b.Fixed("histogram_quantile", {S, V}, V);
  b.Add("histogram_quantiles", {V, Str, S}, 3, -1, V).Experimental();
  b.Fixed("double_exponential_smoothing", {M, S, S}, V).Experimental();
  b.Fixed("holt_winters", {M, S, S}, V);
  b.fns.back().legacy = true;
  b.Add("info", {V, V}, 1, 2, V).Experimental();
  b.Add("label_join", {V, Str, Str, Str}, 3, -1, V);
  b.Fixed("label_replace", {V, Str, Str, Str, Str}, V);
  b.Fixed("predict_linear", {M, S}, V);
  b.Fixed("quantile_over_time", {S, M}, V);
  b.Add("round", {V, S}, 1, 2, V);
  b.Fixed("scalar", {V}, S);
  b.Add("sort_by_label", {V, Str}, 1, -1, V).Experimental();
  b.Add("sort_by_label_desc", {V, Str}, 1, -1, V).Experimental();
  b.Fixed("start_timestamp", {V}, V).Experimental();
  b.Fixed("vector", {S}, V);
  b.Fixed("time", {}, S);
  b.Fixed("pi", {}, S);
  for (std::string_view name : {"step", "range", "start", "end"}) {
    b.Fixed(name, {}, S).Experimental();
  }
  b.Fixed("min_of", {S, S}, S).Experimental();
  b.Fixed("max_of", {S, S}, S).Experimental();
  std::sort(b.fns.begin(), b.fns.end(),
            [](const Function& x, const Function& y) { return x.name < y.name; });
  return std::move(b.fns);
}

}  // namespace

const std::vector<Function>& AllFunctions() {
  static const std::vector<Function>* table = new std::vector<Function>(BuildTable());
  return *table;
}

const Function* LookupFunction(std::string_view name) {
  const std::vector<Function>& fns = AllFunctions();
  auto it = std::lower_bound(fns.begin(), fns.end(), name,
                             [](const Function& f, std::string_view n) { return f.name < n; });
  return it != fns.end() && it->name == name ? &*it : nullptr;
}

}  // namespace hw::promql
