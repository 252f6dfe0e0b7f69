// TSDB admin endpoints, role `admin` (Prometheus' /api/v1/admin/tsdb/*):
//   POST|PUT /api/v1/admin/tsdb/delete_series?match[]=...&start=...&end=...
//     deletes the matching series' samples in [start, end] (default: all time):
//     tombstones in blocks, removal from the head, logged so a restart keeps it. 204.
#pragma once

#include "http/router.h"
#include "tsdb/db.h"

namespace hw::api {

void RegisterAdminRoutes(http::Router& router, tsdb::Db& db);

}  // namespace hw::api
