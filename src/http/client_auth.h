// The client side of a config's HTTP settings (Prometheus' HTTPClientConfig), shared by
// scrapes, Alertmanager senders and notification receivers: the Authorization header
// from basic_auth / authorization, and TLS options from tls_config. Secret files are
// read at each call so they can be rotated without a reload.
//
// Thread-safety: pure functions (they read files).
#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "config/config.h"
#include "http/client.h"

namespace hw::http {

// "Basic <base64>", "<type> <credentials>", or "" when neither is configured. Fails
// when a secret file cannot be read ("cannot read secret file ...").
Result<std::string> AuthorizationHeader(const std::optional<config::BasicAuthConfig>& basic_auth,
                                        const std::optional<config::AuthorizationConfig>& authorization);

TlsOptions ToTlsOptions(const config::TlsConfig& tls);

}  // namespace hw::http
