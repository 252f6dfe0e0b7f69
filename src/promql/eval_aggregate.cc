// Aggregation operators. sum/avg/count/min/max/group/stddev/stdvar accumulate series
// by series into per-group step arrays (no per-step hashing); topk/bottomk/quantile/
// count_values/limitk/limit_ratio work step by step.
#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "promql/aggregate_internal.h"
#include "promql/eval.h"
#include "promql/str_cat.h"

namespace hw::promql {
namespace {

struct Acc {
  double value = 0;  // sum, min, max, or M2 for stddev/stdvar
  double c = 0;      // Kahan compensation
  double mean = 0;
  double count = 0;
  bool incremental = false;
};

void Accumulate(AggregateOp op, Acc& a, double x) {
  if (a.count == 0) {
    a.count = 1;
    bool var = op == AggregateOp::kStddev || op == AggregateOp::kStdvar;
    a.value = !var ? x : (std::isnan(x) || std::isinf(x)) ? std::nan("") : 0;
    a.mean = x;
    return;
  }
  a.count += 1;
  switch (op) {
    case AggregateOp::kSum:
      KahanAdd(x, &a.value, &a.c);
      break;
    case AggregateOp::kAvg: {
      if (!a.incremental) {
        double v = a.value, c = a.c;
        KahanAdd(x, &v, &c);
        if (!std::isinf(v) || std::isinf(x)) {
          a.value = v;
          a.c = c;
          break;
        }
        a.incremental = true;
        a.mean = a.value / (a.count - 1);
        a.c /= a.count - 1;
      }
      double q = (a.count - 1) / a.count;
      double m = q * a.mean, c = q * a.c;
      KahanAdd(x / a.count, &m, &c);
      a.mean = m;
      a.c = c;
      break;
    }
    case AggregateOp::kMin:
      if (a.value > x || std::isnan(a.value)) a.value = x;
      break;
    case AggregateOp::kMax:
      if (a.value < x || std::isnan(a.value)) a.value = x;
      break;
    case AggregateOp::kStddev:
    case AggregateOp::kStdvar: {
      double delta = x - a.mean;
      a.mean += delta / a.count;
      a.value += delta * (x - a.mean);
      break;
    }
    default:
      break;
  }
}

double Finish(AggregateOp op, const Acc& a) {
  switch (op) {
    case AggregateOp::kSum:
      return a.value + a.c;
    case AggregateOp::kAvg:
      if (a.incremental) return a.mean + a.c;
      return (a.value + a.c) / a.count;
    case AggregateOp::kCount:
      return a.count;
    case AggregateOp::kGroup:
      return 1;
    case AggregateOp::kStdvar:
      return a.value / a.count;
    case AggregateOp::kStddev:
      return std::sqrt(a.value / a.count);
    default:
      return a.value;
  }
}

}  // namespace

model::Labels GroupLabels(const model::Labels& l, const AggregateExpr& a) {
  model::LabelsBuilder b;
  for (const model::Label& lab : l) {
    bool listed = std::find(a.grouping.begin(), a.grouping.end(), lab.name) != a.grouping.end();
    bool keep = a.without ? !listed && lab.name != model::kMetricName : listed;
    if (keep) b.Set(lab.name, lab.value);
  }
  return b.Build();
}

Groups AssignGroups(const std::vector<StepSeries>& in, const AggregateExpr& a) {
  Groups g;
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_hash;
  for (const StepSeries& s : in) {
    model::Labels lab = GroupLabels(s.metric, a);
    auto& cands = by_hash[lab.Hash()];
    std::size_t id = SIZE_MAX;
    for (std::size_t c : cands) {
      if (g.labels[c] == lab) id = c;
    }
    if (id == SIZE_MAX) {
      id = g.labels.size();
      cands.push_back(id);
      g.labels.push_back(std::move(lab));
      g.drop_name.push_back(false);
    }
    g.drop_name[id] = g.drop_name[id] || s.drop_name;
    g.of.push_back(id);
  }
  return g;
}

Value Evaluator::EvalAggregate(const AggregateExpr& a) {
  Value param;
  if (a.param) param = Eval(*a.param);
  Value in = Eval(*a.expr);
  switch (a.op) {
    case AggregateOp::kTopK:
    case AggregateOp::kBottomK:
    case AggregateOp::kLimitK:
    case AggregateOp::kLimitRatio:
      return AggregateSelect(*this, a, param, std::move(in));
    case AggregateOp::kQuantile:
      return AggregateQuantile(*this, a, param, std::move(in));
    case AggregateOp::kCountValues:
      return AggregateCountValues(*this, a, param, std::move(in));
    default:
      break;
  }
  Groups g = AssignGroups(in.series, a);
  const std::size_t n = n_;
  std::vector<Acc> acc(g.labels.size() * n);
  for (std::size_t k = 0; k < in.series.size(); ++k) {
    q_->Check();
    Acc* row = &acc[g.of[k] * n];
    const std::vector<double>& v = in.series[k].v;
    for (std::size_t i = 0; i < n; ++i) {
      if (IsPresent(v[i])) Accumulate(a.op, row[i], v[i]);
    }
  }
  Value out;
  out.type = ValueType::kVector;
  out.series.reserve(g.labels.size());
  for (std::size_t id = 0; id < g.labels.size(); ++id) {
    StepSeries s = NewSeries(g.labels[id]);
    s.drop_name = g.drop_name[id];
    const Acc* row = &acc[id * n];
    for (std::size_t i = 0; i < n; ++i) {
      if (row[i].count > 0) s.v[i] = Finish(a.op, row[i]);
    }
    out.series.push_back(std::move(s));
  }
  RemoveEmpty(&out.series);
  return out;
}

}  // namespace hw::promql
