#include "http/client_auth.h"

#include <openssl/evp.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace hw::http {
namespace {

// The secret without surrounding whitespace (files usually end in a newline).
Result<std::string> ReadSecret(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::Unavailable(fmt::format("cannot read secret file {}", file));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

std::string Base64(std::string_view s) {
  std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(s.data()),
                          static_cast<int>(s.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

Result<std::string> AuthorizationHeader(
    const std::optional<config::BasicAuthConfig>& basic_auth,
    const std::optional<config::AuthorizationConfig>& authorization) {
  if (basic_auth) {
    std::string password = basic_auth->password;
    if (!basic_auth->password_file.empty()) {
      Result<std::string> p = ReadSecret(basic_auth->password_file);
      if (!p.ok()) return p.status();
      password = *p;
    }
    return "Basic " + Base64(basic_auth->username + ":" + password);
  }
  if (authorization) {
    std::string credentials = authorization->credentials;
    if (!authorization->credentials_file.empty()) {
      Result<std::string> p = ReadSecret(authorization->credentials_file);
      if (!p.ok()) return p.status();
      credentials = *p;
    }
    return authorization->type + " " + credentials;
  }
  return std::string();
}

TlsOptions ToTlsOptions(const config::TlsConfig& tls) {
  return TlsOptions{tls.ca_file, tls.cert_file, tls.key_file, tls.server_name,
                    tls.insecure_skip_verify};
}

}  // namespace hw::http
