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

}  // namespace

std::optional<std::string_view> ParseLinkAction(std::string_view action) {
  if (action == "acknowledge") return "acknowledge";
  if (action == "resolve") return "resolve";
  return std::nullopt;
}

IncidentLinks::IncidentLinks(std::string secret, std::string external_url, Duration ttl,
                             const Clock& clock)
    : secret_(std::move(secret)),
      external_url_(std::move(external_url)),
      ttl_(ttl.count() > 0 ? ttl : kDefaultLinkTtl),
      clock_(&clock) {
  while (!external_url_.empty() && external_url_.back() == '/') external_url_.pop_back();
}

std::string IncidentLinks::Url(std::int64_t id, std::string_view action,
                               std::string_view recipient) const {
  if (!enabled()) return "";
  const std::int64_t expires_s = (clock_->NowMillis() + ttl_.count()) / 1000;
  return fmt::format("{}{}{}/{}?to={}&exp={}&sig={}", external_url_, kLinkPathPrefix, id, action,
                     Escape(recipient), expires_s,
                     SignLink(secret_, id, action, recipient, expires_s));
}

Status IncidentLinks::Verify(std::int64_t id, std::string_view action, std::string_view recipient,
                             std::string_view expires, std::string_view signature) const {
  if (!enabled()) {
    return Status::Forbidden("one-click links are disabled (incidents.token_file is not set)");
  }
  std::int64_t expires_s = 0;
  auto [end, ec] = std::from_chars(expires.data(), expires.data() + expires.size(), expires_s);
  if (ec != std::errc() || end != expires.data() + expires.size()) {
    return Status::Forbidden(
        fmt::format("cannot {} incident {}: link signature invalid (expiry \"{}\" is not a number)",
                    action, id, expires));
  }
  return VerifyLink(secret_, id, action, recipient, expires_s, signature,
                    clock_->NowMillis() / 1000);
}

}  // namespace hw::incidents
