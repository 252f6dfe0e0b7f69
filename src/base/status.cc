#include "base/status.h"

namespace hw {

std::string_view ErrorType(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "";
    case StatusCode::kBadData: return "bad_data";
    case StatusCode::kExecution: return "execution";
    case StatusCode::kTimeout: return "timeout";
    case StatusCode::kCanceled: return "canceled";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kInternal: return "internal";
    case StatusCode::kUnauthorized: return "unauthorized";
    case StatusCode::kForbidden: return "forbidden";
    case StatusCode::kTooLarge: return "too_large";
    case StatusCode::kMethodNotAllowed: return "method_not_allowed";
  }
  return "internal";
}

Status Status::Wrap(std::string_view context) const {
  if (ok()) return *this;
  std::string m(context);
  m += ": ";
  m += message_;
  return Status(code_, std::move(m));
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string s(ErrorType(code_));
  s += ": ";
  s += message_;
  return s;
}

}  // namespace hw
