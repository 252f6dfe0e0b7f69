#include "api/admin.h"

#include "api/params.h"

namespace hw::api {

void RegisterAdminRoutes(http::Router& router, tsdb::Db& db) {
  auto delete_series = [&db](http::Request& req) {
    Result<std::vector<std::vector<model::Matcher>>> sets = MatchParams(req);
    if (!sets.ok()) return http::Response::Error(sets.status());
    if (sets->empty()) return http::Response::Error(Status::BadData("no match[] parameter provided"));
    Result<std::int64_t> start = TimeParamOr(req, "start", kMinTime);
    if (!start.ok()) return http::Response::Error(start.status());
    Result<std::int64_t> end = TimeParamOr(req, "end", kMaxTime);
    if (!end.ok()) return http::Response::Error(end.status());
    for (const auto& matchers : *sets) {
      if (Status s = db.DeleteSeries(matchers, *start, *end); !s.ok()) {
        return http::Response::Error(s);
      }
    }
    http::Response r;
    r.status = 204;
    r.content_type = "text/plain";
    return r;
  };
  router.Post("/api/v1/admin/tsdb/delete_series", config::Role::kAdmin, delete_series);
  router.Add("PUT", "/api/v1/admin/tsdb/delete_series", config::Role::kAdmin, delete_series);
}

}  // namespace hw::api
