// Prometheus' lifecycle and probe endpoints, for tools that expect them:
//   GET  /-/healthy   200 while the process serves (open), as Prometheus
//   GET  /-/ready     200 once serving (open), as Prometheus: a failed reload does
//                     not change it (the guide's /health/ready reports that)
//   POST /-/reload    re-reads the config file and applies what can change while
//                     running (role admin): 200, or 500 with the errors when the new
//                     config is invalid (the running config stays in force).
#pragma once

#include <functional>

#include "base/status.h"
#include "http/router.h"

namespace hw::api {

void RegisterLifecycleRoutes(http::Router& router, std::function<Status()> reload);

}  // namespace hw::api
