// The PromQL engine: evaluates a query against a storage::Queryable, as an instant
// query (one evaluation time) or a range query (start..end every step), with
// Prometheus 3.x semantics (left-open range and lookback windows, staleness,
// extrapolated rate, delayed or immediate __name__ removal).
//
// How a query runs: it is parsed, the time range every selector needs is computed
// from the query's times, ranges, offsets, @ modifiers, lookback and subqueries, one
// Querier is opened over their union, and each selector Selects exactly its own
// [mint, maxt] once for the whole query; range functions then slide their windows over
// the decoded samples step by step.
//
// Limits: a deadline (EngineOptions::timeout, or QueryOptions::timeout when set) and a
// max-samples limit (samples loaded plus intermediate points held at once) fail the
// query with Prometheus' messages ("query timed out in expression evaluation",
// "query processing would load too many samples into memory in query execution").
//
// Errors: parse errors are kBadData; evaluation errors (many-to-many matching,
// duplicate label sets, invalid label_replace arguments) kExecution; the deadline
// kTimeout; QueryOptions::cancel kCanceled. Annotations (Prometheus' "PromQL warning:"
// and "PromQL info:" texts, ending in the expression's line:column) travel in
// QueryResult::warnings / infos; LintHints() are appended to warnings unless
// disabled.
//
// Thread-safety: an Engine is immutable after construction; any number of threads may
// run queries on one Engine at once (each query has its own evaluator and querier).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "promql/value.h"
#include "storage/interface.h"

namespace hw::promql {

struct EngineOptions {
  std::int64_t lookback_delta_ms = 5 * 60 * 1000;
  // Samples loaded plus points held in intermediate results, at most, per query.
  std::int64_t max_samples = 50'000'000;
  std::chrono::milliseconds timeout{2 * 60 * 1000};
  // Experimental functions and syntax (Prometheus' feature flags) are accepted.
  bool enable_experimental = false;
  // Prometheus' promql-delayed-name-removal: __name__ is dropped at the end of the
  // evaluation, so label_replace can still read (or keep) it.
  bool delayed_name_removal = false;
  // Resolution of subqueries written without a step (`x[5m:]`).
  std::int64_t default_subquery_step_ms = 60 * 1000;
  // Prometheus 2.x semantics: range and lookback windows closed at both ends,
  // holt_winters accepted.
  bool v2_semantics = false;
  // Append LintHints() to the warnings.
  bool lint_hints = true;
};

struct QueryOptions {
  // Overrides EngineOptions::lookback_delta_ms when > 0.
  std::int64_t lookback_delta_ms = 0;
  // Overrides EngineOptions::timeout when > 0.
  std::chrono::milliseconds timeout{0};
  // Set to true by another thread to abandon the query (kCanceled).
  const std::atomic<bool>* cancel = nullptr;
};

struct QueryStats {
  std::int64_t samples_loaded = 0;  // samples read from storage
  std::int64_t peak_samples = 0;    // most samples + points held at once
};

struct QueryResult {
  QueryValue value;
  std::vector<std::string> warnings;
  std::vector<std::string> infos;
  QueryStats stats;
};

class Engine {
 public:
  explicit Engine(EngineOptions options = {});

  // Evaluates `query` at t_ms.
  Result<QueryResult> Instant(storage::Queryable& storage, std::string_view query,
                              std::int64_t t_ms, const QueryOptions& opts = {}) const;
  // Evaluates `query` at start, start+step, ... <= end; the value is always a matrix.
  Result<QueryResult> Range(storage::Queryable& storage, std::string_view query,
                            std::int64_t start_ms, std::int64_t end_ms, std::int64_t step_ms,
                            const QueryOptions& opts = {}) const;

  const EngineOptions& options() const { return options_; }

 private:
  Result<QueryResult> Exec(storage::Queryable& storage, std::string_view query,
                           std::int64_t start, std::int64_t end, std::int64_t step,
                           bool instant, const QueryOptions& opts) const;

  EngineOptions options_;
};

}  // namespace hw::promql
