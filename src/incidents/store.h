// IncidentStore: incidents in data/state.db (the alerting StateDb's SQLite file), so
// acknowledgements, timelines and escalation timers survive restarts and kill -9.
//
// Format: one table, one row per incident, written whole in one statement (so a row
// is never half-updated):
//   incidents(id INTEGER PRIMARY KEY, open INTEGER, group_key TEXT,
//             next_due INTEGER, body TEXT)
// `body` is the incident as JSON (every field of Incident, the policy snapshot and
// escalation progress included); open/group_key/next_due repeat what queries need.
//
// Thread-safety: takes the StateDb's lock around each use; callable from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "alerting/state_db.h"
#include "base/status.h"
#include "incidents/incident.h"

namespace hw::incidents {

class IncidentStore {
 public:
  // Creates the table if needed. `db` must outlive the store.
  static Result<IncidentStore> Open(alerting::StateDb& db);

  Status Save(const Incident& inc);
  Result<std::vector<Incident>> LoadAll();
  Result<std::int64_t> MaxId();

 private:
  explicit IncidentStore(alerting::StateDb& db) : db_(&db) {}
  alerting::StateDb* db_;
};

// The JSON `body` of a row, and back (Internal on a corrupt body).
std::string IncidentToJson(const Incident& inc);
Result<Incident> IncidentFromJson(const std::string& json);

}  // namespace hw::incidents
