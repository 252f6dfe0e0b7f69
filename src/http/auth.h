// Authenticator: maps an "Authorization: Bearer <token>" header to a role.
//
// Tokens come from config (server.auth.tokens). Comparison is constant-time in the
// token's content (every configured token is compared in full, whatever matches), so
// response timing does not reveal a prefix. Tokens are never logged: only their name.
// Immutable after construction; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "config/config.h"

namespace hw::http {

struct Principal {
  std::string name;  // "" for anonymous
  config::Role role = config::Role::kNone;
};

class Authenticator {
 public:
  explicit Authenticator(config::AuthConfig config) : config_(std::move(config)) {}

  // The principal for an Authorization header value ("" when absent). A header that
  // is present but malformed or unknown is an Unauthorized error, never anonymous.
  Result<Principal> Authenticate(std::string_view authorization) const;

  // OK if `who` may use a route that requires `required`; 401 for an anonymous caller
  // who needs a token, 403 for a known caller whose role is too low.
  static Status Authorize(const Principal& who, config::Role required);

  bool has_tokens() const { return !config_.tokens.empty(); }

 private:
  config::AuthConfig config_;
};

// Compares two strings in time that depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace hw::http
