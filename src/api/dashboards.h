// The dashboard endpoints (role read), over the dashboards loaded with the config
// (dashboards/dashboard.h; re-read at each reload):
//
//   GET /api/v1/dashboards        {"status":"success","data":{"dashboards":[{"id",
//       "title","panels" (count),"file"}, ...]}} in the config's order; the files'
//       warnings (unknown fields, queries that do not parse) in "warnings".
//   GET /api/v1/dashboards/:id    data: the dashboard file's JSON as written, with
//       that file's warnings; 404 not_found for an unknown id.
//
// Thread-safety: handlers may run concurrently; each reads one snapshot of the list.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "dashboards/dashboard.h"
#include "http/router.h"

namespace hw::api {

using DashboardList = std::vector<dashboards::Dashboard>;
// The dashboards in force (they change with reloads).
using DashboardSource = std::function<std::shared_ptr<const DashboardList>()>;

void RegisterDashboardRoutes(http::Router& router, DashboardSource source);

}  // namespace hw::api
