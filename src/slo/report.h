// The monthly SLO compliance review (the guide's "Monthly: review SLO compliance"):
// for each SLO over one UTC calendar month, the objective, what was achieved, the
// share of the error budget used, the days that fell below the objective (breaches)
// and the worst day.
//
// Figures come from a QuerySource (slo/budget.h):
//   month    sum(increase(<good|bad>[<month>])) and sum(increase(<total>[<month>]))
//            evaluated at the month's end (or now, for the month in progress);
//   days     the same over [1d] as a range query from the end of the first day to
//            the end of the last full day, step 1d, so each point is one UTC day.
// The month's figures weigh every event the same (events, not an average of days).
//
// With a DayStore (the SLO history in state.db), days the TSDB no longer holds come
// from it (slo/days.h: the source that saw more of a day wins); each day says where it
// came from, and days with events in neither are listed as no data. Once a stored day
// is used, the month's figures are the sum of its days plus the day in progress.
//
// Thread-safety: BuildMonthReport calls the source from the calling thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "slo/budget.h"
#include "slo/days.h"
#include "slo/spec.h"

namespace hw::slo {

struct DayFigures {
  std::int64_t start_ms = 0;  // UTC midnight
  double good = 0;
  double total = 0;
  double achieved = 0;  // good / total
  DaySource source = DaySource::kTsdb;
};

struct SloMonth {
  const Spec* spec = nullptr;  // points into the specs given to BuildMonthReport
  BudgetFigures budget;        // over the month
  bool met = false;            // achieved >= objective (false without events)
  bool critical_breached = false;  // achieved below the critical objective
  std::vector<DayFigures> days;    // days with events, in order
  std::vector<std::int64_t> breach_days;  // starts of days below the objective
  std::optional<DayFigures> worst_day;    // the lowest achieved day
  std::vector<std::int64_t> no_data_days;  // whole days without events anywhere
  int stored_days = 0;                     // days taken from the SLO history
};

struct MonthReport {
  int year = 0;
  int month = 0;  // 1..12
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;   // start of the next month
  std::int64_t eval_ms = 0;  // end_ms, or now while the month is in progress
  std::vector<SloMonth> slos;
};

// "2024-02" -> {2024, 2}.
Result<std::pair<int, int>> ParseMonth(std::string_view text);
// The month holding now_ms: "2024-02".
std::string MonthOf(std::int64_t now_ms);

// The report for `year-month` (a future month is an error). `specs` must outlive it.
// `store` may be null (TSDB only).
Result<MonthReport> BuildMonthReport(const std::vector<Spec>& specs, int year, int month,
                                     const QuerySource& source, std::int64_t now_ms,
                                     const DayStore* store = nullptr);

// Renderings: an aligned text table, a Markdown table (for the review's notes) and
// JSON (also the `data` of GET /api/v1/slos/report). Percentages in JSON are plain
// fractions (0.9991), times are RFC 3339.
std::string FormatTable(const MonthReport& report);
std::string FormatMarkdown(const MonthReport& report);
std::string FormatJson(const MonthReport& report);

}  // namespace hw::slo
