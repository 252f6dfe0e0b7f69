// The evaluator behind Engine (internal to src/promql).
//
// Every expression is evaluated once over the whole step grid of the query (an
// instant query is a grid of one step). An instant-vector value is a set of
// StepSeries, each holding one double per step, with kAbsent marking the steps where
// the series has no sample — so binary operators and aggregations combine series
// step by step without per-step allocation. A range-vector value (matrix selector or
// subquery) keeps each series' decoded samples once; range functions slide a window
// over them per step (ForEachWindow).
//
// Errors inside the evaluator are thrown as EvalError and caught by Engine, which
// turns them into a Status; no exception leaves src/promql.
//
// Thread-safety: one Evaluator per query, used by one thread.
#pragma once

#include <bit>
#include <chrono>
#include <cstdint>
#include <exception>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "model/sample.h"
#include "promql/ast.h"
#include "promql/engine.h"
#include "storage/interface.h"

namespace hw::promql {

// The "no sample at this step" marker: a signalling NaN no arithmetic produces and no
// loaded sample carries (loaded NaNs are canonicalised).
inline constexpr std::uint64_t kAbsentBits = 0x7ff000000000a5e7ULL;
inline constexpr double kAbsent = std::bit_cast<double>(kAbsentBits);
inline bool IsAbsent(double v) { return std::bit_cast<std::uint64_t>(v) == kAbsentBits; }
inline bool IsPresent(double v) { return !IsAbsent(v); }

struct StepSeries {
  model::Labels metric;
  std::vector<double> v;  // one per step; kAbsent where there is no sample
  bool drop_name = false;  // delayed __name__ removal: drop at the end
};

struct RangeSeries {
  model::Labels metric;
  std::vector<model::Sample> s;  // no stale markers
  bool drop_name = false;
};

// A range vector over the step grid: the window of step i ends at
// (at ? at_ms : Ts(i)) - offset_ms and is (end - range_ms, end].
struct RangeValue {
  std::vector<RangeSeries> series;
  std::int64_t range_ms = 0;
  std::int64_t offset_ms = 0;
  bool has_at = false;
  std::int64_t at_ms = 0;
};

struct Value {
  ValueType type = ValueType::kNone;
  std::vector<StepSeries> series;  // kVector; kScalar: exactly one, no labels
  RangeValue range;                // kMatrix
  std::string str;                 // kString
};

class EvalError : public std::exception {
 public:
  explicit EvalError(Status s) : status_(std::move(s)) {}
  const char* what() const noexcept override { return status_.message().c_str(); }
  const Status& status() const { return status_; }

 private:
  Status status_;
};
[[noreturn]] void ThrowExec(std::string msg);

// State shared by the evaluators of one query (the top level and its subqueries).
struct QueryState {
  const EngineOptions* opts = nullptr;
  storage::Querier* querier = nullptr;
  std::string_view query;
  std::int64_t query_start = 0, query_end = 0;  // for @ start() / end()
  std::int64_t query_step = 0;                  // for duration expressions
  std::int64_t lookback_ms = 0;
  std::chrono::steady_clock::time_point deadline;
  const std::atomic<bool>* cancel = nullptr;
  std::int64_t current_samples = 0;
  QueryStats stats;
  std::set<std::string> warnings, infos;

  void Check();  // throws on deadline or cancel
  void Add(std::int64_t n);
  void Warn(std::string_view msg, PosRange pos);
  void Info(std::string_view msg, PosRange pos);
  std::string PosText(PosRange pos) const;  // "1:6"
};

struct WindowInfo {
  std::int64_t start = 0;  // exclusive (inclusive with v2 semantics)
  std::int64_t end = 0;    // inclusive
  std::int64_t ts = 0;     // the evaluation step time
  std::int64_t range_ms = 0;
  std::size_t step = 0;
  std::size_t series = 0;  // index into the RangeValue's series
};

class Evaluator {
 public:
  Evaluator(QueryState* q, std::int64_t start, std::int64_t end, std::int64_t step);

  Value Eval(const Expr& e);

  std::int64_t Ts(std::size_t i) const { return start_ + static_cast<std::int64_t>(i) * step_; }
  std::size_t steps() const { return n_; }
  std::int64_t start() const { return start_; }
  std::int64_t end() const { return end_; }
  std::int64_t step() const { return step_; }
  QueryState& q() { return *q_; }
  bool delayed() const { return q_->opts->delayed_name_removal; }
  bool instant() const { return n_ == 1; }

  // Marks (delayed mode) or removes the metric name.
  void DropName(StepSeries& s) const;
  // Merges series with equal label sets; two samples at one step fail the query with
  // "vector cannot contain metrics with the same labelset".
  static void MergeSameLabels(std::vector<StepSeries>* series);
  // Removes series with no sample at any step.
  static void RemoveEmpty(std::vector<StepSeries>* series);
  StepSeries NewSeries(model::Labels metric) const {
    return StepSeries{std::move(metric), std::vector<double>(n_, kAbsent), false};
  }
  Value Scalar(double v) const;
  Value ScalarSeries(std::vector<double> v) const;

  // Resolves an @ modifier: false when there is none.
  bool ResolveAt(const AtModifier& at, std::int64_t* t) const;

  // Calls fn(window samples (pointer, count), WindowInfo) for each series and step
  // and stores the result (kAbsent: no output) in out[series].v[step].
  template <typename F>
  std::vector<StepSeries> MapWindows(const RangeValue& rv, F&& fn);

  // Instant-vector selectors: the value (or, with timestamps, the sample time in
  // seconds) of each series at each step, honouring lookback and stale markers.
  Value EvalVectorSelector(const VectorSelector& vs, bool timestamps);
  RangeValue EvalMatrixSelector(const MatrixSelector& ms);
  RangeValue EvalSubquery(const SubqueryExpr& sq);
  Value EvalBinary(const BinaryExpr& b);
  Value EvalAggregate(const AggregateExpr& a);
  Value EvalCall(const Call& c);

 private:
  Value EvalNode(const Expr& e);

  QueryState* q_;
  std::int64_t start_, end_, step_;
  std::size_t n_;
};

// Loads series for a selector over [mint, maxt] (inclusive); `keep_stale` keeps stale
// markers (instant selectors need them to end lookback).
std::vector<RangeSeries> LoadSeries(QueryState& q, const VectorSelector& vs, std::int64_t mint,
                                    std::int64_t maxt, bool keep_stale, std::int64_t range_ms,
                                    std::int64_t step_ms);

template <typename F>
std::vector<StepSeries> Evaluator::MapWindows(const RangeValue& rv, F&& fn) {
  std::vector<StepSeries> out;
  out.reserve(rv.series.size());
  const bool closed = q_->opts->v2_semantics;
  for (std::size_t k = 0; k < rv.series.size(); ++k) {
    const RangeSeries& rs = rv.series[k];
    q_->Check();
    StepSeries s = NewSeries(rs.metric);
    s.drop_name = rs.drop_name;
    const model::Sample* data = rs.s.data();
    std::size_t n = rs.s.size(), lo = 0, hi = 0;
    bool any = false;
    for (std::size_t i = 0; i < n_; ++i) {
      WindowInfo w;
      w.ts = Ts(i);
      w.end = (rv.has_at ? rv.at_ms : w.ts) - rv.offset_ms;
      w.start = w.end - rv.range_ms;
      w.range_ms = rv.range_ms;
      w.step = i;
      w.series = k;
      if (rv.has_at && i > 0) {
        // Same window at every step; only functions of ts differ (none used with @
        // except predict_linear, which is cheap to recompute).
      }
      while (hi < n && data[hi].t <= w.end) ++hi;
      while (lo < hi && (data[lo].t < w.start || (!closed && data[lo].t == w.start))) ++lo;
      if (lo > hi) lo = hi;
      double r = fn(data + lo, hi - lo, w);
      s.v[i] = r;
      any = any || IsPresent(r);
      if (rv.has_at) {
        // Windows do not move: rewind so the next step sees the same samples.
        lo = 0;
        hi = 0;
      }
    }
    if (any) out.push_back(std::move(s));
  }
  return out;
}

// Function implementations: args are the evaluated arguments in order.
using FuncImpl = Value (*)(Evaluator& ev, const Call& call, std::vector<Value>& args);
const FuncImpl* FindFuncImpl(std::string_view name);

// Go's strconv.FormatFloat(v, 'f', -1, 64) (count_values, label values).
std::string FormatFloatPlain(double v);

}  // namespace hw::promql
