#include "incidents/signed_link.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "config/incidents.h"

namespace hw::incidents {

std::string SignLink(std::string_view secret, std::int64_t incident_id, std::string_view action,
                     std::string_view recipient, std::int64_t expires_s) {
  std::string msg = fmt::format("{}\n{}\n{}\n{}", incident_id, action, recipient, expires_s);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), mac, &len);
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) hex += fmt::format("{:02x}", mac[i]);
  return hex;
}

Status VerifyLink(std::string_view secret, std::int64_t incident_id, std::string_view action,
                  std::string_view recipient, std::int64_t expires_s, std::string_view signature,
                  std::int64_t now_s) {
  std::string want = SignLink(secret, incident_id, action, recipient, expires_s);
  if (signature.size() != want.size() ||
      CRYPTO_memcmp(want.data(), signature.data(), want.size()) != 0) {
    return Status::Forbidden(
        fmt::format("cannot {} incident {}: link signature invalid", action, incident_id));
  }
  if (now_s >= expires_s) {
    return Status::Forbidden(
        fmt::format("cannot {} incident {}: link expired", action, incident_id));
  }
  return Status::Ok();
}

Result<std::string> ReadLinkSecret(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::BadData(fmt::format("cannot read link secret {}: cannot open", path));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  if (s.empty()) return Status::BadData(fmt::format("cannot read link secret {}: empty", path));
  if (s.size() < config::kMinLinkSecretBytes) {
    // A short secret makes the HMAC on one-click links guessable.
    return Status::BadData(fmt::format(
        "cannot read link secret {}: {} bytes; at least {} are required (openssl rand -hex 32)",
        path, s.size(), config::kMinLinkSecretBytes));
  }
  return s;
}

}  // namespace hw::incidents
