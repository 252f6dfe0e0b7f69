// Signed one-click links: "acknowledge incident 42" from a page or an email without
// logging in. The link carries the incident id, the action, who it was sent to, an
// expiry (Unix seconds) and an HMAC-SHA256 over the four made with the server's
// secret (incidents.token_file), hex encoded. Verification recomputes it and compares
// in constant time, so changing any part (another incident, resolve instead of
// acknowledge, a later expiry, another recipient) invalidates the link.
//
// Thread-safety: free functions without state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace hw::incidents {

// Hex HMAC-SHA256 of "<incident_id>\n<action>\n<recipient>\n<expires_s>".
std::string SignLink(std::string_view secret, std::int64_t incident_id, std::string_view action,
                     std::string_view recipient, std::int64_t expires_s);
// OK when `signature` is SignLink's for these values and now_s < expires_s;
// Forbidden ("...: link signature invalid" / "...: link expired") otherwise. The
// signature is checked first: an expiry nobody signed is not worth reporting.
Status VerifyLink(std::string_view secret, std::int64_t incident_id, std::string_view action,
                  std::string_view recipient, std::int64_t expires_s, std::string_view signature,
                  std::int64_t now_s);
// The secret in `path`, trailing whitespace trimmed; BadData naming the file when it
// is shorter than config::kMinLinkSecretBytes (32).
Result<std::string> ReadLinkSecret(const std::string& path);

}  // namespace hw::incidents
