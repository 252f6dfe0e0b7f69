// Hints for PromQL that parses but cannot mean what its author meant, and the
// suggestions attached to some parse errors. They follow the monitoring guide's
// common mistakes (classic histograms, ratios of differently labelled metrics,
// grouping clauses after functions).
//
// LintHints() looks only at static information: metric names and the structure of the
// expression; it never consults stored series. Each hint is one sentence ending in a
// suggested rewrite ("did you mean ...?").
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "promql/ast.h"

namespace hw::promql {

// Warnings for a parsed query, in source order; empty when nothing looks wrong.
//  - histogram_quantile over a selector that is not a _bucket series;
//  - histogram_quantile over an aggregation that drops the `le` label;
//  - a one-to-one division between two different metrics with no aggregation and no
//    on()/ignoring(), which only matches series with identical label sets.
std::vector<std::string> LintHints(const Expr& e);

// The explanation used when `by (...)`/`without (...)` follows something that is not
// an aggregation, e.g. `histogram_quantile(0.95, x) by (endpoint)`:
// "by (endpoint) can only follow an aggregation; did you mean
//  histogram_quantile(0.95, sum by (endpoint, le) (rate(x_bucket[5m])))?"
std::string MisplacedGroupingHint(const Expr& operand, bool without,
                                  const std::vector<std::string>& labels);

}  // namespace hw::promql
