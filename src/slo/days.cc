#include "slo/days.h"

#include <fmt/format.h>

#include <optional>
#include <tuple>

namespace hw::slo {

std::string_view DaySourceName(DaySource s) {
  switch (s) {
    case DaySource::kTsdb: return "tsdb";
    case DaySource::kStored: return "stored";
    case DaySource::kNone: break;
  }
  return "none";
}

std::string SliKey(const Spec& spec) {
  const EventSelectors sel = Selectors(spec);
  return fmt::format("good={}\nbad={}\ntotal={}", sel.good, sel.bad, sel.total);
}

Result<std::map<std::int64_t, StoredDay>> DayStore::Days(const Spec& spec, std::int64_t from_ms,
                                                         std::int64_t to_ms) const {
  return DaysOf(spec.service, spec.name, SliKey(spec), from_ms, to_ms);
}

Result<std::vector<DayCount>> CountDays(const Spec& spec, const QuerySource& source,
                                        const DayStore* store, std::int64_t first_ms,
                                        std::int64_t end_ms) {
  std::vector<DayCount> out;
  if (end_ms <= first_ms) return out;
  Result<std::vector<StepEvents>> steps =
      CountEventsPerStep(spec, source, kDayMs, first_ms + kDayMs, end_ms);
  if (!steps.ok()) return steps.status();
  std::map<std::int64_t, StepEvents> tsdb;
  for (const StepEvents& e : *steps) tsdb[e.end_ms - kDayMs] = e;
  std::map<std::int64_t, StoredDay> stored;
  if (store != nullptr) {
    Result<std::map<std::int64_t, StoredDay>> rows = store->Days(spec, first_ms, end_ms);
    if (!rows.ok()) return rows.status();
    stored = std::move(rows).value();
  }
  const std::optional<std::int64_t> horizon =
      store != nullptr ? store->TsdbMinTime() : std::nullopt;
  for (std::int64_t d = first_ms; d < end_ms; d += kDayMs) {
    DayCount c;
    c.start_ms = d;
    auto t = tsdb.find(d);
    auto s = stored.find(d);
    const double tsdb_total = t != tsdb.end() && t->second.total > 0 ? t->second.total : 0;
    const double stored_total = s != stored.end() && s->second.total > 0 ? s->second.total : 0;
    // A day the TSDB fully holds is its alone: a lower re-count (deleted series,
    // extrapolation) must win over an earlier, higher stored count.
    const bool tsdb_holds_all = horizon && d >= *horizon;
    if (!tsdb_holds_all && stored_total > tsdb_total) {
      c.good = s->second.good;
      c.total = stored_total;
      c.source = DaySource::kStored;
    } else if (tsdb_total > 0) {
      c.good = t->second.good;
      c.total = tsdb_total;
      c.source = DaySource::kTsdb;
    }
    out.push_back(c);
  }
  return out;
}

Result<DayCount> CountPartialDay(const Spec& spec, const QuerySource& source,
                                 const DayStore* store, std::int64_t from_ms, std::int64_t to_ms) {
  DayCount c;
  c.start_ms = from_ms;
  Result<std::pair<double, double>> events = CountEvents(spec, source, to_ms - from_ms, to_ms);
  if (!events.ok()) return events.status();
  std::tie(c.good, c.total) = *events;
  c.source = c.total > 0 ? DaySource::kTsdb : DaySource::kNone;
  if (store == nullptr) return c;
  const std::int64_t day = DayFloor(from_ms);
  Result<std::map<std::int64_t, StoredDay>> rows = store->Days(spec, day, day + 1);
  if (!rows.ok()) return rows.status();
  const std::optional<std::int64_t> horizon = store->TsdbMinTime();
  auto it = rows->find(day);
  if (it == rows->end() || (horizon && from_ms >= *horizon)) return c;  // the TSDB holds it all
  const double share = static_cast<double>(to_ms - from_ms) / kDayMs;
  if (it->second.total * share > c.total) {
    c.good = it->second.good * share;
    c.total = it->second.total * share;
    c.source = DaySource::kStored;
  }
  return c;
}

Result<SpanCount> CountSpan(const Spec& spec, const QuerySource& source, const DayStore* store,
                            std::int64_t start_ms, std::int64_t end_ms, bool with_days) {
  SpanCount span;
  const std::int64_t first = DayCeil(start_ms);
  const std::int64_t last_end = DayFloor(end_ms);
  if ((store != nullptr || with_days) && first < last_end) {
    Result<std::vector<DayCount>> days = CountDays(spec, source, store, first, last_end);
    if (!days.ok()) return days.status();
    span.days = std::move(days).value();
    for (const DayCount& d : span.days) span.stored_days += d.source == DaySource::kStored;
  }
  // A rolling window's partial first day, which retention may have dropped.
  std::optional<DayCount> head;
  if (store != nullptr && start_ms < first && first <= last_end) {
    Result<DayCount> c = CountPartialDay(spec, source, store, start_ms, first);
    if (!c.ok()) return c.status();
    head = *c;
    span.stored_days += head->source == DaySource::kStored;
  }
  if (span.stored_days == 0) {
    // Nothing older than the TSDB holds: the whole span in one query, as always.
    Result<std::pair<double, double>> events = CountEvents(spec, source, end_ms - start_ms, end_ms);
    if (!events.ok()) return events.status();
    std::tie(span.good, span.total) = *events;
    return span;
  }
  if (head) {
    span.good += head->good;
    span.total += head->total;
  }
  for (const DayCount& d : span.days) {
    span.good += d.good;
    span.total += d.total;
  }
  if (last_end < end_ms) {  // the day in progress, from the TSDB
    Result<std::pair<double, double>> events =
        CountEvents(spec, source, end_ms - last_end, end_ms);
    if (!events.ok()) return events.status();
    span.good += events->first;
    span.total += events->second;
  }
  return span;
}

}  // namespace hw::slo
