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
// A reload re-keys the links (Rekey): the new secret and TTL sign every link made from
// then on, and links signed with an earlier secret stop working (rotating the secret
// is how leaked links are revoked).
//
// Thread-safety: every method may be called from any thread; the clock must outlive it.
#pragma once

#include <cstdint>
#include <mutex>
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

  bool enabled() const;
  Duration ttl() const;
  // Signs with `secret` ("" disables links) and `ttl` from now on; returns whether the
  // secret changed (links already sent then fail with "link signature invalid").
  bool Rekey(std::string secret, Duration ttl);
  // The signed link for `action` on incident `id` sent to `recipient`; "" when disabled.
  std::string Url(std::int64_t id, std::string_view action, std::string_view recipient) const;
  // Both links of a page, signed with one secret even while a reload re-keys;
  // nullopt when disabled.
  struct ActionUrls {
    std::string acknowledge;
    std::string resolve;
  };
  std::optional<ActionUrls> Urls(std::int64_t id, std::string_view recipient) const;
  // Checks a link's parts as they arrived (exp and sig as text). Forbidden saying
  // "link signature invalid" (a malformed expiry included) or "link expired".
  Status Verify(std::int64_t id, std::string_view action, std::string_view recipient,
                std::string_view expires, std::string_view signature) const;

 private:
  struct Key {
    std::string secret;
    Duration ttl;
  };
  Key CurrentKey() const;
  std::string Sign(const Key& key, std::int64_t id, std::string_view action,
                   std::string_view recipient) const;

  mutable std::mutex mu_;
  std::string secret_;  // guarded by mu_
  Duration ttl_;        // guarded by mu_
  const std::string external_url_;
  const Clock* clock_;
};

}  // namespace hw::incidents
