#include "api/lifecycle.h"

namespace hw::api {

void RegisterLifecycleRoutes(http::Router& router, std::function<Status()> reload) {
  // Aliases answer exactly as their /health twins: same handlers, found by matching.
  for (const auto& [alias, target] : {std::pair{"/-/healthy", "/health/live"},
                                      std::pair{"/-/ready", "/health/ready"}}) {
    http::RouteMatch m = router.Match("GET", target);
    if (m.kind == http::RouteMatch::Kind::kFound) {
      router.Get(alias, config::Role::kNone, m.route->handler);
    }
  }
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
