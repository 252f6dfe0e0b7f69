// Outgoing HTTP: a blocking GET with one overall deadline (http and https, system CA
// verification), and a TCP connect probe. Used by dependency health checks; each call
// owns its own I/O context, so calls are independent and thread-safe.
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
  std::string body;
  KeyValues headers;  // names lower-cased
};

// GET `url`; the whole exchange (resolve, connect, TLS, write, read) must fit in
// `timeout`. Errors say which step failed: "cannot GET http://...: connect: ...".
Result<ClientResponse> HttpGet(const std::string& url, Duration timeout,
                               const KeyValues& headers = {},
                               std::uint64_t max_body = 16ull << 20);

// Connects to host:port and closes; OK if the connection was accepted in time.
Status TcpProbe(const std::string& host_port, Duration timeout);

}  // namespace hw::http
