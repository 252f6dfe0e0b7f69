// Time arithmetic shared by the planner and the evaluator: which [mint, maxt] each
// selector reads, the step grid of a subquery, and the values of durations written
// as (experimental) duration expressions.
//
// Windows are left-open: a range selector evaluated at t with offset o reads
// (t - o - range, t - o]; an instant selector reads (t - o - lookback, t - o]. With
// v2 semantics both ends are closed, so one more millisecond is read.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <utility>

#include "promql/ast.h"

namespace hw::promql {

struct TimeRangeParams {
  std::int64_t start = 0, end = 0, step = 0;  // the query's own grid
  std::int64_t lookback_ms = 0;
  std::int64_t default_subquery_step_ms = 60000;
  bool v2 = false;
};

// The union of every selector's [mint, maxt]; {max, min} when there is no selector.
std::pair<std::int64_t, std::int64_t> SelectorTimeRange(const Expr& e, const TimeRangeParams& p);

// A duration field's value: `value`, or `expr` evaluated for the query's step and
// range (end - start) when it is set.
std::int64_t DurationMs(Duration value, const ExprPtr& expr, std::int64_t query_step,
                        std::int64_t query_range);

// The grid a subquery is evaluated on, for an outer grid [start, end]: steps aligned
// to multiples of the subquery step, from the first one after start - offset - range
// to end - offset (or around @ when given; at_ms is then the resolved @ time).
struct SubqueryGrid {
  std::int64_t start = 0, end = 0, step = 0, range = 0, offset = 0;
};
SubqueryGrid SubqueryGridFor(const SubqueryExpr& sq, std::int64_t start, std::int64_t end,
                             bool has_at, std::int64_t at_ms, std::int64_t default_step,
                             std::int64_t query_step, std::int64_t query_range,
                             bool v2 = false);

// Resolves an @ modifier against the query's start and end; false when there is none.
bool ResolveAtModifier(const AtModifier& at, std::int64_t query_start, std::int64_t query_end,
                       std::int64_t* t);

}  // namespace hw::promql
