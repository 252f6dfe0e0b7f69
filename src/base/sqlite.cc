#include "base/sqlite.h"

#include <sqlite3.h>

#include <utility>

#include <fmt/format.h>

namespace hw {

namespace {

Status Error(sqlite3* db, std::string_view what) {
  return Status::Internal(fmt::format("sqlite: {}: {}", what, sqlite3_errmsg(db)));
}

}  // namespace

Sqlite::Statement::Statement(Statement&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)), stmt_(std::exchange(o.stmt_, nullptr)), status_(o.status_) {}

Sqlite::Statement& Sqlite::Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    db_ = std::exchange(o.db_, nullptr);
    stmt_ = std::exchange(o.stmt_, nullptr);
    status_ = o.status_;
  }
  return *this;
}

Sqlite::Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Sqlite::Statement& Sqlite::Statement::Bind(int index, std::string_view text) {
  if (sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT) !=
      SQLITE_OK) {
    status_ = Error(db_, "bind");
  }
  return *this;
}

Sqlite::Statement& Sqlite::Statement::Bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) status_ = Error(db_, "bind");
  return *this;
}

Sqlite::Statement& Sqlite::Statement::Bind(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) status_ = Error(db_, "bind");
  return *this;
}

Sqlite::Statement& Sqlite::Statement::BindNull(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) status_ = Error(db_, "bind");
  return *this;
}

bool Sqlite::Statement::Step() {
  if (!status_.ok()) return false;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) status_ = Error(db_, fmt::format("step \"{}\"", sqlite3_sql(stmt_)));
  return false;
}

Status Sqlite::Statement::Run() {
  while (Step()) {
  }
  Status s = status_;
  Reset();
  return s;
}

void Sqlite::Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  status_ = Status::Ok();
}

std::int64_t Sqlite::Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }
double Sqlite::Statement::Double(int column) const { return sqlite3_column_double(stmt_, column); }
bool Sqlite::Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}
std::string Sqlite::Statement::Text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_, column);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

Result<Sqlite> Sqlite::Open(const std::string& path, bool synchronous_full) {
  Sqlite db;
  db.path_ = path;
  int rc = sqlite3_open_v2(path.c_str(), &db.db_,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    Status s = Status::Unavailable(fmt::format("cannot open {}: {}", path,
                                               db.db_ ? sqlite3_errmsg(db.db_) : "out of memory"));
    return s;
  }
  sqlite3_busy_timeout(db.db_, 5000);
  HW_RETURN_IF_ERROR(db.Exec("PRAGMA journal_mode=WAL"));
  HW_RETURN_IF_ERROR(db.Exec(synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"));
  HW_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys=ON"));
  return db;
}

Sqlite::Sqlite(Sqlite&& o) noexcept : db_(std::exchange(o.db_, nullptr)), path_(std::move(o.path_)) {}

Sqlite& Sqlite::operator=(Sqlite&& o) noexcept {
  if (this != &o) {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = std::exchange(o.db_, nullptr);
    path_ = std::move(o.path_);
  }
  return *this;
}

Sqlite::~Sqlite() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Status Sqlite::Exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    Status st = Status::Internal(fmt::format("sqlite: {}: {}", s.substr(0, 60), err ? err : "?"));
    sqlite3_free(err);
    return st;
  }
  return Status::Ok();
}

Result<Sqlite::Statement> Sqlite::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
    return Error(db_, fmt::format("prepare \"{}\"", sql));
  }
  return Statement(db_, stmt);
}

Status Sqlite::Begin() { return Exec("BEGIN IMMEDIATE"); }
Status Sqlite::Commit() { return Exec("COMMIT"); }
void Sqlite::Rollback() { (void)Exec("ROLLBACK"); }

}  // namespace hw
