// Outgoing HTTP: a blocking GET or POST with one overall deadline (http and https; system CAs
// or a configured CA file, client certificates, SNI override), and a TCP connect
// probe. Used by dependency health checks, scrapes and alert/notification senders; each call owns its own I/O
// context, so calls are independent and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "base/units.h"
#include "http/request.h"

namespace hw::http {

struct Url {
  std::string scheme;  // http or https
  std::string host;
  std::string port;    // defaulted from the scheme
  std::string target;  // path and query, at least "/"
};

Result<Url> ParseUrl(std::string_view url);

struct ClientResponse {
  int status = 0;
  std::string reason;  // the status line's reason phrase, e.g. "Not Found"
  std::string body;
  KeyValues headers;  // names lower-cased

  // The first header with this lower-case name, or "".
  std::string_view Header(std::string_view lower_name) const;
};

// TLS settings for https (Prometheus' tls_config). Files are read at each call.
struct TlsOptions {
  std::string ca_file;      // PEM CAs to verify the server with; "" : system CAs
  std::string cert_file;    // client certificate (PEM chain) and its key
  std::string key_file;
  std::string server_name;  // SNI and the name verified; "" : the URL's host
  bool insecure_skip_verify = false;
};

struct GetOptions {
  Duration timeout = Duration(10'000);  // the whole exchange
  KeyValues headers;
  std::uint64_t max_body = 16ull << 20;  // larger bodies fail ("body limit exceeded")
  TlsOptions tls;
};

// GET `url`; the whole exchange (resolve, connect, TLS, write, read) must fit in
// `timeout`. Errors say which step failed: "cannot GET http://...: connect: ...".
Result<ClientResponse> HttpGet(const std::string& url, Duration timeout,
                               const KeyValues& headers = {},
                               std::uint64_t max_body = 16ull << 20);
// The same with TLS options. A deadline passing is kTimeout; other failures
// kUnavailable (kBadData for a malformed URL).
Result<ClientResponse> HttpGet(const std::string& url, const GetOptions& options);

// POST `body` with this Content-Type; otherwise as HttpGet ("cannot POST ...").
Result<ClientResponse> HttpPost(const std::string& url, std::string_view body,
                                std::string_view content_type, const GetOptions& options);

// Connects to host:port and closes; OK if the connection was accepted in time.
Status TcpProbe(const std::string& host_port, Duration timeout);

}  // namespace hw::http
