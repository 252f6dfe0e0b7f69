#include "api/targets.h"

#include "scrape/targets_json.h"

namespace hw::api {

void RegisterTargetsRoute(http::Router& router, const scrape::Manager& manager) {
  router.Get("/api/v1/targets", config::Role::kRead, [&manager](http::Request& req) {
    std::string data = scrape::TargetsJson(manager, req.Param("state").value_or(""),
                                           req.Param("scrapePool").value_or(""));
    return http::Response::Json(R"({"status":"success","data":)" + data + "}");
  });
}

}  // namespace hw::api
