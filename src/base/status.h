// Status and Result<T>: how every hastewatch function reports failure.
//
// No exceptions cross a subsystem boundary. A Status is either OK or carries a code
// from a closed set and a message that reads "cannot <verb> <object>: <cause>".
// Each code maps one-to-one onto an API error type (ErrorType) so that an error
// raised deep in the engine reaches the HTTP client with the right errorType.
//
// Status and Result are plain values: copyable, movable, not thread-safe to mutate.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace hw {

enum class StatusCode {
  kOk,
  kBadData,           // the caller's input is wrong (400)
  kExecution,         // a valid request failed while running (422)
  kTimeout,           // a deadline passed (503)
  kCanceled,          // the caller went away or the server is stopping (499)
  kUnavailable,       // a dependency or the server is not ready (503)
  kNotFound,          // no such route or object (404)
  kInternal,          // a bug or an environment failure (500)
  kUnauthorized,      // missing or unknown credentials (401)
  kForbidden,         // credentials valid but not allowed (403)
  kTooLarge,          // request body over the configured limit (413)
  kMethodNotAllowed,  // route exists, method does not (405)
};

// The API error type for a code: "bad_data", "execution", ... ("" for kOk).
std::string_view ErrorType(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status BadData(std::string m) { return {StatusCode::kBadData, std::move(m)}; }
  static Status Execution(std::string m) { return {StatusCode::kExecution, std::move(m)}; }
  static Status Timeout(std::string m) { return {StatusCode::kTimeout, std::move(m)}; }
  static Status Canceled(std::string m) { return {StatusCode::kCanceled, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
  static Status Unauthorized(std::string m) { return {StatusCode::kUnauthorized, std::move(m)}; }
  static Status Forbidden(std::string m) { return {StatusCode::kForbidden, std::move(m)}; }
  static Status TooLarge(std::string m) { return {StatusCode::kTooLarge, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Prefixes the message with context, keeping the code: "cannot load config: " + cause.
  Status Wrap(std::string_view context) const;

  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}     // NOLINT: must not be OK

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace hw

// Returns early from the enclosing function when `expr` is not OK.
#define HW_RETURN_IF_ERROR(expr)        \
  do {                                  \
    ::hw::Status hw_status_ = (expr);   \
    if (!hw_status_.ok()) return hw_status_; \
  } while (0)
