#include "api/incidents.h"

#include <fmt/format.h>

#include "incidents/store.h"

namespace hw::api {
namespace {

Result<std::int64_t> IncidentId(const http::Request& req) {
  const std::string text(req.RouteParam("id"));
  try {
    std::size_t used = 0;
    const std::int64_t id = std::stoll(text, &used);
    if (used == text.size() && id > 0) return id;
  } catch (const std::exception&) {
  }
  return Status::BadData(fmt::format("invalid incident id \"{}\"", text));
}

std::string Actor(const http::Request& req) {
  return req.log.user_id.empty() ? std::string("api") : req.log.user_id;
}

http::Response Envelope(const std::string& data) {
  return http::Response::Json(R"({"status":"success","data":)" + data + "}");
}

}  // namespace

void RegisterIncidentRoutes(http::Router& router, incidents::IncidentManager& manager) {
  router.Get("/api/v1/incidents", config::Role::kRead, [&manager](http::Request& req) {
    const bool open_only = req.Param("open").value_or("") == "true";
    std::string data = "[";
    for (const incidents::Incident& inc : manager.List(open_only)) {
      if (data.size() > 1) data += ',';
      data += incidents::IncidentToJson(inc);
    }
    return Envelope(data + "]");
  });
  router.Get("/api/v1/incidents/:id", config::Role::kRead, [&manager](http::Request& req) {
    Result<std::int64_t> id = IncidentId(req);
    if (!id.ok()) return http::Response::Error(id.status());
    Result<incidents::Incident> inc = manager.Get(*id);
    if (!inc.ok()) return http::Response::Error(inc.status());
    return Envelope(incidents::IncidentToJson(*inc));
  });
  auto change = [&manager](auto apply) {
    return [&manager, apply](http::Request& req) {
      Result<std::int64_t> id = IncidentId(req);
      if (!id.ok()) return http::Response::Error(id.status());
      if (Status s = apply(manager, *id, Actor(req)); !s.ok()) return http::Response::Error(s);
      Result<incidents::Incident> inc = manager.Get(*id);
      if (!inc.ok()) return http::Response::Error(inc.status());
      return Envelope(incidents::IncidentToJson(*inc));
    };
  };
  router.Post("/api/v1/incidents/:id/acknowledge", config::Role::kWrite,
              change([](incidents::IncidentManager& m, std::int64_t id, const std::string& actor) {
                return m.Acknowledge(id, actor);
              }));
  router.Post("/api/v1/incidents/:id/resolve", config::Role::kWrite,
              change([](incidents::IncidentManager& m, std::int64_t id, const std::string& actor) {
                return m.Resolve(id, actor);
              }));
}

}  // namespace hw::api
