// Service: what happens to every request between the wire and a handler.
//
//   correlation id (X-Request-Id, else traceparent's trace id, else generated; echoed)
//   -> protocol errors answered -> route match (404 / 405 with Allow)
//   -> authentication and the route's role (401 / 403) -> handler (exceptions -> 500)
//   -> golden-signal metrics by route template -> one access-log entry.
//
// Thread-safe: Handle runs concurrently on the server's worker threads.
#pragma once

#include <memory>

#include "base/logger.h"
#include "base/metrics.h"
#include "http/auth.h"
#include "http/request.h"
#include "http/router.h"

namespace hw::http {

struct ServiceOptions {
  Duration request_timeout = Duration(120'000);
};

class Service {
 public:
  Service(std::shared_ptr<const Router> router, std::shared_ptr<const Authenticator> auth,
          Logger& log, metrics::Registry& registry, ServiceOptions options);

  Response Handle(Request& req);

 private:
  Response Route(Request& req);
  void Record(const Request& req, const Response& resp, double seconds);

  std::shared_ptr<const Router> router_;
  std::shared_ptr<const Authenticator> auth_;
  Logger& log_;
  ServiceOptions options_;
  metrics::HistogramFamily& duration_;
  metrics::CounterFamily& requests_;
  metrics::CounterFamily& errors_;
};

// The correlation id for a request: a sane X-Request-Id, else the trace id of a valid
// W3C traceparent, else a new random id.
std::string CorrelationIdFor(std::string_view x_request_id, std::string_view traceparent);

}  // namespace hw::http
