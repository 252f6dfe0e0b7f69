#include "http/service.h"

#include <exception>

#include <fmt/format.h>

namespace hw::http {
namespace {

// The guide's buckets for http_request_duration_seconds (spec "Golden Signals").
const std::vector<double> kDurationBuckets = {0.01, 0.05, 0.1, 0.5, 1, 2, 5};

// Methods outside the standard set share one label value, bounding cardinality.
std::string_view MethodLabel(std::string_view m) {
  for (std::string_view known : {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"}) {
    if (m == known) return known;
  }
  return "other";
}

bool IsHex(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace

std::string CorrelationIdFor(std::string_view x_request_id, std::string_view traceparent) {
  if (!x_request_id.empty() && x_request_id.size() <= 128 &&
      x_request_id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                     "0123456789._:-") == std::string_view::npos) {
    return std::string(x_request_id);
  }
  // traceparent: 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>
  if (traceparent.size() >= 55 && traceparent[2] == '-' && traceparent[35] == '-' &&
      traceparent[52] == '-') {
    std::string_view trace_id = traceparent.substr(3, 32);
    if (IsHex(traceparent.substr(0, 2)) && IsHex(trace_id) &&
        trace_id != std::string_view("00000000000000000000000000000000")) {
      return std::string(trace_id);
    }
  }
  return RandomHexId();
}

Service::Service(std::shared_ptr<const Router> router, std::shared_ptr<const Authenticator> auth,
                 Logger& log, metrics::Registry& registry, ServiceOptions options)
    : router_(std::move(router)),
      auth_(std::move(auth)),
      log_(log),
      options_(options),
      duration_(registry.Histogram("http_request_duration_seconds",
                                   "HTTP request latency by method, route template and status.",
                                   {"method", "endpoint", "status"}, kDurationBuckets)),
      requests_(registry.Counter("http_requests_total",
                                 "HTTP requests by method, route template and status.",
                                 {"method", "endpoint", "status"})),
      errors_(registry.Counter("http_errors_total",
                               "HTTP requests answered with an error, by error type.",
                               {"method", "endpoint", "error_type"})) {}

Response Service::Handle(Request& req) {
  req.received = std::chrono::steady_clock::now();
  req.deadline = req.received + options_.request_timeout;
  req.log.correlation_id = CorrelationIdFor(req.Header("x-request-id"), req.Header("traceparent"));

  Response resp = Route(req);
  resp.headers.emplace_back("X-Request-Id", req.log.correlation_id);
  // Browsers take every answer as the type it says (a text/plain error quoting the
  // request is never run as HTML), and no other site may frame a page that acts on a
  // click (the UI, one-click incident links).
  resp.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (resp.content_type.rfind("text/html", 0) == 0) {
    resp.headers.emplace_back("X-Frame-Options", "DENY");
    resp.headers.emplace_back("Content-Security-Policy", "frame-ancestors 'none'");
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - req.received).count();
  Record(req, resp, seconds);
  return resp;
}

Response Service::Route(Request& req) {
  if (!req.protocol_error.ok()) {
    req.route = "invalid";
    return Response::Error(req.protocol_error);
  }
  RouteMatch m = router_->Match(req.method, req.path);
  if (m.kind == RouteMatch::Kind::kNotFound) {
    req.route = "unmatched";
    return Response::Error(Status::NotFound(fmt::format("no route for {} {}", req.method, req.path)));
  }
  if (m.kind == RouteMatch::Kind::kMethodNotAllowed) {
    req.route = "unmatched";
    Response r = Response::Error(Status(
        StatusCode::kMethodNotAllowed,
        fmt::format("method {} is not allowed for {}; allowed: {}", req.method, req.path, m.allow)));
    r.headers.emplace_back("Allow", m.allow);
    return r;
  }
  const http::Route& route = *m.route;
  req.route = route.pattern;
  req.route_params = std::move(m.params);

  if (route.required != config::Role::kNone) {
    Result<Principal> who = auth_->Authenticate(req.Header("authorization"));
    if (!who.ok()) {
      Response r = Response::Error(who.status());
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return r;
    }
    req.log.user_id = who->name;
    req.role = who->role;
    if (Status s = Authenticator::Authorize(*who, route.required); !s.ok()) {
      Response r = Response::Error(s);
      if (s.code() == StatusCode::kUnauthorized) r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return r;
    }
  }

  try {
    return route.handler(req);
  } catch (const std::exception& e) {
    LogError err{"InternalError", e.what(), ""};
    log_.Log(LogLevel::kError, "handler failed", &req.log,
             {{"method", req.method}, {"endpoint", req.route}}, &err);
    return Response::Error(Status::Internal(fmt::format("cannot handle request: {}", e.what())));
  }
}

void Service::Record(const Request& req, const Response& resp, double seconds) {
  std::string method(MethodLabel(req.method));
  std::string status = std::to_string(resp.status);
  duration_.With(method, req.route, status).Observe(seconds);
  requests_.With(method, req.route, status).Inc();
  if (resp.status >= 400) {
    errors_.With(method, req.route, resp.error_type.empty() ? "internal" : resp.error_type).Inc();
  }
  LogLevel level = resp.status >= 500 ? LogLevel::kWarn : LogLevel::kInfo;
  log_.Log(level, "http request", &req.log,
           {{"method", req.method},
            {"path", req.path},
            {"endpoint", req.route},
            {"status", resp.status},
            {"durationMs", seconds * 1000},
            {"bytes", resp.body.size()},
            {"remote", req.remote},
            {"userAgent", req.Header("user-agent")}});
}

}  // namespace hw::http
