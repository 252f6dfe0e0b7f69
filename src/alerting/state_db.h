// StateDb: data/state.db, the SQLite database where notification state lives so that a
// restart neither re-pages what was sent nor drops what was due (silences, the
// notification log, alerts, held and pending notifications). Each component creates
// its own tables in it; all share the one connection through `Lock()`.
//
// Thread-safety: take Lock() around every use of db().
#pragma once

#include <mutex>
#include <string>

#include "base/sqlite.h"
#include "base/status.h"

namespace hw::alerting {

class StateDb {
 public:
  static Result<std::unique_ptr<StateDb>> Open(const std::string& path);

  std::unique_lock<std::mutex> Lock() { return std::unique_lock(mu_); }
  Sqlite& db() { return db_; }

 private:
  explicit StateDb(Sqlite db) : db_(std::move(db)) {}
  std::mutex mu_;
  Sqlite db_;
};

}  // namespace hw::alerting
