// Error budgets: how much of an SLO's allowance of bad events is left, how fast it is
// going and when it runs out.
//
// Everything is counted from events, never averaged from ratios: over a window with
// `total` events of which `good` were good, the budget is (1 − objective) × total bad
// events, and the share used is (total − good) / budget. A busy hour weighs as much
// as its traffic, a quiet one as little.
//
// The figures come from PromQL through a QuerySource: the server answers it with its
// own engine (api/slo.cc), the CLI with a running server's HTTP query API
// (slo/http_query.h). The same expressions serve both, so `hastewatch slo report` and
// GET /api/v1/slos/report agree.
//
// Thread-safety: the functions are reentrant; a QuerySource says its own rule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "slo/spec.h"

namespace hw::slo {

class DayStore;  // slo/days.h: the SLO history stored in state.db

// Answers PromQL queries whose result is one series (they all sum()).
class QuerySource {
 public:
  virtual ~QuerySource() = default;
  // The value of `expr` at t_ms; nullopt when the result is empty.
  virtual Result<std::optional<double>> Instant(const std::string& expr, std::int64_t t_ms) const = 0;
  // The values of `expr` at start, start+step, ... <= end (points with no value left out).
  virtual Result<std::vector<std::pair<std::int64_t, double>>> Range(
      const std::string& expr, std::int64_t start_ms, std::int64_t end_ms,
      std::int64_t step_ms) const = 0;
};

struct BudgetFigures {
  double good = 0;   // events
  double total = 0;
  double achieved = 0;   // good / total; NaN when total is 0
  double allowed_bad = 0;  // (1 − objective) × total
  double used = 0;       // (total − good) / allowed_bad: 0.4 = 40% spent; may exceed 1
  double remaining = 1;  // 1 − used; negative once overspent
};
// The figures of `good` of `total` events against `objective`.
BudgetFigures ComputeBudget(double good, double total, double objective);

// The burn rate of an error ratio: how many times faster than the objective allows
// the budget is being spent (1 spends exactly the budget over the window). NaN stays
// NaN (no events).
double BurnRate(double error_ratio, double objective);

// The span an SLO's budget is counted over at now_ms: rolling windows end now and
// start `window` earlier; a calendar-month window is the UTC month holding now_ms,
// of which [start, now] has elapsed. `length_ms` is the whole window (the month's
// length for calendar months), the time a 1x burn takes to spend the budget.
struct BudgetSpan {
  std::int64_t start_ms = 0;
  std::int64_t length_ms = 0;
};
BudgetSpan BudgetSpanAt(const Spec& spec, std::int64_t now_ms);

// When the remaining budget runs out if bad events keep coming at `burn_rate` (1 =
// the rate that spends a whole budget in exactly `window_ms`): now + remaining ×
// window / burn. nullopt when the budget is not being spent (burn 0 or NaN) or is
// already gone (then it ran out no later than now).
std::optional<std::int64_t> ProjectExhaustion(double remaining, double burn_rate,
                                              std::int64_t window_ms, std::int64_t now_ms);

// Where an SLO stands now (GET /api/v1/slos).
struct CurrentStatus {
  std::int64_t window_start_ms = 0;  // rolling: now − window; calendar: month start
  std::int64_t eval_ms = 0;
  BudgetFigures budget;
  double error_ratio_1h = 0;  // NaN when no events in the last hour
  double burn_rate_1h = 0;    // error_ratio_1h / (1 − objective)
  double burn_rate_window = 0;  // the window's error ratio / (1 − objective); NaN
                                // without events
  std::optional<std::int64_t> exhaustion_ms;  // projected at burn_rate_1h
  bool exhausted = false;                     // remaining <= 0
  bool below_critical = false;                // achieved below the critical objective
  // With a store: the window's whole days taken from it, and those without events
  // anywhere (slo/days.h); nullopt without a store.
  int stored_days = 0;
  std::optional<int> no_data_days;
};
// `store` (may be null): the window's days older than the TSDB holds come from it
// (CountSpan, slo/days.h).
Result<CurrentStatus> ComputeStatus(const Spec& spec, const QuerySource& source,
                                    std::int64_t now_ms, const DayStore* store = nullptr);

// Good and total events of a spec's SLI over (t − range, t]: two instant queries of
// sum(increase(...)); a missing counter counts 0. For a `bad` SLI, good = total − bad.
Result<std::pair<double, double>> CountEvents(const Spec& spec, const QuerySource& source,
                                              std::int64_t range_ms, std::int64_t t_ms,
                                              bool critical = false);

// Good and total events per step: over (t − step, t] for t = first_end, first_end +
// step, ... <= last_end, from two range queries of sum(increase(...[step])) (the step
// written as a PromQL duration, "1d"). Steps without a total are left out; a missing
// good or bad counter counts 0. For a `bad` SLI, good = total − bad.
struct StepEvents {
  std::int64_t end_ms = 0;
  double good = 0;
  double total = 0;
};
Result<std::vector<StepEvents>> CountEventsPerStep(const Spec& spec, const QuerySource& source,
                                                   std::int64_t step_ms, std::int64_t first_end_ms,
                                                   std::int64_t last_end_ms);

// A range in PromQL's duration syntax: 2678400000 -> "2678400s" (whole seconds,
// at least 1s).
std::string RangeSeconds(std::int64_t range_ms);

// UTC calendar months: the start of the month holding t_ms, and of the month after.
std::int64_t MonthStartMs(std::int64_t t_ms);
std::int64_t MonthStartMs(int year, int month);  // month 1..12; 13 is next January
}  // namespace hw::slo
