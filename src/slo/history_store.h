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
// Rewrites: a stored day is replaced by a new count unless the stored one counts more
// events (the TSDB has since dropped part of the day); equal totals take the new
// count (late samples of the good or bad counter). So a day recorded while samples
// were still arriving is corrected while the TSDB holds it, and frozen once the TSDB
// starts to forget it.
//
// Thread-safety: takes the StateDb's lock around each use; callable from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>

#include "alerting/state_db.h"
#include "base/status.h"
#include "slo/days.h"
#include "slo/spec.h"

namespace hw::slo {

class HistoryStore : public DayStore {
 public:
  // Creates the table if needed. `db` must outlive the store.
  static Result<std::unique_ptr<HistoryStore>> Open(alerting::StateDb& db);

  Result<std::map<std::int64_t, StoredDay>> DaysOf(const std::string& service,
                                                   const std::string& name, const std::string& sli,
                                                   std::int64_t from_ms,
                                                   std::int64_t to_ms) const override;

  // Stores the counts of the day starting at day_ms under the rewrite rule above;
  // true when the row was written. A day without events is not stored.
  Result<bool> Record(const Spec& spec, std::int64_t day_ms, double good, double total,
                      std::int64_t now_ms);

  // Whether any day of `spec` (its current SLI) is stored.
  Result<bool> HasHistory(const Spec& spec) const;

 private:
  explicit HistoryStore(alerting::StateDb& db) : db_(&db) {}
  alerting::StateDb* db_;
};

}  // namespace hw::slo
