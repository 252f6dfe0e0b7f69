// GET /api/v1/rules and GET /api/v1/alerts (role read), in Prometheus' shapes:
//
//   /api/v1/rules   {"status":"success","data":{"groups":[{"name","file","interval",
//                   "limit","rules":[...],"evaluationTime","lastEvaluation"}]}}; each
//                   rule has "type" ("alerting" or "recording"), "name", "query",
//                   "labels", "health" ("ok", "err", "unknown"), "lastError",
//                   "evaluationTime" and "lastEvaluation"; alerting rules add
//                   "duration", "keepFiringFor", "annotations", "alerts" and "state".
//                   `type=alert|record` keeps only that kind of rule.
//   /api/v1/alerts  {"status":"success","data":{"alerts":[{"labels","annotations",
//                   "state","activeAt","value"}]}}: pending and firing alerts.
//
// Thread-safety: the handlers read rules::Manager::Snapshot(), which is thread-safe.
#pragma once

#include "http/router.h"
#include "rules/manager.h"

namespace hw::api {

void RegisterRulesRoutes(http::Router& router, const rules::Manager& manager);

}  // namespace hw::api
