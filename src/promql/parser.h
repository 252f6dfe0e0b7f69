// The PromQL parser: query text -> type-checked AST (promql/ast.h).
//
// The grammar and the checks are those of Prometheus 3.x: literals, selectors with
// quoted UTF-8 names, offset / @ modifiers, range selectors, subqueries, every
// aggregation and binary operator with Prometheus' precedence and associativity
// (`^` right-associative and binding tighter than unary minus; then * / % atan2;
// + -; comparisons; and unless; or), functions, and the parse-time type checks
// ("expected type range vector in call to function \"rate\", got instant vector").
// Experimental syntax is parsed only when its ParseOptions flag is on; otherwise the
// query fails with an error naming the feature.
//
// Errors are reported the way Prometheus reports them: the first problem found, as
// "<line>:<col>: parse error: <what>" where col counts bytes from 1. ParseError gives
// the same information as fields.
//
// Thread-safety: the functions are reentrant; the function table they use is
// immutable. The returned tree is owned by the caller.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/matcher.h"
#include "promql/ast.h"

namespace hw::promql {

// Prometheus feature flags that change what parses.
struct ParseOptions {
  // --enable-feature=promql-experimental-functions: mad_over_time, sort_by_label,
  // limitk, limit_ratio, info, double_exponential_smoothing, ts_of_*_over_time, ...
  bool experimental_functions = false;
  // --enable-feature=promql-duration-expr: `[5m+1m]`, `offset (1h/2)`, step(), range().
  bool duration_expressions = false;
  // --enable-feature=promql-extended-range-selectors: `anchored` and `smoothed`.
  bool extended_range_selectors = false;
  // --enable-feature=promql-binop-fill-modifiers: fill(), fill_left(), fill_right().
  bool binop_fill_modifiers = false;
  // Accept functions removed in Prometheus 3.0 (holt_winters), for 2.x rule files.
  bool legacy_functions = false;

  // Everything on: what Prometheus' own PromQL test suite runs with.
  static ParseOptions AllEnabled() { return {true, true, true, true, true}; }
};

// Where and why a query failed to parse.
struct ParseError {
  PosRange pos;         // byte range of the offending input
  int line = 1;         // 1-based line of pos.start
  int column = 1;       // 1-based byte column of pos.start within its line
  std::string message;  // e.g. `unexpected end of input`

  // "1:5: parse error: unexpected end of input" (Prometheus' ParseErr format).
  std::string ToString() const;
};

// Parses a whole query. On failure the Status is kBadData with ParseError::ToString()
// as its message, and *error (if given) receives the details.
Result<ExprPtr> ParseExpr(std::string_view input, const ParseOptions& options = {},
                          ParseError* error = nullptr);

// Parses a series selector such as the API's match[] parameter: `up`,
// `{job="api", __name__=~"http_.*"}`, `{"my.metric"}`. No modifiers are allowed and
// at least one matcher must not match the empty string. The name, if given before the
// braces, becomes a __name__ matcher appended last.
Result<std::vector<model::Matcher>> ParseMetricSelector(std::string_view input,
                                                        ParseError* error = nullptr);

}  // namespace hw::promql
