// Checking one eval's outcome against its expectations (internal to the runner).
#pragma once

#include <string>

#include "promql/engine.h"
#include "promql/promqltest_internal.h"

namespace hw::promql::testdsl {

// "" when the result meets every expectation; else the first difference.
std::string CheckResult(const EvalCmd& e, const Result<QueryResult>& res);

// Prometheus' test comparison: relative epsilon 1e-6, NaN == NaN, StaleNaN only
// equal to StaleNaN.
bool AlmostEqual(double a, double b);

}  // namespace hw::promql::testdsl
