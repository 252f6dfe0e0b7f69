// The guide's health endpoints (spec "Health Checks"):
//   GET /health/live      200 {"status":"ok"} while the process serves requests; open.
//   GET /health/ready     200 {"status":"ready","checks":[...]} or 503 "not ready";
//                         each check {name, healthy, latency_ms, error?}; open.
//   GET /health/detailed  uptime, memory, storage, queue depths and every check;
//                         needs a valid bearer token (any role), 401 otherwise.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "base/metrics.h"
#include "collect/dependency_check.h"
#include "http/router.h"
#include "tsdb/db.h"

namespace hw::api {

struct QueueDepths {
  int http_connections = 0;
  int http_queued = 0;
  int http_in_flight = 0;
};

struct HealthDeps {
  std::vector<collect::Check> checks;  // storage writable, config loaded, dependencies
  std::string data_dir;
  std::string version;
  std::chrono::steady_clock::time_point started;
  std::function<QueueDepths()> queues;
  std::function<tsdb::DbStats()> storage;  // the TSDB's figures; may be empty
};

void RegisterHealthRoutes(http::Router& router, HealthDeps deps);

// GET /metrics: the registry in the Prometheus text format 0.0.4.
void RegisterMetricsRoute(http::Router& router, metrics::Registry& registry);

}  // namespace hw::api
