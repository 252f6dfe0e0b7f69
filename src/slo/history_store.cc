#include "slo/history_store.h"

#include <fmt/format.h>

namespace hw::slo {

Result<std::unique_ptr<HistoryStore>> HistoryStore::Open(
    alerting::StateDb& db, std::function<std::optional<std::int64_t>()> tsdb_min_time) {
  auto lock = db.Lock();
  Status s = db.db().Exec(
      "CREATE TABLE IF NOT EXISTS slo_days ("
      " service TEXT NOT NULL, name TEXT NOT NULL, sli TEXT NOT NULL, day INTEGER NOT NULL,"
      " good REAL NOT NULL, total REAL NOT NULL, recorded_at INTEGER NOT NULL,"
      " PRIMARY KEY (service, name, sli, day))");
  if (!s.ok()) return s.Wrap("cannot create the SLO history table in state.db");
  return std::unique_ptr<HistoryStore>(new HistoryStore(db, std::move(tsdb_min_time)));
}

Result<std::map<std::int64_t, StoredDay>> HistoryStore::DaysOf(
    const std::string& service, const std::string& name, const std::string& sli,
    std::int64_t from_ms, std::int64_t to_ms) const {
  auto lock = db_->Lock();
  Result<Sqlite::Statement> st = db_->db().Prepare(
      "SELECT day, good, total FROM slo_days WHERE service = ?1 AND name = ?2 AND sli = ?3"
      " AND day >= ?4 AND day < ?5 ORDER BY day");
  if (!st.ok()) return st.status().Wrap("cannot read the SLO history");
  st->Bind(1, service).Bind(2, name).Bind(3, sli).Bind(4, from_ms).Bind(5, to_ms);
  std::map<std::int64_t, StoredDay> out;
  while (st->Step()) out[st->Int(0)] = {st->Double(1), st->Double(2)};
  if (!st->status().ok()) return st->status().Wrap("cannot read the SLO history");
  return out;
}

Result<bool> HistoryStore::Record(const Spec& spec, std::int64_t day_ms, double good, double total,
                                  std::int64_t now_ms, RecordRule rule) {
  const bool events = total > 0;
  if (!events && rule != RecordRule::kOverwrite) return false;
  const std::string sli = SliKey(spec);
  auto lock = db_->Lock();
  Result<Sqlite::Statement> read = db_->db().Prepare(
      "SELECT good, total FROM slo_days"
      " WHERE service = ?1 AND name = ?2 AND sli = ?3 AND day = ?4");
  if (!read.ok()) return read.status().Wrap("cannot read the SLO history");
  read->Bind(1, spec.service).Bind(2, spec.name).Bind(3, sli).Bind(4, day_ms);
  const bool stored = read->Step();
  if (!read->status().ok()) return read->status().Wrap("cannot read the SLO history");
  if (stored) {
    const double stored_good = read->Double(0), stored_total = read->Double(1);
    if (stored_total == total && stored_good == good) return false;
    if (rule == RecordRule::kKeepMoreEvents && stored_total > total) return false;
  }
  if (!events && !stored) return false;
  // No events in a day the TSDB fully holds (its series were deleted): no row either.
  Result<Sqlite::Statement> write =
      events ? db_->db().Prepare(
                   "INSERT OR REPLACE INTO slo_days"
                   " (service, name, sli, day, good, total, recorded_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
             : db_->db().Prepare(
                   "DELETE FROM slo_days WHERE service = ?1 AND name = ?2 AND sli = ?3"
                   " AND day = ?4");
  if (!write.ok()) return write.status().Wrap("cannot record the SLO history");
  write->Bind(1, spec.service).Bind(2, spec.name).Bind(3, sli).Bind(4, day_ms);
  if (events) write->Bind(5, good).Bind(6, total).Bind(7, now_ms);
  if (Status s = write->Run(); !s.ok()) {
    return s.Wrap(fmt::format("cannot record the SLO history of {}", spec.Id()));
  }
  return true;
}

Result<bool> HistoryStore::HasHistory(const Spec& spec) const {
  auto lock = db_->Lock();
  Result<Sqlite::Statement> st = db_->db().Prepare(
      "SELECT 1 FROM slo_days WHERE service = ?1 AND name = ?2 AND sli = ?3 LIMIT 1");
  if (!st.ok()) return st.status().Wrap("cannot read the SLO history");
  st->Bind(1, spec.service).Bind(2, spec.name).Bind(3, SliKey(spec));
  const bool any = st->Step();
  if (!st->status().ok()) return st->status().Wrap("cannot read the SLO history");
  return any;
}

}  // namespace hw::slo
