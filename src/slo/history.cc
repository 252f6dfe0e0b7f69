#include "slo/history.h"

#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "base/units.h"

namespace hw::slo {
namespace {

// The smallest multiple of `step` strictly after t (t >= 0).
std::int64_t NextBoundary(std::int64_t t, std::int64_t step) { return (t / step + 1) * step; }

Status CheckSpan(std::int64_t start_ms, std::int64_t end_ms, std::int64_t step_ms) {
  if (end_ms <= start_ms) {
    return Status::BadData(fmt::format("the end {} is not after the start {}",
                                       FormatRfc3339Millis(end_ms), FormatRfc3339Millis(start_ms)));
  }
  if (start_ms < 0) return Status::BadData("the start is before 1970");
  // PromQL ranges end near 292 years; no SLO history needs more than a century.
  constexpr std::int64_t kMaxSpanMs = 36525LL * 24 * 3600 * 1000;  // 100 years of days
  if (end_ms - start_ms > kMaxSpanMs) {
    return Status::BadData(fmt::format("the span from {} to {} is longer than 100 years",
                                       FormatRfc3339Millis(start_ms), FormatRfc3339Millis(end_ms)));
  }
  if (step_ms < kMinHistoryStepMs || step_ms % 1000 != 0) {
    return Status::BadData(fmt::format("the step {} is not a whole number of seconds of at least 1m",
                                       FormatDuration(Duration(step_ms))));
  }
  if ((end_ms - start_ms) / step_ms + 2 > kMaxHistoryPoints) {
    return Status::BadData(fmt::format(
        "{} steps of {} exceed the limit of {} points: widen the step",
        (end_ms - start_ms) / step_ms + 1, FormatDuration(Duration(step_ms)), kMaxHistoryPoints));
  }
  return Status::Ok();
}

}  // namespace

Result<History> BuildHistory(const Spec& spec, const QuerySource& source, std::int64_t start_ms,
                             std::int64_t end_ms, std::int64_t step_ms, const DayStore* store) {
  HW_RETURN_IF_ERROR(CheckSpan(start_ms, end_ms, step_ms));
  History h;
  h.start_ms = start_ms;
  h.end_ms = end_ms;
  h.step_ms = step_ms;

  // Step bounds: the start, every multiple of the step inside the span, the end.
  std::vector<std::int64_t> bounds = {start_ms};
  for (std::int64_t b = NextBoundary(start_ms, step_ms); b < end_ms; b += step_ms) bounds.push_back(b);
  bounds.push_back(end_ms);

  // Full steps in one pair of range queries, keyed by their end.
  std::int64_t first_full_end = -1, last_full_end = -1;
  for (std::size_t i = 1; i < bounds.size(); ++i) {
    if (bounds[i] - bounds[i - 1] != step_ms) continue;
    if (first_full_end < 0) first_full_end = bounds[i];
    last_full_end = bounds[i];
  }
  std::map<std::int64_t, DayCount> full;  // by end
  if (first_full_end >= 0 && step_ms == kDayMs) {
    Result<std::vector<DayCount>> days =
        CountDays(spec, source, store, first_full_end - kDayMs, last_full_end);
    if (!days.ok()) return days.status();
    for (const DayCount& d : *days) full[d.start_ms + kDayMs] = d;
  } else if (first_full_end >= 0) {
    Result<std::vector<StepEvents>> steps =
        CountEventsPerStep(spec, source, step_ms, first_full_end, last_full_end);
    if (!steps.ok()) return steps.status();
    for (const StepEvents& e : *steps) {
      full[e.end_ms] = {e.end_ms - step_ms, e.good, e.total,
                        e.total > 0 ? DaySource::kTsdb : DaySource::kNone};
    }
  }

  double good_so_far = 0, total_so_far = 0;
  for (std::size_t i = 1; i < bounds.size(); ++i) {
    HistoryPoint p;
    p.start_ms = bounds[i - 1];
    p.end_ms = bounds[i];
    if (p.end_ms - p.start_ms == step_ms) {
      auto it = full.find(p.end_ms);
      if (it != full.end()) {
        p.good = it->second.good;
        p.total = it->second.total;
        p.source = it->second.source;
        h.stored_points += p.source == DaySource::kStored;
      }
    } else {
      // A partial step; with day steps, its day's stored share may stand in (days.h).
      Result<DayCount> c = CountPartialDay(spec, source, step_ms == kDayMs ? store : nullptr,
                                           p.start_ms, p.end_ms);
      if (!c.ok()) return c.status();
      p.good = c->good;
      p.total = c->total;
      p.source = c->source;
      h.stored_points += p.source == DaySource::kStored;
    }
    p.sli = p.total > 0 ? p.good / p.total : std::numeric_limits<double>::quiet_NaN();
    good_so_far += p.good;
    total_so_far += p.total;
    p.so_far = ComputeBudget(good_so_far, total_so_far, spec.objective);
    h.points.push_back(p);
  }

  if (h.stored_points > 0) {
    // Days the TSDB no longer holds: the span is what its points add up to.
    h.span = ComputeBudget(good_so_far, total_so_far, spec.objective);
    h.burn_rate = BurnRate(1 - h.span.achieved, spec.objective);
    return h;
  }
  Result<std::pair<double, double>> events = CountEvents(spec, source, end_ms - start_ms, end_ms);
  if (!events.ok()) return events.status();
  h.span = ComputeBudget(events->first, events->second, spec.objective);
  h.burn_rate = BurnRate(1 - h.span.achieved, spec.objective);
  return h;
}

}  // namespace hw::slo
