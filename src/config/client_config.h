// HTTP client settings shared by scrape configs, Alertmanager senders and
// notification receivers (Prometheus' common HTTPClientConfig parts).
#pragma once

#include <string>

namespace hw::config {

// Files are absolute (resolved against Config::base_dir at load); secrets given
// as files are read at each scrape, so they can be rotated without a reload.
struct BasicAuthConfig {
  std::string username;
  std::string password;
  std::string password_file;
  bool operator==(const BasicAuthConfig&) const = default;
};

// `authorization` (and the legacy bearer_token / bearer_token_file, mapped here).
struct AuthorizationConfig {
  std::string type = "Bearer";
  std::string credentials;
  std::string credentials_file;
  bool operator==(const AuthorizationConfig&) const = default;
};

struct TlsConfig {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string server_name;
  bool insecure_skip_verify = false;
  bool operator==(const TlsConfig&) const = default;
};

}  // namespace hw::config
