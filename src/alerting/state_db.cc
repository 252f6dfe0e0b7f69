#include "alerting/state_db.h"

namespace hw::alerting {

Result<std::unique_ptr<StateDb>> StateDb::Open(const std::string& path) {
  Result<Sqlite> db = Sqlite::Open(path);
  if (!db.ok()) return db.status();
  return std::unique_ptr<StateDb>(new StateDb(std::move(db).value()));
}

}  // namespace hw::alerting
