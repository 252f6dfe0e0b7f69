#include "slo/budget.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "base/units.h"
#include "slo/days.h"
#include "slo/rules.h"

namespace hw::slo {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Result<double> ValueOrZero(const QuerySource& source, const std::string& expr, std::int64_t t) {
  Result<std::optional<double>> v = source.Instant(expr, t);
  if (!v.ok()) return v.status();
  return v->value_or(0);
}

}  // namespace

BudgetFigures ComputeBudget(double good, double total, double objective) {
  BudgetFigures b;
  b.good = good;
  b.total = total;
  b.achieved = total > 0 ? good / total : kNaN;
  b.allowed_bad = (1 - objective) * total;
  const double bad = std::max(0.0, total - good);
  b.used = b.allowed_bad > 0 ? bad / b.allowed_bad : 0;
  b.remaining = 1 - b.used;
  return b;
}

double BurnRate(double error_ratio, double objective) { return error_ratio / (1 - objective); }

BudgetSpan BudgetSpanAt(const Spec& spec, std::int64_t now_ms) {
  if (spec.window_kind == Spec::WindowKind::kRolling) {
    return {now_ms - spec.window.count(), spec.window.count()};
  }
  const std::int64_t start = MonthStartMs(now_ms);
  using namespace std::chrono;
  const year_month_day ymd{floor<days>(sys_time<milliseconds>(milliseconds(now_ms)))};
  return {start, MonthStartMs(int(ymd.year()), int(unsigned(ymd.month())) + 1) - start};
}

std::optional<std::int64_t> ProjectExhaustion(double remaining, double burn_rate,
                                              std::int64_t window_ms, std::int64_t now_ms) {
  if (!(burn_rate > 0) || !(remaining > 0) || !std::isfinite(burn_rate)) return std::nullopt;
  return now_ms + static_cast<std::int64_t>(std::llround(remaining * window_ms / burn_rate));
}

std::string RangeSeconds(std::int64_t range_ms) {
  return fmt::format("{}s", std::max<std::int64_t>(1, range_ms / 1000));
}

std::int64_t MonthStartMs(int year, int month) {
  using namespace std::chrono;
  if (month > 12) {
    year += (month - 1) / 12;
    month = (month - 1) % 12 + 1;
  }
  const sys_days d = year_month_day{std::chrono::year{year}, std::chrono::month{unsigned(month)},
                                    day{1}};
  return duration_cast<milliseconds>(d.time_since_epoch()).count();
}

std::int64_t MonthStartMs(std::int64_t t_ms) {
  using namespace std::chrono;
  const sys_days d = floor<days>(sys_time<milliseconds>(milliseconds(t_ms)));
  const year_month_day ymd{d};
  return MonthStartMs(int(ymd.year()), int(unsigned(ymd.month())));
}

Result<std::pair<double, double>> CountEvents(const Spec& spec, const QuerySource& source,
                                              std::int64_t range_ms, std::int64_t t_ms,
                                              bool critical) {
  const EventSelectors sel = Selectors(spec, critical);
  const std::string range = RangeSeconds(range_ms);
  Result<double> total = ValueOrZero(source, CountExpr(sel.total, range), t_ms);
  if (!total.ok()) return total.status();
  if (!sel.bad.empty()) {
    Result<double> bad = ValueOrZero(source, CountExpr(sel.bad, range), t_ms);
    if (!bad.ok()) return bad.status();
    return std::pair{*total - *bad, *total};
  }
  Result<double> good = ValueOrZero(source, CountExpr(sel.good, range), t_ms);
  if (!good.ok()) return good.status();
  return std::pair{*good, *total};
}

Result<CurrentStatus> ComputeStatus(const Spec& spec, const QuerySource& source,
                                    std::int64_t now_ms, const DayStore* store) {
  CurrentStatus st;
  st.eval_ms = now_ms;
  const BudgetSpan span = BudgetSpanAt(spec, now_ms);
  st.window_start_ms = span.start_ms;
  const std::int64_t range = std::max<std::int64_t>(60'000, now_ms - st.window_start_ms);
  Result<SpanCount> events = CountSpan(spec, source, store, now_ms - range, now_ms);
  if (!events.ok()) return events.status();
  st.budget = ComputeBudget(events->good, events->total, spec.objective);
  st.stored_days = events->stored_days;
  if (store != nullptr) {
    int none = 0;
    for (const DayCount& d : events->days) none += d.source == DaySource::kNone;
    st.no_data_days = none;
  }
  st.exhausted = st.budget.total > 0 && st.budget.remaining <= 0;
  if (spec.critical_objective > 0 && st.budget.total > 0) {
    st.below_critical = st.budget.achieved < spec.critical_objective;
  }
  st.burn_rate_window = BurnRate(1 - st.budget.achieved, spec.objective);
  Result<std::optional<double>> ratio = source.Instant(ErrorRatioExpr(Selectors(spec), "1h"), now_ms);
  if (!ratio.ok()) return ratio.status();
  st.error_ratio_1h = ratio->value_or(kNaN);
  st.burn_rate_1h = BurnRate(st.error_ratio_1h, spec.objective);
  st.exhaustion_ms = ProjectExhaustion(st.budget.remaining, st.burn_rate_1h, span.length_ms, now_ms);
  return st;
}

Result<std::vector<StepEvents>> CountEventsPerStep(const Spec& spec, const QuerySource& source,
                                                   std::int64_t step_ms, std::int64_t first_end_ms,
                                                   std::int64_t last_end_ms) {
  const EventSelectors sel = Selectors(spec);
  const std::string& counted = sel.bad.empty() ? sel.good : sel.bad;
  const std::string step = FormatDuration(Duration(step_ms));
  auto totals = source.Range(CountExpr(sel.total, step), first_end_ms, last_end_ms, step_ms);
  if (!totals.ok()) return totals.status();
  auto part = source.Range(CountExpr(counted, step), first_end_ms, last_end_ms, step_ms);
  if (!part.ok()) return part.status();
  const std::map<std::int64_t, double> parts(part->begin(), part->end());
  std::vector<StepEvents> out;
  out.reserve(totals->size());
  for (const auto& [t, total] : *totals) {
    auto it = parts.find(t);
    const double v = it == parts.end() ? 0 : it->second;
    out.push_back({t, sel.bad.empty() ? v : total - v, total});
  }
  return out;
}

}  // namespace hw::slo
