// Request and Response: the HTTP exchange as handlers see it, free of Boost.Beast so
// that handler code and the subsystems behind it never include the heavy headers.
//
// A Request is owned by one handler invocation at a time; not thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/logger.h"
#include "base/status.h"
#include "config/config.h"

namespace hw::http {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

struct Request {
  // From the wire.
  std::string method;  // upper case: GET, POST, ...
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded path, no query
  KeyValues query;     // URL query parameters, then form fields of a urlencoded POST
  KeyValues headers;   // names lower-cased
  std::string body;
  std::string remote;  // peer address "ip:port"
  bool keep_alive = true;
  // Set by the server when the request could not be read (bad syntax, too large):
  // the service answers it with an error instead of routing it.
  Status protocol_error;

  // Set by the service before the handler runs.
  std::string route;     // the matched route template, e.g. /api/v1/label/:name/values
  KeyValues route_params;
  LogContext log;        // correlationId and userId (the token's name)
  config::Role role = config::Role::kNone;
  std::chrono::steady_clock::time_point received;
  std::chrono::steady_clock::time_point deadline;

  // The first header with this (lower-case) name, or "" if absent.
  std::string_view Header(std::string_view lower_name) const;
  // The first query or form value with this name.
  std::optional<std::string> Param(std::string_view name) const;
  // Every value of a repeated parameter (match[]=a&match[]=b).
  std::vector<std::string> Params(std::string_view name) const;
  // A route parameter (":name" in the template); "" if absent.
  std::string_view RouteParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  KeyValues headers;       // extra headers
  std::string error_type;  // set for error responses; feeds http_errors_total

  static Response Json(std::string body, int status = 200);
  static Response Text(std::string body, std::string content_type = "text/plain; charset=utf-8",
                       int status = 200);
  // {"status":"error","errorType":"...","error":"..."} with the status's HTTP code.
  static Response Error(const Status& status);
};

// The HTTP status for an error code: bad_data 400, unauthorized 401, ...
int HttpStatusFor(StatusCode code);

// Whether a Content-Type is application/x-www-form-urlencoded (media types are
// case-insensitive; parameters such as "; charset=UTF-8" may follow).
bool IsFormEncoded(std::string_view content_type);

// Percent-decoding ('+' as space when `form` is set); false on a malformed escape.
bool PercentDecode(std::string_view in, bool form, std::string* out);
// Go's url.QueryEscape: unreserved bytes kept, space as '+', the rest %XX.
std::string QueryEscape(std::string_view s);
// Parses "a=1&b=x%20y" into pairs; false (with *error set) on a malformed escape.
bool ParseQueryString(std::string_view qs, KeyValues* out, std::string* error);

}  // namespace hw::http
