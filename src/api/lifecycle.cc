#include "api/lifecycle.h"

namespace hw::api {

void RegisterLifecycleRoutes(http::Router& router, std::function<Status()> reload) {
  // As Prometheus answers them: up and serving. A failed reload (the previous config
  // still in force) does not take the server out of rotation here; /health/ready,
  // the guide's probe, reports it.
  router.Get("/-/healthy", config::Role::kNone, [](http::Request&) {
    return http::Response::Text("hastewatch is Healthy.\n");
  });
  router.Get("/-/ready", config::Role::kNone, [](http::Request&) {
    return http::Response::Text("hastewatch is Ready.\n");
  });
  router.Post("/-/reload", config::Role::kAdmin, [reload](http::Request&) {
    Status s = reload();
    if (!s.ok()) {
      return http::Response::Error(
          Status(StatusCode::kInternal, "failed to reload config: " + s.message()));
    }
    return http::Response::Json(R"({"status":"success"})");
  });
}

}  // namespace hw::api
