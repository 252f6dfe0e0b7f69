// SLO history: an SLO's SLI step by step over a span of time (a day at a time by
// default), and its error budget as it was spent from the span's start — what the
// UI's SLO page charts, and GET /api/v1/slos/<service>/<name>/history answers.
//
// The span is cut into steps aligned to multiples of `step` since the epoch (UTC
// midnights for 1d), so a history's days are the compliance report's days; a span
// that starts or ends between two boundaries gets a shorter first or last step:
//
//   span   |--start ...... |00:00 ......... |00:00 ......... |00:00 .... end--|
//   steps  |-- partial --- |---- full ----- |---- full ----- |-- partial -----|
//
// Full steps come from one range query per counter (CountEventsPerStep, the report's
// daily figures); a partial step from an instant query over its own length
// (CountEvents). Budget figures are counted from events (ComputeBudget): the budget
// remaining at a step's end weighs every step by its traffic, never averaging
// ratios. `span` holds the whole span's figures counted at once, the same queries as
// GET /api/v1/slos and the report; the running sums of the steps reach about the
// same total (increase() extrapolates each step to its bounds on its own).
//
// With a DayStore and a step of 1d, full days the TSDB no longer holds come from the
// SLO history in state.db, and a partial first day from its stored share
// (CountPartialDay, slo/days.h); each point says where it came from, and once a stored
// day or share is used `span` is the sum of the points (as GET /api/v1/slos sums it).
//
// Thread-safety: BuildHistory calls the source from the calling thread only.
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "slo/budget.h"
#include "slo/days.h"
#include "slo/spec.h"

namespace hw::slo {

// As Prometheus' query_range: more points than this is a client mistake.
inline constexpr std::int64_t kMaxHistoryPoints = 11'000;
// increase() needs two samples in a step; shorter steps would mostly be empty.
inline constexpr std::int64_t kMinHistoryStepMs = 60'000;

struct HistoryPoint {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  double good = 0;  // events in [start, end)
  double total = 0;
  double sli = 0;          // good / total; NaN without events
  DaySource source = DaySource::kNone;  // kNone: no events
  BudgetFigures so_far;    // from the span's start to end_ms (running sums)
};

struct History {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::int64_t step_ms = 0;
  BudgetFigures span;  // the whole span at once
  double burn_rate = 0;  // the span's error ratio / (1 − objective); NaN without events
  int stored_points = 0;  // points taken from the SLO history
  std::vector<HistoryPoint> points;  // every step, in order (those without events too)
};

// The history of `spec` over [start_ms, end_ms] by `step_ms`. Fails with kBadData
// when end is not after start, the step is under a minute or not whole seconds, or
// the span would take more than kMaxHistoryPoints steps.
// `store` may be null (TSDB only).
Result<History> BuildHistory(const Spec& spec, const QuerySource& source, std::int64_t start_ms,
                             std::int64_t end_ms, std::int64_t step_ms,
                             const DayStore* store = nullptr);

}  // namespace hw::slo
