// IncidentLinks: the signed one-click acknowledge / resolve links that incident pages
// carry (see signed_link.h for the signature).
//
//   <external_url>/incident-link/<id>/<action>?to=<recipient>&exp=<unix s>&sig=<hex>
//
// `action` is "acknowledge" or "resolve"; `to` names who the page went to ("alice via
// oncall-pager"), recorded as the actor when the link is used. Links expire `ttl`
// after they are made (incidents.link_ttl, 24 h by default). Without a secret
// (incidents.token_file unset) links are disabled: Url() returns "".
//
// Opening a link (GET) only shows the incident and a button; the button's POST acts.
// Mail scanners and chat unfurlers fetch every link they see, so a GET that acted
// would acknowledge incidents nobody looked at.
//
// Thread-safety: immutable after construction; the clock must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "base/units.h"

namespace hw::incidents {

inline constexpr std::string_view kLinkPathPrefix = "/incident-link/";
inline constexpr Duration kDefaultLinkTtl{24 * 3600'000};

// "acknowledge" / "resolve" -> itself; nullopt for anything else.
std::optional<std::string_view> ParseLinkAction(std::string_view action);

class IncidentLinks {
 public:
  // `secret` "" disables links; `external_url` without a trailing '/' is expected
  // (one is stripped).
  IncidentLinks(std::string secret, std::string external_url, Duration ttl, const Clock& clock);

  bool enabled() const { return !secret_.empty(); }
  Duration ttl() const { return ttl_; }
  // The signed link for `action` on incident `id` sent to `recipient`; "" when disabled.
  std::string Url(std::int64_t id, std::string_view action, std::string_view recipient) const;
  // Checks a link's parts as they arrived (exp and sig as text). Forbidden saying
  // "link signature invalid" (a malformed expiry included) or "link expired".
  Status Verify(std::int64_t id, std::string_view action, std::string_view recipient,
                std::string_view expires, std::string_view signature) const;

 private:
  std::string secret_;
  std::string external_url_;
  Duration ttl_;
  const Clock* clock_;
};

}  // namespace hw::incidents
