#include "incidents/links.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "incidents/signed_link.h"

namespace hw::incidents {
namespace {

// RFC 3986 unreserved bytes kept, the rest %XX (the recipient is free text).
std::string Escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string TrimTrailingSlashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

Duration TtlOrDefault(Duration ttl) { return ttl.count() > 0 ? ttl : kDefaultLinkTtl; }

}  // namespace

std::optional<std::string_view> ParseLinkAction(std::string_view action) {
  if (action == "acknowledge") return "acknowledge";
  if (action == "resolve") return "resolve";
  return std::nullopt;
}

IncidentLinks::IncidentLinks(std::string secret, std::string external_url, Duration ttl,
                             const Clock& clock)
    : secret_(std::move(secret)),
      ttl_(TtlOrDefault(ttl)),
      external_url_(TrimTrailingSlashes(std::move(external_url))),
      clock_(&clock) {}

bool IncidentLinks::enabled() const {
  std::lock_guard lock(mu_);
  return !secret_.empty();
}

Duration IncidentLinks::ttl() const {
  std::lock_guard lock(mu_);
  return ttl_;
}

bool IncidentLinks::Rekey(std::string secret, Duration ttl) {
  std::lock_guard lock(mu_);
  const bool changed = secret != secret_;
  secret_ = std::move(secret);
  ttl_ = TtlOrDefault(ttl);
  return changed;
}

IncidentLinks::Key IncidentLinks::CurrentKey() const {
  std::lock_guard lock(mu_);
  return {secret_, ttl_};
}

std::string IncidentLinks::Sign(const Key& key, std::int64_t id, std::string_view action,
                                std::string_view recipient) const {
  if (key.secret.empty()) return "";
  const std::int64_t expires_s = (clock_->NowMillis() + key.ttl.count()) / 1000;
  return fmt::format("{}{}{}/{}?to={}&exp={}&sig={}", external_url_, kLinkPathPrefix, id, action,
                     Escape(recipient), expires_s,
                     SignLink(key.secret, id, action, recipient, expires_s));
}

std::string IncidentLinks::Url(std::int64_t id, std::string_view action,
                               std::string_view recipient) const {
  return Sign(CurrentKey(), id, action, recipient);
}

std::optional<IncidentLinks::ActionUrls> IncidentLinks::Urls(std::int64_t id,
                                                              std::string_view recipient) const {
  const Key key = CurrentKey();
  if (key.secret.empty()) return std::nullopt;
  return ActionUrls{Sign(key, id, "acknowledge", recipient), Sign(key, id, "resolve", recipient)};
}

Status IncidentLinks::Verify(std::int64_t id, std::string_view action, std::string_view recipient,
                             std::string_view expires, std::string_view signature) const {
  const std::string secret = CurrentKey().secret;
  if (secret.empty()) {
    return Status::Forbidden("one-click links are disabled (incidents.token_file is not set)");
  }
  std::int64_t expires_s = 0;
  auto [end, ec] = std::from_chars(expires.data(), expires.data() + expires.size(), expires_s);
  if (ec != std::errc() || end != expires.data() + expires.size()) {
    return Status::Forbidden(
        fmt::format("cannot {} incident {}: link signature invalid (expiry \"{}\" is not a number)",
                    action, id, expires));
  }
  return VerifyLink(secret, id, action, recipient, expires_s, signature,
                    clock_->NowMillis() / 1000);
}

}  // namespace hw::incidents
