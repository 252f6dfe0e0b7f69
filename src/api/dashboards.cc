#include "api/dashboards.h"

#include <fmt/format.h>

#include "api/json.h"

namespace hw::api {
namespace {

std::vector<std::string> WarningsOf(const dashboards::Dashboard& d) {
  std::vector<std::string> out = d.warnings;
  out.insert(out.end(), d.query_errors.begin(), d.query_errors.end());
  return out;
}

}  // namespace

void RegisterDashboardRoutes(http::Router& router, DashboardSource source) {
  router.Get("/api/v1/dashboards", config::Role::kRead, [source](http::Request&) {
    std::shared_ptr<const DashboardList> list = source();
    JsonBody body;
    JsonWriter& w = body.writer();
    std::vector<std::string> warnings;
    w.StartObject();
    w.Key("dashboards");
    w.StartArray();
    for (const dashboards::Dashboard& d : *list) {
      w.StartObject();
      w.Key("id");
      WriteString(w, d.id);
      w.Key("title");
      WriteString(w, d.title);
      w.Key("panels");
      w.Uint64(d.panels);
      w.Key("file");
      WriteString(w, d.file);
      w.EndObject();
      for (std::string& s : WarningsOf(d)) warnings.push_back(std::move(s));
    }
    w.EndArray();
    w.EndObject();
    return body.Finish(warnings);
  });

  router.Get("/api/v1/dashboards/:id", config::Role::kRead, [source](http::Request& req) {
    std::shared_ptr<const DashboardList> list = source();
    const std::string_view id = req.RouteParam("id");
    for (const dashboards::Dashboard& d : *list) {
      if (d.id != id) continue;
      JsonBody body;
      // The file was validated as JSON at load: written through as it is.
      body.writer().RawValue(d.json.data(), d.json.size(), rapidjson::kObjectType);
      return body.Finish(WarningsOf(d));
    }
    return http::Response::Error(Status::NotFound(fmt::format("no dashboard \"{}\"", id)));
  });
}

}  // namespace hw::api
