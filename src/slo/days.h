// An SLO's events day by day, from the TSDB and from the SLO history stored in
// data/state.db (slo/history_store.h), so budgets, the monthly review and the
// history reach back past the TSDB's retention.
//
// Per completed UTC day: a day the TSDB still fully holds (starting at or after its
// oldest sample, DayStore::TsdbMinTime) always comes from the TSDB, so deleted series
// and late samples reach budgets and reviews. Only a day starting before that horizon
// (retention dropped part or all of it) may come from the store, when the stored
// figures count more events than the TSDB still holds; ties go to the TSDB. Without a
// horizon (an older server) the "more events" rule applies to every day. A day with
// events in neither is "no data", never counted as met.
//
// A span's figures (CountSpan): while no stored day wins, one increase() over the
// whole span exactly as before (CountEvents), so spans the TSDB still holds keep
// their figures to the last digit; once a stored day wins, the sum of the whole days,
// the partial first day and the day in progress (from the TSDB). A rolling window's
// partial first day that retention dropped counts its stored day pro rata (18 h of
// it: three quarters of the stored events) when that is more than the TSDB holds:
// stored history is whole days, so this assumes the day's events were spread evenly.
//
// Thread-safety: the functions call the source and the store from the calling thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "slo/budget.h"
#include "slo/spec.h"

namespace hw::slo {

inline constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

// Where a day's figures came from.
enum class DaySource { kNone, kTsdb, kStored };
std::string_view DaySourceName(DaySource s);  // "none", "tsdb", "stored"

struct StoredDay {
  double good = 0;
  double total = 0;
};

// The days recorded for SLOs: read side (the server's is slo/history_store.h, the
// CLI's a server's GET /api/v1/slos/<service>/<name>/days, slo/http_query.h).
class DayStore {
 public:
  virtual ~DayStore() = default;
  // The stored days of an SLO with the SLI `sli` (SliKey), starting in [from_ms,
  // to_ms), keyed by their start (UTC midnight).
  virtual Result<std::map<std::int64_t, StoredDay>> DaysOf(const std::string& service,
                                                           const std::string& name,
                                                           const std::string& sli,
                                                           std::int64_t from_ms,
                                                           std::int64_t to_ms) const = 0;
  // The same for `spec` with its current SLI.
  Result<std::map<std::int64_t, StoredDay>> Days(const Spec& spec, std::int64_t from_ms,
                                                 std::int64_t to_ms) const;
  // The TSDB's oldest sample time (ms, its retention edge) beside which the days are
  // read: stored days stand in only for days starting before it. nullopt when unknown
  // (an empty TSDB, a server that does not say): stored days may stand in for any
  // day. The CLI's store knows it from its last DaysOf answer: call after DaysOf.
  virtual std::optional<std::int64_t> TsdbMinTime() const { return std::nullopt; }
};

// What identifies the events an SLO counts: its selectors (for latency SLOs, with the
// threshold's bucket). Stored days of another SLI never count for this one.
std::string SliKey(const Spec& spec);

struct DayCount {
  std::int64_t start_ms = 0;  // UTC midnight
  double good = 0;
  double total = 0;  // 0 with source kNone
  DaySource source = DaySource::kNone;
};

// UTC day arithmetic.
inline std::int64_t DayFloor(std::int64_t t_ms) { return t_ms / kDayMs * kDayMs; }
inline std::int64_t DayCeil(std::int64_t t_ms) { return (t_ms + kDayMs - 1) / kDayMs * kDayMs; }

// Every UTC day starting in [first_ms, end_ms) (both midnights), in order, each from
// the TSDB's per-day counts (CountEventsPerStep) or `store` (may be null: TSDB only).
Result<std::vector<DayCount>> CountDays(const Spec& spec, const QuerySource& source,
                                        const DayStore* store, std::int64_t first_ms,
                                        std::int64_t end_ms);

struct SpanCount {
  double good = 0;
  double total = 0;
  // The whole days inside the span (when asked for, or with a store), in order.
  std::vector<DayCount> days;
  int stored_days = 0;  // days whose figures came from the store
};
// The events of [from_ms, to_ms), part of one UTC day: the TSDB's count, or, when the
// TSDB no longer fully holds that part (it starts before TsdbMinTime, or that is
// unknown) and the day is stored, the stored day's share of it (to - from over 24 h)
// if that counts more. Source kNone when neither has events.
Result<DayCount> CountPartialDay(const Spec& spec, const QuerySource& source,
                                 const DayStore* store, std::int64_t from_ms, std::int64_t to_ms);

// Good and total events over [start_ms, end_ms]. `with_days`: also count the whole
// days inside the span without a store. A stored share of the first, partial day
// (CountPartialDay) counts among `stored_days`.
Result<SpanCount> CountSpan(const Spec& spec, const QuerySource& source, const DayStore* store,
                            std::int64_t start_ms, std::int64_t end_ms, bool with_days = false);

}  // namespace hw::slo
