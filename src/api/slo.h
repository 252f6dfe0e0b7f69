// The SLO endpoints (role read), answered with the server's own PromQL engine:
//
//   GET /api/v1/slos                  {"status":"success","data":{"slos":[...]}}: each
//       SLO of the config's `slos` files now: service, slo, description, sli
//       ("events" or "latency"), objective, criticalObjective (null when none),
//       window ("30d", "calendar month"), windowStart, goodEvents, totalEvents,
//       achieved, budgetUsed, budgetRemaining (fractions; null without events),
//       errorRatio1h, burnRate1h, exhaustionTime (RFC 3339, projected at the 1h burn
//       rate; null when not burning), exhausted, belowCritical.
//   GET /api/v1/slos/report?month=YYYY-MM    the monthly compliance review
//       (slo/report.h FormatJson) as data; month defaults to the current one.
//
// Thread-safety: handlers may run concurrently; the spec files are read per request.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/router.h"
#include "promql/engine.h"
#include "storage/interface.h"

namespace hw::api {

struct SloDeps {
  storage::Queryable* storage = nullptr;         // required; outlives the router
  std::shared_ptr<const promql::Engine> engine;  // required
  // The config's `slos` patterns in force (they change with reloads).
  std::function<std::vector<std::string>()> spec_files;
};

void RegisterSloRoutes(http::Router& router, SloDeps deps);

}  // namespace hw::api
