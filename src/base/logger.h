// Structured logging: one JSON object a line with exactly the fields of the guide's
// LogEntry (spec "Structured Logging"):
//   timestamp (ISO-8601 UTC, ms), level, service, correlationId, userId?, workspaceId?,
//   message, metadata?, error{name,message,stack?}?
// `level` is written by name ("INFO"): the guide's TypeScript enum would serialise as a
// number, but names are what log pipelines filter on; the numeric order is kept for
// comparisons (ERROR=0 ... TRACE=4).
//
// Logger is thread-safe: each entry is formatted off-lock and written with one write().
// Events that belong to no request carry the process instance id as correlationId, so
// every line from one run can be tied together.
#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace hw {

enum class LogLevel { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3, kTrace = 4 };

std::string_view LogLevelName(LogLevel level);
// "error", "WARN", "warning", "info", "debug", "trace" (any case).
Result<LogLevel> ParseLogLevel(std::string_view text);
// The guide's defaults: production INFO; staging and development DEBUG.
Result<LogLevel> DefaultLogLevel(std::string_view environment);

// A metadata value: string, integer, float or bool.
class LogValue {
 public:
  enum class Kind { kString, kInt, kUint, kDouble, kBool };
  LogValue(std::string_view s) : kind_(Kind::kString), s_(s) {}   // NOLINT
  LogValue(const char* s) : kind_(Kind::kString), s_(s) {}        // NOLINT
  LogValue(const std::string& s) : kind_(Kind::kString), s_(s) {} // NOLINT
  LogValue(int v) : kind_(Kind::kInt), i_(v) {}                   // NOLINT
  LogValue(long v) : kind_(Kind::kInt), i_(v) {}                  // NOLINT
  LogValue(long long v) : kind_(Kind::kInt), i_(v) {}             // NOLINT
  LogValue(unsigned v) : kind_(Kind::kUint), u_(v) {}             // NOLINT
  LogValue(unsigned long v) : kind_(Kind::kUint), u_(v) {}        // NOLINT
  LogValue(unsigned long long v) : kind_(Kind::kUint), u_(v) {}   // NOLINT
  LogValue(double v) : kind_(Kind::kDouble), d_(v) {}             // NOLINT
  LogValue(bool v) : kind_(Kind::kBool), b_(v) {}                 // NOLINT

  Kind kind() const { return kind_; }
  std::string_view str() const { return s_; }
  std::int64_t i() const { return i_; }
  std::uint64_t u() const { return u_; }
  double d() const { return d_; }
  bool b() const { return b_; }

 private:
  Kind kind_;
  std::string_view s_;
  std::int64_t i_ = 0;
  std::uint64_t u_ = 0;
  double d_ = 0;
  bool b_ = false;
};

struct LogField {
  std::string_view key;
  LogValue value;
};

struct LogError {
  std::string name;
  std::string message;
  std::string stack;  // omitted when empty
};

// Who and what a log entry is about; empty fields are omitted (correlationId never is).
struct LogContext {
  std::string correlation_id;
  std::string user_id;
  std::string workspace_id;
};

// Where formatted lines go (without the trailing newline, which the sink adds).
class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void Write(std::string_view line) = 0;
};

// Writes to a file descriptor (stdout by default), one write() per line.
class FdLogSink : public LogSink {
 public:
  explicit FdLogSink(int fd) : fd_(fd) {}
  void Write(std::string_view line) override;

 private:
  int fd_;
  std::mutex mu_;  // keeps lines whole when write() is partial
};

// Keeps lines in memory, for tests.
class MemoryLogSink : public LogSink {
 public:
  void Write(std::string_view line) override;
  std::vector<std::string> Lines() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;  // guarded by mu_
};

class Logger {
 public:
  Logger(std::string service, LogLevel level, std::shared_ptr<LogSink> sink,
         const Clock& clock = RealClock());

  bool Enabled(LogLevel level) const {
    return static_cast<int>(level) <= level_.load(std::memory_order_relaxed);
  }
  void SetLevel(LogLevel level) { level_.store(static_cast<int>(level)); }
  LogLevel level() const { return static_cast<LogLevel>(level_.load()); }
  const std::string& service() const { return service_; }
  // The correlation id of events outside any request.
  const std::string& instance_id() const { return instance_id_; }

  void Log(LogLevel level, std::string_view message, const LogContext* context,
           std::initializer_list<LogField> metadata, const LogError* error = nullptr);

  // Shorthands for events outside a request.
  void Error(std::string_view m, std::initializer_list<LogField> md = {},
             const LogError* e = nullptr) {
    Log(LogLevel::kError, m, nullptr, md, e);
  }
  void Warn(std::string_view m, std::initializer_list<LogField> md = {}) {
    Log(LogLevel::kWarn, m, nullptr, md);
  }
  void Info(std::string_view m, std::initializer_list<LogField> md = {}) {
    Log(LogLevel::kInfo, m, nullptr, md);
  }
  void Debug(std::string_view m, std::initializer_list<LogField> md = {}) {
    Log(LogLevel::kDebug, m, nullptr, md);
  }

 private:
  std::string service_;
  std::atomic<int> level_;
  std::shared_ptr<LogSink> sink_;
  const Clock& clock_;
  std::string instance_id_;
};

// ISO-8601 UTC with milliseconds: 2026-11-27T05:02:35.123Z.
std::string FormatTimestampMillis(std::int64_t unix_millis);

// A random 128-bit id as 32 lowercase hex digits.
std::string RandomHexId();

}  // namespace hw
