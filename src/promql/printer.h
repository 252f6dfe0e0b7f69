// Printing PromQL ASTs back to query text.
//
// Format() produces the canonical one-line form Prometheus' Expr.String() produces
// (`sum by (job) (rate(http_requests_total{code="500"}[5m]))`, numbers in Go's %v
// form, durations as `1h30m`, `@ 100.000`, non-legacy names quoted as in
// `{"my.metric", "service.name"="api"}`). Prettify() is the multi-line form used by
// /api/v1/format_query: expressions longer than the width are split, one operand or
// argument per line, indented by two spaces.
//
// Contract: for every tree the parser returns, parsing Format(e) or Prettify(e)
// yields a tree Equal() to e (with the same ParseOptions).
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <string>
#include <string_view>

#include "promql/ast.h"

namespace hw::promql {

std::string Format(const Expr& e);

std::string Prettify(const Expr& e, int max_width = 100);

// A float the way Go's %v prints it: 1, 0.5, 1e+06, 1.5e-07, +Inf, -Inf, NaN.
std::string FormatNumber(double v);

// A binary operator with its modifiers: `/ ignoring (code) group_left`, `> bool`.
std::string BinaryOperatorText(const BinaryExpr& b);

// A label name as written in a query: bare when it is a legacy name, else quoted.
std::string FormatLabelName(std::string_view name);

}  // namespace hw::promql
