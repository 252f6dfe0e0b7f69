// Selector time ranges and subquery grids (see time_range.h).
#include "promql/time_range.h"

#include <algorithm>
#include <limits>

namespace hw::promql {
namespace {

struct Planner {
  const TimeRangeParams& p;
  std::int64_t mint = std::numeric_limits<std::int64_t>::max();
  std::int64_t maxt = std::numeric_limits<std::int64_t>::min();

  void Selector(const VectorSelector& vs, std::int64_t start, std::int64_t end,
                std::int64_t range) {
    std::int64_t at = 0;
    if (ResolveAtModifier(vs.at, p.start, p.end, &at)) start = end = at;
    std::int64_t offset = DurationMs(vs.offset, vs.offset_expr, p.step, p.end - p.start);
    std::int64_t lo = start - offset - range + (p.v2 ? 0 : 1);
    std::int64_t hi = end - offset;
    mint = std::min(mint, lo);
    maxt = std::max(maxt, hi);
  }

  void Walk(const Expr& e, std::int64_t start, std::int64_t end) {
    if (auto* vs = e.As<VectorSelector>()) {
      Selector(*vs, start, end, p.lookback_ms);
      return;
    }
    if (auto* ms = e.As<MatrixSelector>()) {
      std::int64_t range = DurationMs(ms->range, ms->range_expr, p.step, p.end - p.start);
      Selector(*ms->selector, start, end, range);
      return;
    }
    if (auto* sq = e.As<SubqueryExpr>()) {
      std::int64_t at = 0;
      bool has_at = ResolveAtModifier(sq->at, p.start, p.end, &at);
      SubqueryGrid g = SubqueryGridFor(*sq, start, end, has_at, at, p.default_subquery_step_ms,
                                       p.step, p.end - p.start, p.v2);
      Walk(*sq->expr, g.start, g.end);
      return;
    }
    for (const Expr* c : Children(e)) Walk(*c, start, end);
  }
};

}  // namespace

std::pair<std::int64_t, std::int64_t> SelectorTimeRange(const Expr& e, const TimeRangeParams& p) {
  Planner pl{p};
  pl.Walk(e, p.start, p.end);
  return {pl.mint, pl.maxt};
}

std::int64_t DurationMs(Duration value, const ExprPtr& expr, std::int64_t query_step,
                        std::int64_t query_range) {
  if (expr == nullptr) return value.count();
  Result<Duration> d = EvaluateDurationExpr(*expr, Duration(query_step), Duration(query_range));
  return d.ok() ? d->count() : value.count();
}

SubqueryGrid SubqueryGridFor(const SubqueryExpr& sq, std::int64_t start, std::int64_t end,
                             bool has_at, std::int64_t at_ms, std::int64_t default_step,
                             std::int64_t query_step, std::int64_t query_range, bool v2) {
  SubqueryGrid g;
  g.range = DurationMs(sq.range, sq.range_expr, query_step, query_range);
  g.step = DurationMs(sq.step, sq.step_expr, query_step, query_range);
  if (g.step <= 0) g.step = default_step;
  g.offset = DurationMs(sq.offset, sq.offset_expr, query_step, query_range);
  if (has_at) start = end = at_ms;
  std::int64_t lo = start - g.offset - g.range;
  // First multiple of the step strictly after lo (floor division for negatives).
  std::int64_t q = lo / g.step;
  if (lo % g.step != 0 && lo < 0) --q;
  g.start = q * g.step;
  if (g.start < lo || (!v2 && g.start == lo)) g.start += g.step;
  g.end = end - g.offset;
  return g;
}

bool ResolveAtModifier(const AtModifier& at, std::int64_t query_start, std::int64_t query_end,
                       std::int64_t* t) {
  switch (at.kind) {
    case AtModifier::Kind::kNone:
      return false;
    case AtModifier::Kind::kTimestamp:
      *t = at.timestamp_ms;
      return true;
    case AtModifier::Kind::kStart:
      *t = query_start;
      return true;
    case AtModifier::Kind::kEnd:
      *t = query_end;
      return true;
  }
  return false;
}

}  // namespace hw::promql
