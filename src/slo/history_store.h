// HistoryStore: SLO history in data/state.db (the alerting StateDb's SQLite file),
// so budgets and the monthly review outlive the TSDB's retention (slo/days.h reads it,
// slo/recorder.h writes it).
//
// Format: one row per SLO, SLI and completed UTC day:
//   slo_days(service TEXT, name TEXT, sli TEXT, day INTEGER, good REAL, total REAL,
//            recorded_at INTEGER, PRIMARY KEY (service, name, sli, day))
// `day` is the day's start (ms since the epoch, UTC midnight), `sli` the SLO's
// selectors (SliKey): changing an SLO's selectors starts a new history, the old rows
// stay unused. Only days with events are stored.
//
// Rewrites (RecordRule): a day the TSDB still fully holds is overwritten with its
// count unconditionally (kOverwrite; no events there deletes the row), so deleted
// series and late samples are reflected. A day at the retention edge (the TSDB holds
// part of it) is replaced only by a count with at least as many events
// (kKeepMoreEvents; equal totals take the new count), so the TSDB's remains never
// lower it: the day is frozen once the TSDB starts to forget it.
//
// Thread-safety: takes the StateDb's lock around each use; callable from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "alerting/state_db.h"
#include "base/status.h"
#include "slo/days.h"
#include "slo/spec.h"

namespace hw::slo {

enum class RecordRule { kKeepMoreEvents, kOverwrite };

class HistoryStore : public DayStore {
 public:
  // Creates the table if needed. `db` must outlive the store. `tsdb_min_time`: the
  // TSDB's oldest sample (nullopt while empty), the horizon TsdbMinTime() reports;
  // none: no horizon (tests of the rule without one).
  static Result<std::unique_ptr<HistoryStore>> Open(
      alerting::StateDb& db, std::function<std::optional<std::int64_t>()> tsdb_min_time = {});

  std::optional<std::int64_t> TsdbMinTime() const override {
    return tsdb_min_time_ ? tsdb_min_time_() : std::nullopt;
  }

  Result<std::map<std::int64_t, StoredDay>> DaysOf(const std::string& service,
                                                   const std::string& name, const std::string& sli,
                                                   std::int64_t from_ms,
                                                   std::int64_t to_ms) const override;

  // Stores the counts of the day starting at day_ms under `rule` (above); true when
  // the row was written or deleted. A day without events is not stored.
  Result<bool> Record(const Spec& spec, std::int64_t day_ms, double good, double total,
                      std::int64_t now_ms, RecordRule rule = RecordRule::kKeepMoreEvents);

  // Whether any day of `spec` (its current SLI) is stored.
  Result<bool> HasHistory(const Spec& spec) const;

 private:
  HistoryStore(alerting::StateDb& db, std::function<std::optional<std::int64_t>()> tsdb_min_time)
      : db_(&db), tsdb_min_time_(std::move(tsdb_min_time)) {}
  alerting::StateDb* db_;
  std::function<std::optional<std::int64_t>()> tsdb_min_time_;
};

}  // namespace hw::slo
