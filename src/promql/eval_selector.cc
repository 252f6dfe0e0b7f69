// Selectors and subqueries: what is read from storage and how it becomes step values.
#include <cmath>
#include <limits>
#include <span>

#include "promql/eval.h"
#include "promql/time_range.h"

namespace hw::promql {

std::vector<RangeSeries> LoadSeries(QueryState& q, const VectorSelector& vs, std::int64_t mint,
                                    std::int64_t maxt, bool keep_stale, std::int64_t range_ms,
                                    std::int64_t step_ms) {
  std::vector<RangeSeries> out;
  if (mint > maxt) return out;
  storage::SelectHints hints;
  hints.start_ms = q.query_start;
  hints.end_ms = q.query_end;
  hints.step_ms = step_ms;
  hints.range_ms = range_ms;
  auto set = q.querier->Select(vs.matchers, mint, maxt, &hints);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // Each series is read whole into one reused buffer (no virtual call per sample),
  // which grows to the longest series; the series then gets one exact allocation
  // instead of growing by reallocation.
  std::vector<model::Sample> buf(1024);
  while (set->Next()) {
    q.Check();
    const storage::Series& series = set->At();
    RangeSeries rs;
    rs.metric = series.labels();
    auto it = series.Iterator();
    std::size_t total = 0;
    while (true) {
      if (buf.size() - total < 256) buf.resize(buf.size() * 2);
      std::size_t got = it->NextBatch(std::span<model::Sample>(buf).subspan(total));
      if (got == 0) break;
      total += got;
    }
    // The common series is all in range with no NaN: copy it whole.
    const model::Sample* d = buf.data();
    std::size_t i = 0;
    while (i < total && d[i].t >= mint && d[i].t <= maxt && !std::isnan(d[i].v)) ++i;
    if (i == total) {
      rs.s.assign(d, d + total);
    } else {
      rs.s.reserve(total);
      rs.s.assign(d, d + i);
      for (; i < total; ++i) {
        model::Sample s = d[i];
        if (s.t < mint || s.t > maxt) continue;
        if (std::isnan(s.v)) {
          if (model::IsStaleNaN(s.v)) {
            if (!keep_stale) continue;
          } else {
            s.v = nan;  // canonical: never the absent marker
          }
        }
        rs.s.push_back(s);
      }
    }
    if (!it->Err().ok()) throw EvalError(it->Err().Wrap("cannot read series"));
    if (rs.s.empty()) continue;
    auto n = static_cast<std::int64_t>(rs.s.size());
    q.stats.samples_loaded += n;
    q.Add(n);
    out.push_back(std::move(rs));
  }
  if (!set->Err().ok()) throw EvalError(set->Err().Wrap("cannot select series"));
  return out;
}

Value Evaluator::EvalVectorSelector(const VectorSelector& vs, bool timestamps) {
  std::int64_t at = 0;
  bool has_at = ResolveAt(vs.at, &at);
  std::int64_t offset =
      DurationMs(vs.offset, vs.offset_expr, q_->query_step, q_->query_end - q_->query_start);
  std::int64_t lo = (has_at ? at : start_) - offset;
  std::int64_t hi = (has_at ? at : end_) - offset;
  const bool v2 = q_->opts->v2_semantics;
  const std::int64_t lookback = q_->lookback_ms;
  std::vector<RangeSeries> loaded =
      LoadSeries(*q_, vs, lo - lookback + (v2 ? 0 : 1), hi, true, 0, step_);
  Value out;
  out.type = ValueType::kVector;
  out.series.reserve(loaded.size());
  for (RangeSeries& rs : loaded) {
    StepSeries s = NewSeries(std::move(rs.metric));
    const model::Sample* d = rs.s.data();
    std::size_t n = rs.s.size(), j = 0;
    bool any = false;
    auto value_at = [&](std::int64_t t) {
      while (j < n && d[j].t <= t) ++j;
      if (j == 0) return kAbsent;
      const model::Sample& last = d[j - 1];
      bool in = v2 ? last.t >= t - lookback : last.t > t - lookback;
      if (!in || model::IsStaleNaN(last.v)) return kAbsent;
      return timestamps ? static_cast<double>(last.t) / 1000.0 : last.v;
    };
    if (has_at) {
      double x = value_at(at - offset);
      std::fill(s.v.begin(), s.v.end(), x);
      any = IsPresent(x);
    } else {
      for (std::size_t i = 0; i < n_; ++i) {
        s.v[i] = value_at(Ts(i) - offset);
        any = any || IsPresent(s.v[i]);
      }
    }
    if (any) out.series.push_back(std::move(s));
  }
  return out;
}

RangeValue Evaluator::EvalMatrixSelector(const MatrixSelector& ms) {
  const VectorSelector& vs = *ms.selector;
  RangeValue rv;
  rv.has_at = ResolveAt(vs.at, &rv.at_ms);
  std::int64_t qrange = q_->query_end - q_->query_start;
  rv.offset_ms = DurationMs(vs.offset, vs.offset_expr, q_->query_step, qrange);
  rv.range_ms = DurationMs(ms.range, ms.range_expr, q_->query_step, qrange);
  std::int64_t lo = (rv.has_at ? rv.at_ms : start_) - rv.offset_ms;
  std::int64_t hi = (rv.has_at ? rv.at_ms : end_) - rv.offset_ms;
  bool v2 = q_->opts->v2_semantics;
  rv.series = LoadSeries(*q_, vs, lo - rv.range_ms + (v2 ? 0 : 1), hi, false, rv.range_ms, step_);
  return rv;
}

RangeValue Evaluator::EvalSubquery(const SubqueryExpr& sq) {
  RangeValue rv;
  rv.has_at = ResolveAt(sq.at, &rv.at_ms);
  SubqueryGrid g =
      SubqueryGridFor(sq, start_, end_, rv.has_at, rv.at_ms, q_->opts->default_subquery_step_ms,
                      q_->query_step, q_->query_end - q_->query_start,
                      q_->opts->v2_semantics);
  rv.range_ms = g.range;
  rv.offset_ms = g.offset;
  if (g.start > g.end) return rv;
  Evaluator sub(q_, g.start, g.end, g.step);
  Value inner = sub.Eval(*sq.expr);
  for (StepSeries& s : inner.series) {
    RangeSeries rs;
    rs.metric = std::move(s.metric);
    rs.drop_name = s.drop_name;
    for (std::size_t i = 0; i < s.v.size(); ++i) {
      if (IsPresent(s.v[i])) rs.s.push_back({sub.Ts(i), s.v[i]});
    }
    if (!rs.s.empty()) rv.series.push_back(std::move(rs));
  }
  return rv;
}

}  // namespace hw::promql
