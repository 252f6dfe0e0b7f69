// Sqlite: a small RAII wrapper over SQLite 3 for the state hastewatch must not lose
// (data/state.db: silences, the notification log, pending and held notifications,
// later incidents). WAL journal, synchronous=FULL by default: a transaction that
// returned OK survives kill -9 and power loss.
//
//   Sqlite db = *Sqlite::Open(path);
//   db.Exec("CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v INTEGER)");
//   Sqlite::Statement st = *db.Prepare("INSERT INTO t VALUES (?1, ?2)");
//   st.Bind(1, "a").Bind(2, 42);
//   st.Run();
//
// Errors name the statement's purpose and SQLite's message.
//
// Thread-safety: one Sqlite per thread, or the caller's lock around every use (the
// connection is opened in serialized mode, so misuse is slow, not corrupting).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace hw {

class Sqlite {
 public:
  class Statement {
   public:
    Statement(Statement&&) noexcept;
    Statement& operator=(Statement&&) noexcept;
    ~Statement();

    // Parameters are 1-based.
    Statement& Bind(int index, std::string_view text);
    Statement& Bind(int index, std::int64_t value);
    Statement& Bind(int index, int value) { return Bind(index, static_cast<std::int64_t>(value)); }
    Statement& Bind(int index, double value);
    Statement& BindNull(int index);

    // Steps once: true when a row is ready (read it with the column getters), false
    // when done. Errors end up in status().
    bool Step();
    // Steps to the end (for statements without results) and resets for reuse.
    Status Run();
    // Resets bindings and position for reuse.
    void Reset();

    std::int64_t Int(int column) const;  // 0-based columns
    double Double(int column) const;
    std::string Text(int column) const;
    bool IsNull(int column) const;

    const Status& status() const { return status_; }

   private:
    friend class Sqlite;
    Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
    Status status_;
  };

  // Opens (creating) the database file. `synchronous_full` false trades the last
  // transactions on power loss (not on a process crash) for speed.
  static Result<Sqlite> Open(const std::string& path, bool synchronous_full = true);

  Sqlite(Sqlite&&) noexcept;
  Sqlite& operator=(Sqlite&&) noexcept;
  ~Sqlite();

  // Runs one or more statements without results.
  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);
  // BEGIN IMMEDIATE / COMMIT / ROLLBACK.
  Status Begin();
  Status Commit();
  void Rollback();

  const std::string& path() const { return path_; }

 private:
  Sqlite() = default;
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace hw
