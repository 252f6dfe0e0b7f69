// Prometheus' lifecycle and probe endpoints, for tools that expect them:
//   GET  /-/healthy   the same answer as /health/live (open)
//   GET  /-/ready     the same answer as /health/ready (open)
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
