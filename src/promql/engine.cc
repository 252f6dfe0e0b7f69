// Engine: parse, plan the storage ranges, run the evaluator, shape the result.
#include "promql/engine.h"

#include <algorithm>
#include <limits>

#include "promql/eval.h"
#include "promql/parse_hints.h"
#include "promql/parser.h"
#include "promql/time_range.h"

namespace hw::promql {
namespace {

// Drops names marked for delayed removal and merges what then coincides.
void FinishNames(std::vector<StepSeries>* series) {
  bool any = false;
  for (StepSeries& s : *series) {
    if (s.drop_name) {
      s.metric = model::LabelsBuilder(s.metric).Del(model::kMetricName).Build();
      s.drop_name = false;
      any = true;
    }
  }
  if (any) Evaluator::MergeSameLabels(series);
}

QueryValue ToMatrix(std::vector<StepSeries> series, const Evaluator& ev) {
  QueryValue out;
  out.type = ValueType::kMatrix;
  FinishNames(&series);
  std::sort(series.begin(), series.end(),
            [](const StepSeries& a, const StepSeries& b) { return a.metric < b.metric; });
  for (StepSeries& s : series) {
    MatrixSeries m;
    m.metric = std::move(s.metric);
    for (std::size_t i = 0; i < s.v.size(); ++i) {
      if (IsPresent(s.v[i])) m.points.push_back({ev.Ts(i), s.v[i]});
    }
    if (!m.points.empty()) out.matrix.push_back(std::move(m));
  }
  return out;
}

QueryValue RangeToMatrix(const RangeValue& rv, std::int64_t t, bool closed) {
  QueryValue out;
  out.type = ValueType::kMatrix;
  std::int64_t end = (rv.has_at ? rv.at_ms : t) - rv.offset_ms;
  std::int64_t start = end - rv.range_ms - (closed ? 1 : 0);
  for (const RangeSeries& rs : rv.series) {
    MatrixSeries m;
    m.metric = rs.drop_name ? model::LabelsBuilder(rs.metric).Del(model::kMetricName).Build()
                            : rs.metric;
    for (const model::Sample& s : rs.s) {
      if (s.t > start && s.t <= end) m.points.push_back({s.t, s.v});
    }
    if (!m.points.empty()) out.matrix.push_back(std::move(m));
  }
  std::sort(out.matrix.begin(), out.matrix.end(),
            [](const MatrixSeries& a, const MatrixSeries& b) { return a.metric < b.metric; });
  return out;
}

}  // namespace

Engine::Engine(EngineOptions options) : options_(std::move(options)) {}

Result<QueryResult> Engine::Instant(storage::Queryable& storage, std::string_view query,
                                    std::int64_t t_ms, const QueryOptions& opts) const {
  return Exec(storage, query, t_ms, t_ms, 1, true, opts);
}

Result<QueryResult> Engine::Range(storage::Queryable& storage, std::string_view query,
                                  std::int64_t start_ms, std::int64_t end_ms,
                                  std::int64_t step_ms, const QueryOptions& opts) const {
  if (step_ms <= 0) {
    return Status::BadData("cannot run range query: zero or negative query resolution step");
  }
  if (end_ms < start_ms) return Status::BadData("cannot run range query: end before start");
  return Exec(storage, query, start_ms, end_ms, step_ms, false, opts);
}

Result<QueryResult> Engine::Exec(storage::Queryable& storage, std::string_view query,
                                 std::int64_t start, std::int64_t end, std::int64_t step,
                                 bool instant, const QueryOptions& opts) const {
  ParseOptions po;
  if (options_.enable_experimental) po = ParseOptions::AllEnabled();
  po.legacy_functions = options_.v2_semantics;
  Result<ExprPtr> parsed = ParseExpr(query, po);
  if (!parsed.ok()) return parsed.status();
  const Expr& expr = **parsed;
  if (!instant && expr.type() != ValueType::kScalar && expr.type() != ValueType::kVector) {
    return Status::BadData(std::string("invalid expression type \"") +
                           std::string(ValueTypeName(expr.type())) +
                           "\" for range query, must be Scalar or instant Vector");
  }

  QueryState q;
  q.opts = &options_;
  q.query = query;
  q.query_start = start;
  q.query_end = end;
  q.query_step = instant ? 0 : step;
  q.lookback_ms = opts.lookback_delta_ms > 0 ? opts.lookback_delta_ms : options_.lookback_delta_ms;
  auto timeout = opts.timeout.count() > 0 ? opts.timeout : options_.timeout;
  q.deadline = std::chrono::steady_clock::now() + timeout;
  q.cancel = opts.cancel;

  TimeRangeParams tp{start, end, q.query_step, q.lookback_ms, options_.default_subquery_step_ms,
                     options_.v2_semantics};
  auto [mint, maxt] = SelectorTimeRange(expr, tp);
  if (mint > maxt) mint = maxt = start;
  auto querier = storage.NewQuerier(mint, maxt);
  if (!querier.ok()) return querier.status().Wrap("cannot open querier");
  q.querier = querier->get();

  QueryResult result;
  try {
    Evaluator ev(&q, start, end, step);
    Value v = ev.Eval(expr);
    switch (v.type) {
      case ValueType::kScalar:
        if (instant) {
          result.value.type = ValueType::kScalar;
          result.value.scalar = v.series[0].v[0];
          result.value.scalar_t = start;
        } else {
          result.value = ToMatrix(std::move(v.series), ev);
        }
        break;
      case ValueType::kString:
        result.value.type = ValueType::kString;
        result.value.str = v.str;
        result.value.scalar_t = start;
        break;
      case ValueType::kVector:
        if (instant) {
          FinishNames(&v.series);
          result.value.type = ValueType::kVector;
          for (StepSeries& s : v.series) {
            if (IsPresent(s.v[0])) result.value.vector.push_back({std::move(s.metric), start, s.v[0]});
          }
        } else {
          result.value = ToMatrix(std::move(v.series), ev);
        }
        break;
      case ValueType::kMatrix:
        result.value = RangeToMatrix(v.range, start, options_.v2_semantics);
        break;
      case ValueType::kNone:
        break;
    }
  } catch (const EvalError& e) {
    (void)(*querier)->Close();
    return e.status();
  }
  (void)(*querier)->Close();
  result.stats = q.stats;
  result.warnings.assign(q.warnings.begin(), q.warnings.end());
  result.infos.assign(q.infos.begin(), q.infos.end());
  if (options_.lint_hints) {
    for (std::string& h : LintHints(expr)) result.warnings.push_back(std::move(h));
  }
  return result;
}

}  // namespace hw::promql
