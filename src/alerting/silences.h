// Silences (Alertmanager's silence package): label matchers that mute the alerts they
// match between startsAt and endsAt, with who created them and why.
//
// States at a time t: pending (t < startsAt), active, expired (t >= endsAt).
//
// Set(s) with an empty id creates a silence: at least one matcher, and not every
// matcher may match the empty string (it would silence everything); endsAt after
// startsAt and not in the past; a startsAt in the past becomes now. Set with an
// existing id updates it in place when Alertmanager allows (same matchers; a pending
// silence may move its start; an active one keeps its start and may change its end,
// comment, createdBy); otherwise the old silence is expired and a new one created with
// a new id — the id returned says which. Expire ends a silence now (a pending one ends
// at its start). Expired silences are kept for `retention` (5 days), then forgotten.
//
// Every change is written to the state database before it returns.
//
// Thread-safety: thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "alerting/state_db.h"
#include "base/clock.h"
#include "base/status.h"
#include "model/labels.h"
#include "model/matcher.h"

namespace hw::alerting {

struct Silence {
  std::string id;
  std::vector<model::Matcher> matchers;
  std::int64_t starts_at_ms = 0;
  std::int64_t ends_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  std::string created_by;
  std::string comment;

  bool Matches(const model::Labels& labels) const;
};

enum class SilenceState { kPending, kActive, kExpired };
std::string_view SilenceStateName(SilenceState s);  // "pending", "active", "expired"
SilenceState StateAt(const Silence& s, std::int64_t now_ms);

class Silences {
 public:
  // Loads the silences stored in `db` (creating its table).
  static Result<std::unique_ptr<Silences>> Open(StateDb& db, const Clock& clock,
                                                std::int64_t retention_ms = 5 * 86'400'000LL);

  // Creates or updates (see the file comment); returns the id now in force.
  Result<std::string> Set(Silence s);
  Status Expire(const std::string& id);
  std::optional<Silence> Get(const std::string& id) const;
  // Every silence not yet forgotten, newest update first.
  std::vector<Silence> List() const;
  // Ids of the active silences matching `labels` at now_ms.
  std::vector<std::string> Mutes(const model::Labels& labels, std::int64_t now_ms) const;
  // Forgets silences expired longer than the retention ago.
  void Gc();

 private:
  Silences(StateDb& db, const Clock& clock, std::int64_t retention_ms)
      : db_(db), clock_(clock), retention_ms_(retention_ms) {}
  Status Store(const Silence& s);
  static std::string NewId();

  StateDb& db_;
  const Clock& clock_;
  std::int64_t retention_ms_;
  mutable std::mutex mu_;
  std::map<std::string, Silence> silences_;  // guarded by mu_
};

}  // namespace hw::alerting
