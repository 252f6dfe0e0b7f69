#include "http/auth.h"

#include <fmt/format.h>

namespace hw::http {

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Fold the length difference in and always walk the longer input.
  size_t n = std::max(a.size(), b.size());
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= x ^ y;
  }
  return diff == 0;
}

Result<Principal> Authenticator::Authenticate(std::string_view authorization) const {
  if (authorization.empty()) return Principal{"", config_.anonymous};
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), authorization.begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    return Status::Unauthorized("the Authorization header must be \"Bearer <token>\"");
  }
  std::string_view presented = authorization.substr(kBearer.size());
  const config::ApiToken* found = nullptr;
  for (const config::ApiToken& t : config_.tokens) {
    if (ConstantTimeEquals(presented, t.token) && found == nullptr) found = &t;
  }
  if (found == nullptr) return Status::Unauthorized("unknown bearer token");
  return Principal{found->name, found->role};
}

Status Authenticator::Authorize(const Principal& who, config::Role required) {
  if (static_cast<int>(who.role) >= static_cast<int>(required)) return Status::Ok();
  if (who.name.empty()) {
    return Status::Unauthorized(fmt::format(
        "this endpoint needs a bearer token with the {} role", config::RoleName(required)));
  }
  return Status::Forbidden(fmt::format("token \"{}\" has the {} role; this endpoint needs {}",
                                       who.name, config::RoleName(who.role),
                                       config::RoleName(required)));
}

}  // namespace hw::http
