// GET /api/v1/targets (role read): the scrape targets in Prometheus' shape,
// {"status":"success","data":{"activeTargets":[...],"droppedTargets":[...],
// "droppedTargetCounts":{...}}}, with Prometheus' `state` and `scrapePool` parameters.
#pragma once

#include "http/router.h"
#include "scrape/manager.h"

namespace hw::api {

void RegisterTargetsRoute(http::Router& router, const scrape::Manager& manager);

}  // namespace hw::api
