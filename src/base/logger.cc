#include "base/logger.h"

#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <random>

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace hw {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void WriteString(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void WriteValue(JsonWriter& w, const LogValue& v) {
  switch (v.kind()) {
    case LogValue::Kind::kString: WriteString(w, v.str()); break;
    case LogValue::Kind::kInt: w.Int64(v.i()); break;
    case LogValue::Kind::kUint: w.Uint64(v.u()); break;
    case LogValue::Kind::kDouble:
      // JSON has no NaN or Inf; write them as strings rather than break the line.
      if (std::isfinite(v.d())) {
        w.Double(v.d());
      } else {
        WriteString(w, fmt::format("{}", v.d()));
      }
      break;
    case LogValue::Kind::kBool: w.Bool(v.b()); break;
  }
}

}  // namespace

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kError: return "ERROR";
    case LogLevel::kWarn: return "WARN";
    case LogLevel::kInfo: return "INFO";
    case LogLevel::kDebug: return "DEBUG";
    case LogLevel::kTrace: return "TRACE";
  }
  return "INFO";
}

Result<LogLevel> ParseLogLevel(std::string_view text) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "error") return LogLevel::kError;
  if (lower == "warn" || lower == "warning") return LogLevel::kWarn;
  if (lower == "info") return LogLevel::kInfo;
  if (lower == "debug") return LogLevel::kDebug;
  if (lower == "trace") return LogLevel::kTrace;
  return Status::BadData(fmt::format(
      "unknown log level \"{}\" (expected ERROR, WARN, INFO, DEBUG or TRACE)", text));
}

Result<LogLevel> DefaultLogLevel(std::string_view environment) {
  if (environment == "production") return LogLevel::kInfo;
  if (environment == "staging" || environment == "development") return LogLevel::kDebug;
  return Status::BadData(fmt::format(
      "unknown environment \"{}\" (expected production, staging or development)", environment));
}

void FdLogSink::Write(std::string_view line) {
  std::string buf;
  buf.reserve(line.size() + 1);
  buf.append(line);
  buf.push_back('\n');
  std::lock_guard lock(mu_);
  size_t off = 0;
  while (off < buf.size()) {
    ssize_t n = ::write(fd_, buf.data() + off, buf.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere left to report a logging failure
    }
    off += static_cast<size_t>(n);
  }
}

void MemoryLogSink::Write(std::string_view line) {
  std::lock_guard lock(mu_);
  lines_.emplace_back(line);
}

std::vector<std::string> MemoryLogSink::Lines() const {
  std::lock_guard lock(mu_);
  return lines_;
}

Logger::Logger(std::string service, LogLevel level, std::shared_ptr<LogSink> sink,
               const Clock& clock)
    : service_(std::move(service)),
      level_(static_cast<int>(level)),
      sink_(std::move(sink)),
      clock_(clock),
      instance_id_(RandomHexId()) {}

void Logger::Log(LogLevel level, std::string_view message, const LogContext* context,
                 std::initializer_list<LogField> metadata, const LogError* error) {
  if (!Enabled(level)) return;
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("timestamp");
  WriteString(w, FormatTimestampMillis(clock_.NowMillis()));
  w.Key("level");
  WriteString(w, LogLevelName(level));
  w.Key("service");
  WriteString(w, service_);
  w.Key("correlationId");
  WriteString(w, context && !context->correlation_id.empty() ? context->correlation_id
                                                             : instance_id_);
  if (context && !context->user_id.empty()) {
    w.Key("userId");
    WriteString(w, context->user_id);
  }
  if (context && !context->workspace_id.empty()) {
    w.Key("workspaceId");
    WriteString(w, context->workspace_id);
  }
  w.Key("message");
  WriteString(w, message);
  if (metadata.size() > 0) {
    w.Key("metadata");
    w.StartObject();
    for (const LogField& f : metadata) {
      WriteString(w, f.key);
      WriteValue(w, f.value);
    }
    w.EndObject();
  }
  if (error) {
    w.Key("error");
    w.StartObject();
    w.Key("name");
    WriteString(w, error->name);
    w.Key("message");
    WriteString(w, error->message);
    if (!error->stack.empty()) {
      w.Key("stack");
      WriteString(w, error->stack);
    }
    w.EndObject();
  }
  w.EndObject();
  sink_->Write(std::string_view(buf.GetString(), buf.GetSize()));
}

std::string FormatTimestampMillis(std::int64_t unix_millis) {
  std::int64_t secs = unix_millis / 1000;
  int ms = static_cast<int>(unix_millis % 1000);
  if (ms < 0) {
    ms += 1000;
    --secs;
  }
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

std::string RandomHexId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return fmt::format("{:016x}{:016x}", rng(), rng());
}

}  // namespace hw
