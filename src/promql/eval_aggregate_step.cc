// Step-wise aggregations: topk, bottomk, limitk, limit_ratio, quantile, count_values.
#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "promql/aggregate_internal.h"
#include "promql/printer.h"
#include "promql/str_cat.h"

namespace hw::promql {

double Quantile(double phi, std::vector<double>* values) {
  if (values->empty() || std::isnan(phi)) return std::numeric_limits<double>::quiet_NaN();
  if (phi < 0) return -std::numeric_limits<double>::infinity();
  if (phi > 1) return std::numeric_limits<double>::infinity();
  // NaNs sort first, as Go's sort.Float64s orders them.
  std::sort(values->begin(), values->end(), [](double a, double b) {
    if (std::isnan(a)) return !std::isnan(b);
    return a < b;
  });
  double n = static_cast<double>(values->size());
  double rank = phi * (n - 1);
  double lower = std::max(0.0, std::floor(rank));
  double upper = std::min(n - 1, lower + 1);
  double w = rank - std::floor(rank);
  return (*values)[static_cast<std::size_t>(lower)] * (1 - w) +
         (*values)[static_cast<std::size_t>(upper)] * w;
}

Value AggregateSelect(Evaluator& ev, const AggregateExpr& a, const Value& param, Value in) {
  Groups g = AssignGroups(in.series, a);
  const std::size_t n = ev.steps();
  std::vector<std::vector<double>> out_v(in.series.size(), std::vector<double>(n, kAbsent));
  std::vector<std::vector<std::size_t>> members(g.labels.size());
  std::vector<std::size_t> order;  // instant queries: output order
  const bool top = a.op == AggregateOp::kTopK;
  for (std::size_t i = 0; i < n; ++i) {
    double p = param.series[0].v[i];
    if (std::isnan(p)) {
      ThrowExec(a.op == AggregateOp::kLimitRatio ? "Ratio value is NaN" : "Parameter value is NaN");
    }
    if (a.op == AggregateOp::kLimitRatio) {
      if (p < -1 || p > 1) {
        double capped = std::clamp(p, -1.0, 1.0);
        ev.q().Warn(StrCat("ratio value should be between -1 and 1, got ", FormatNumber(p),
                           ", capping to ", FormatNumber(capped)),
                    a.param->pos);
        p = capped;
      }
      for (std::size_t k = 0; k < in.series.size(); ++k) {
        if (IsAbsent(in.series[k].v[i])) continue;
        double off = static_cast<double>(in.series[k].metric.Hash()) /
                     static_cast<double>(std::numeric_limits<std::uint64_t>::max());
        if ((p >= 0 && off < p) || (p < 0 && off >= 1.0 + p)) {
          out_v[k][i] = in.series[k].v[i];
          if (n == 1) order.push_back(k);
        }
      }
      continue;
    }
    if (p >= 9.223372036854775807e18) ThrowExec(StrCat("Scalar value ", FormatNumber(p), " overflows int64"));
    auto k_max = static_cast<std::int64_t>(p);
    if (k_max < 1) continue;
    for (auto& m : members) m.clear();
    for (std::size_t k = 0; k < in.series.size(); ++k) {
      if (IsPresent(in.series[k].v[i])) members[g.of[k]].push_back(k);
    }
    for (auto& m : members) {
      if (a.op != AggregateOp::kLimitK) {
        auto better = [&](std::size_t x, std::size_t y) {
          double vx = in.series[x].v[i], vy = in.series[y].v[i];
          if (std::isnan(vx)) return false;
          if (std::isnan(vy)) return true;
          return top ? vx > vy : vx < vy;
        };
        std::stable_sort(m.begin(), m.end(), better);
      }
      std::size_t take = std::min<std::size_t>(m.size(), static_cast<std::size_t>(
                                                             std::min<std::int64_t>(k_max, 1 << 30)));
      for (std::size_t j = 0; j < take; ++j) {
        out_v[m[j]][i] = in.series[m[j]].v[i];
        if (n == 1) order.push_back(m[j]);
      }
    }
  }
  Value out;
  out.type = ValueType::kVector;
  if (n == 1) {
    for (std::size_t k : order) {
      out.series.push_back({in.series[k].metric, std::move(out_v[k]), in.series[k].drop_name});
    }
    return out;
  }
  for (std::size_t k = 0; k < in.series.size(); ++k) {
    out.series.push_back({in.series[k].metric, std::move(out_v[k]), in.series[k].drop_name});
  }
  Evaluator::RemoveEmpty(&out.series);
  return out;
}

Value AggregateQuantile(Evaluator& ev, const AggregateExpr& a, const Value& param, Value in) {
  Groups g = AssignGroups(in.series, a);
  const std::size_t n = ev.steps();
  Value out;
  out.type = ValueType::kVector;
  for (std::size_t id = 0; id < g.labels.size(); ++id) {
    out.series.push_back(ev.NewSeries(g.labels[id]));
    out.series.back().drop_name = g.drop_name[id];
  }
  std::vector<std::vector<double>> vals(g.labels.size());
  for (std::size_t i = 0; i < n; ++i) {
    double phi = param.series[0].v[i];
    if (!(phi >= 0 && phi <= 1)) {
      ev.q().Warn(StrCat("quantile value should be between 0 and 1, got ", FormatNumber(phi)),
                  a.param->pos);
    }
    for (auto& v : vals) v.clear();
    for (std::size_t k = 0; k < in.series.size(); ++k) {
      if (IsPresent(in.series[k].v[i])) vals[g.of[k]].push_back(in.series[k].v[i]);
    }
    for (std::size_t id = 0; id < vals.size(); ++id) {
      if (!vals[id].empty()) out.series[id].v[i] = Quantile(phi, &vals[id]);
    }
  }
  Evaluator::RemoveEmpty(&out.series);
  return out;
}

Value AggregateCountValues(Evaluator& ev, const AggregateExpr& a, const Value& param, Value in) {
  const std::string& label = param.str;
  if (!model::IsValidLabelName(label)) ThrowExec(StrCat("invalid label name \"", label, "\""));
  Groups g = AssignGroups(in.series, a);
  Value out;
  out.type = ValueType::kVector;
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < ev.steps(); ++i) {
    for (std::size_t k = 0; k < in.series.size(); ++k) {
      double x = in.series[k].v[i];
      if (IsAbsent(x)) continue;
      std::string value = FormatFloatPlain(x);
      model::Labels labels = model::LabelsBuilder(g.labels[g.of[k]]).Set(label, value).Build();
      // Keyed by the final label set: the new label may replace a grouping label.
      auto [it, fresh] = index.emplace(labels.ToString(), out.series.size());
      if (fresh) out.series.push_back(ev.NewSeries(std::move(labels)));
      double& cell = out.series[it->second].v[i];
      cell = IsAbsent(cell) ? 1 : cell + 1;
    }
  }
  return out;
}

}  // namespace hw::promql
