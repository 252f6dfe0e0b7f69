#include "api/incidents.h"

#include <chrono>

#include <fmt/format.h>

#include "base/units.h"
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

// A required form or query parameter.
Result<std::string> Required(const http::Request& req, std::string_view name) {
  std::optional<std::string> v = req.Param(name);
  if (!v || v->empty()) return Status::BadData(fmt::format("parameter \"{}\" is required", name));
  return *v;
}

Result<int> Severity(const http::Request& req) {
  Result<std::string> text = Required(req, "severity");
  if (!text.ok()) return text.status();
  std::optional<int> s = incidents::ParseSeverityName(*text);
  if (!s) return Status::BadData(fmt::format("invalid severity \"{}\": expected P1, P2, P3 or P4", *text));
  return *s;
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
  // A change to one incident; the answer is the incident after it.
  auto change = [&manager](auto apply) {
    return [&manager, apply](http::Request& req) {
      Result<std::int64_t> id = IncidentId(req);
      if (!id.ok()) return http::Response::Error(id.status());
      if (Status s = apply(manager, *id, Actor(req), req); !s.ok()) return http::Response::Error(s);
      Result<incidents::Incident> inc = manager.Get(*id);
      if (!inc.ok()) return http::Response::Error(inc.status());
      return Envelope(incidents::IncidentToJson(*inc));
    };
  };
  router.Post("/api/v1/incidents", config::Role::kWrite, [&manager](http::Request& req) {
    Result<std::string> title = Required(req, "title");
    if (!title.ok()) return http::Response::Error(title.status());
    Result<int> severity = Severity(req);
    if (!severity.ok()) return http::Response::Error(severity.status());
    Result<std::int64_t> id = manager.OpenManual(*title, *severity, Actor(req));
    if (!id.ok()) return http::Response::Error(id.status());
    Result<incidents::Incident> inc = manager.Get(*id);
    if (!inc.ok()) return http::Response::Error(inc.status());
    return Envelope(incidents::IncidentToJson(*inc));
  });
  router.Post("/api/v1/incidents/:id/state", config::Role::kWrite,
              change([](incidents::IncidentManager& m, std::int64_t id, const std::string& actor,
                        const http::Request& req) -> Status {
                Result<std::string> text = Required(req, "state");
                if (!text.ok()) return text.status();
                std::optional<incidents::State> to = incidents::ParseState(*text);
                if (!to) return Status::BadData(fmt::format("invalid state \"{}\"", *text));
                return m.SetState(id, *to, actor);
              }));
  router.Post("/api/v1/incidents/:id/severity", config::Role::kWrite,
              change([](incidents::IncidentManager& m, std::int64_t id, const std::string& actor,
                        const http::Request& req) -> Status {
                Result<int> s = Severity(req);
                return s.ok() ? m.ChangeSeverity(id, *s, actor) : s.status();
              }));
  router.Post("/api/v1/incidents/:id/notes", config::Role::kWrite,
              change([](incidents::IncidentManager& m, std::int64_t id, const std::string& actor,
                        const http::Request& req) -> Status {
                Result<std::string> text = Required(req, "text");
                return text.ok() ? m.AddNote(id, actor, *text) : text.status();
              }));
  router.Post("/api/v1/incidents/:id/postmortem", config::Role::kWrite,
              change([](incidents::IncidentManager& m, std::int64_t id, const std::string& actor,
                        const http::Request& req) -> Status {
                Result<std::string> text = Required(req, "markdown");
                return text.ok() ? m.EditPostmortem(id, *text, actor) : text.status();
              }));
  router.Post("/api/v1/incidents/:id/action_items", config::Role::kWrite,
              change([](incidents::IncidentManager& m, std::int64_t id, const std::string& actor,
                        const http::Request& req) -> Status {
                Result<std::string> text = Required(req, "text");
                if (!text.ok()) return text.status();
                Result<int> item = m.AddActionItem(id, *text, req.Param("owner").value_or(""), actor);
                return item.ok() ? Status::Ok() : item.status();
              }));
  router.Post("/api/v1/incidents/:id/action_items/:item", config::Role::kWrite,
              change([](incidents::IncidentManager& m, std::int64_t id, const std::string& actor,
                        const http::Request& req) -> Status {
                const std::string item(req.RouteParam("item"));
                if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos) {
                  return Status::BadData(fmt::format("invalid action item \"{}\"", item));
                }
                const std::string done = req.Param("done").value_or("true");
                if (done != "true" && done != "false") {
                  return Status::BadData("parameter \"done\" must be true or false");
                }
                return m.SetActionItemDone(id, std::stoi(item), done == "true", actor);
              }));
  router.Get("/api/v1/oncall/:schedule", config::Role::kRead, [&manager](http::Request& req) {
    const std::string schedule(req.RouteParam("schedule"));
    std::int64_t t = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    if (std::optional<std::string> at = req.Param("time")) {
      Result<std::int64_t> parsed = ParseRfc3339Millis(*at);
      if (!parsed.ok()) return http::Response::Error(parsed.status());
      t = *parsed;
    }
    Result<std::string> user = manager.OnCallAt(schedule, t);
    if (!user.ok()) return http::Response::Error(user.status());
    return Envelope(fmt::format(R"({{"schedule":"{}","time":"{}","user":"{}"}})", schedule,
                                FormatRfc3339Millis(t), *user));
  });
  router.Post("/api/v1/incidents/:id/acknowledge", config::Role::kWrite,
              change([](incidents::IncidentManager& m, std::int64_t id, const std::string& actor,
                        const http::Request&) { return m.Acknowledge(id, actor); }));
  router.Post("/api/v1/incidents/:id/resolve", config::Role::kWrite,
              change([](incidents::IncidentManager& m, std::int64_t id, const std::string& actor,
                        const http::Request&) { return m.Resolve(id, actor); }));
}

}  // namespace hw::api
