// The incidents API (api/incidents.h) from the command line: `hastewatch incident ...`
// and `hastewatch test-escalation --live` are thin clients of a running server.
// Requests carry `Authorization: Bearer <token>` when a token is given (writes need a
// write token). Answers are the API envelope's `data`; a server error comes back as
// "cannot POST <url>: HTTP 400: <the server's message>".
//
// Thread-safety: stateless after construction; calls are independent.
#pragma once

#include <rapidjson/document.h>

#include <string>

#include "base/status.h"
#include "http/request.h"

namespace hw::cli {

class IncidentClient {
 public:
  // `base_url` is the server's root, e.g. http://127.0.0.1:9190 (a trailing / is fine).
  IncidentClient(std::string base_url, std::string token);

  Result<rapidjson::Document> Get(const std::string& path) const;
  // POSTs `form` urlencoded.
  Result<rapidjson::Document> Post(const std::string& path, const http::KeyValues& form) const;
  const std::string& base_url() const { return base_url_; }

 private:
  std::string base_url_;
  std::string token_;
};

// --token, else $HASTEWATCH_TOKEN.
std::string TokenOrEnv(const std::string& token);

}  // namespace hw::cli
