#include "api/incidents.h"

#include <charconv>
#include <chrono>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include <cmark.h>

#include <cstdlib>

#include "api/json.h"
#include "base/units.h"
#include "incidents/store.h"
#include "incidents/text.h"

namespace hw::api {
namespace {

constexpr std::int64_t kMaxListLimit = 1000;

// `text` as a number from 1 to `max`, or nullopt.
std::optional<std::int64_t> PositiveInt(std::string_view text, std::int64_t max) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0 || v > max) {
    return std::nullopt;
  }
  return v;
}

Result<std::int64_t> IncidentId(const http::Request& req) {
  const std::string_view text = req.RouteParam("id");
  if (auto id = PositiveInt(text, std::numeric_limits<std::int64_t>::max())) return *id;
  return Status::BadData(fmt::format("invalid incident id \"{}\"", text));
}

std::string Actor(const http::Request& req) {
  return req.log.user_id.empty() ? std::string("api") : req.log.user_id;
}

// A required form or query parameter. A body in another encoding (JSON, multipart)
// is not read: the message says what the API expects.
Result<std::string> Required(const http::Request& req, std::string_view name) {
  std::optional<std::string> v = req.Param(name);
  if (v && !v->empty()) return *v;
  const std::string_view type = req.Header("content-type");
  if (!req.body.empty() && !http::IsFormEncoded(type)) {
    return Status::BadData(fmt::format(
        "parameter \"{}\" is required: send it as a form field "
        "(Content-Type: application/x-www-form-urlencoded) or in the query, not as {}",
        name, type.empty() ? std::string_view("a body without a Content-Type") : type));
  }
  return Status::BadData(fmt::format("parameter \"{}\" is required", name));
}

// An optional true/false parameter.
Result<bool> BoolParam(const http::Request& req, std::string_view name, bool fallback) {
  const std::optional<std::string> v = req.Param(name);
  if (!v || v->empty()) return fallback;
  if (*v == "true") return true;
  if (*v == "false") return false;
  return Status::BadData(fmt::format("parameter \"{}\" must be true or false, not \"{}\"", name, *v));
}

Result<int> Severity(const http::Request& req) {
  Result<std::string> text = Required(req, "severity");
  if (!text.ok()) return text.status();
  std::optional<int> s = incidents::ParseSeverityName(*text);
  if (!s) return Status::BadData(fmt::format("invalid severity \"{}\": expected P1, P2, P3 or P4", *text));
  return *s;
}

// ?time=RFC3339, else now.
Result<std::int64_t> TimeParam(const http::Request& req) {
  if (std::optional<std::string> at = req.Param("time"); at && !at->empty()) {
    Result<std::int64_t> t = ParseRfc3339Millis(*at);
    if (!t.ok()) {
      return Status::BadData(fmt::format("invalid parameter \"time\": {}", t.status().message()));
    }
    return t;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A positive integer query parameter up to `max`; `fallback` when absent.
Result<std::int64_t> PositiveParam(const http::Request& req, std::string_view name,
                                   std::int64_t max, std::int64_t fallback) {
  const std::optional<std::string> text = req.Param(name);
  if (!text || text->empty()) return fallback;
  if (auto v = PositiveInt(*text, max)) return *v;
  return Status::BadData(fmt::format("invalid parameter \"{}\": \"{}\" is not a number from 1 to {}",
                                     name, *text, max));
}

// GET /api/v1/incidents' filters: open=true, severity=P1..P4, state=<state>, and
// limit=N (newest first) with before=<id> to page back.
Result<incidents::IncidentManager::ListFilter> ListFilterParams(const http::Request& req) {
  incidents::IncidentManager::ListFilter f;
  Result<bool> open_only = BoolParam(req, "open", false);
  if (!open_only.ok()) return open_only.status();
  f.open_only = *open_only;
  if (std::optional<std::string> s = req.Param("severity"); s && !s->empty()) {
    Result<int> severity = Severity(req);
    if (!severity.ok()) return severity.status();
    f.severity = *severity;
  }
  if (std::optional<std::string> s = req.Param("state"); s && !s->empty()) {
    f.state = incidents::ParseState(*s);
    if (!f.state) return Status::BadData(fmt::format("invalid parameter \"state\": \"{}\"", *s));
  }
  Result<std::int64_t> limit = PositiveParam(req, "limit", kMaxListLimit, 0);
  if (!limit.ok()) return limit.status();
  f.limit = static_cast<std::size_t>(*limit);
  Result<std::int64_t> before =
      PositiveParam(req, "before", std::numeric_limits<std::int64_t>::max(), 0);
  if (!before.ok()) return before.status();
  if (*before > 0 && f.limit == 0) {
    return Status::BadData("invalid parameter \"before\": it pages a list with a limit");
  }
  f.before_id = *before;
  return f;
}

// A route's positive integer parameter; BadData naming it otherwise (out of range too).
Result<std::int64_t> PositiveRouteParam(const http::Request& req, std::string_view name,
                                        std::int64_t max) {
  const std::string_view text = req.RouteParam(name);
  if (auto v = PositiveInt(text, max)) return *v;
  return Status::BadData(fmt::format("invalid {} \"{}\": expected a number from 1 to {}", name,
                                     text, max));
}

// {"schedule","time","user","handoffs":[{"time","user"},...]}: who is on call at t and
// the next handoffs within two weeks, computed on a copy of the schedule (no lock).
std::string OnCallJson(const incidents::Schedule& schedule, std::int64_t t) {
  const std::string user = schedule.OnCallAt(t);
  const std::vector<incidents::Handoff> handoffs =
      incidents::NextHandoffs(schedule, t, t + 14LL * 86400'000, 5);
  std::string buf;
  StringOutput out(&buf);
  JsonWriter w(out);
  w.StartObject();
  w.Key("schedule");
  WriteString(w, schedule.name());
  w.Key("time");
  WriteString(w, FormatRfc3339Millis(t));
  w.Key("user");
  WriteString(w, user);
  w.Key("handoffs");
  w.StartArray();
  for (const incidents::Handoff& h : handoffs) {
    w.StartObject();
    w.Key("time");
    WriteString(w, FormatRfc3339Millis(h.at_ms));
    w.Key("user");
    WriteString(w, h.user);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return buf;
}

// The stored JSON (incidents/store.h) plus what the UI shows and the store does not
// keep: the severity's response time and whether it was breached.
std::string IncidentJson(const incidents::IncidentManager& manager, const incidents::Incident& inc) {
  std::string json = incidents::IncidentToJson(inc);
  json.pop_back();  // the closing '}'
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  return json + fmt::format(R"(,"response_time_ms":{},"response_breached":{}}})",
                            manager.ResponseTimeMs(inc.severity),
                            manager.ResponseBreached(inc, now) ? "true" : "false");
}

http::Response Envelope(const std::string& data) {
  return http::Response::Json(R"({"status":"success","data":)" + data + "}");
}

}  // namespace

void RegisterIncidentRoutes(http::Router& router, incidents::IncidentManager& manager) {
  router.Get("/api/v1/incidents", config::Role::kRead, [&manager](http::Request& req) {
    Result<incidents::IncidentManager::ListFilter> filter = ListFilterParams(req);
    if (!filter.ok()) return http::Response::Error(filter.status());
    std::string data = "[";
    for (const incidents::Incident& inc : manager.List(*filter)) {
      if (data.size() > 1) data += ',';
      data += IncidentJson(manager, inc);
    }
    return Envelope(data + "]");
  });
  router.Get("/api/v1/incidents/:id", config::Role::kRead, [&manager](http::Request& req) {
    Result<std::int64_t> id = IncidentId(req);
    if (!id.ok()) return http::Response::Error(id.status());
    Result<incidents::Incident> inc = manager.Get(*id);
    if (!inc.ok()) return http::Response::Error(inc.status());
    return Envelope(IncidentJson(manager, *inc));
  });
  // A change to one incident; the answer is the incident after it.
  auto change = [&manager](auto apply) {
    return [&manager, apply](http::Request& req) {
      Result<std::int64_t> id = IncidentId(req);
      if (!id.ok()) return http::Response::Error(id.status());
      if (Status s = apply(manager, *id, Actor(req), req); !s.ok()) return http::Response::Error(s);
      Result<incidents::Incident> inc = manager.Get(*id);
      if (!inc.ok()) return http::Response::Error(inc.status());
      return Envelope(IncidentJson(manager, *inc));
    };
  };
  router.Post("/api/v1/incidents", config::Role::kWrite, [&manager](http::Request& req) {
    Result<std::string> title = Required(req, "title");
    if (!title.ok()) return http::Response::Error(title.status());
    Result<int> severity = Severity(req);
    if (!severity.ok()) return http::Response::Error(severity.status());
    Result<bool> test = BoolParam(req, "test", false);
    if (!test.ok()) return http::Response::Error(test.status());
    Result<std::int64_t> id = manager.OpenManual(*title, *severity, Actor(req), *test);
    if (!id.ok()) return http::Response::Error(id.status());
    Result<incidents::Incident> inc = manager.Get(*id);
    if (!inc.ok()) return http::Response::Error(inc.status());
    return Envelope(IncidentJson(manager, *inc));
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
                Result<std::int64_t> item =
                    PositiveRouteParam(req, "item", std::numeric_limits<int>::max());
                if (!item.ok()) return item.status();
                Result<bool> done = BoolParam(req, "done", true);
                if (!done.ok()) return done.status();
                return m.SetActionItemDone(id, static_cast<int>(*item), *done, actor);
              }));
  router.Get("/api/v1/oncall", config::Role::kRead, [&manager](http::Request& req) {
    Result<std::int64_t> t = TimeParam(req);
    if (!t.ok()) return http::Response::Error(t.status());
    // One locked read of every schedule: a reload cannot make one vanish mid-answer.
    std::string data = "[";
    for (const incidents::Schedule& s : manager.ScheduleSnapshot()) {
      data += (data.size() > 1 ? "," : "") + OnCallJson(s, *t);
    }
    return Envelope(data + "]");
  });
  router.Get("/api/v1/oncall/:schedule", config::Role::kRead, [&manager](http::Request& req) {
    Result<std::int64_t> t = TimeParam(req);
    if (!t.ok()) return http::Response::Error(t.status());
    const std::string name(req.RouteParam("schedule"));
    for (const incidents::Schedule& s : manager.ScheduleSnapshot()) {
      if (s.name() == name) return Envelope(OnCallJson(s, *t));
    }
    return http::Response::Error(Status::NotFound(fmt::format("no schedule {}", name)));
  });
  // The post-mortem editor's preview, rendered as the runbooks are (CommonMark; raw
  // HTML in the markdown is not passed through).
  router.Post("/api/v1/incidents/preview", config::Role::kRead, [](http::Request& req) {
    const std::string md = req.Param("markdown").value_or("");
    // Bounded as stored post-mortems are: the renderer's time and memory grow with it.
    if (Status s = incidents::CheckText("markdown", md, incidents::kMaxPostmortemBytes,
                                        incidents::TextShape::kMultiline, /*required=*/false);
        !s.ok()) {
      return http::Response::Error(s);
    }
    char* html = cmark_markdown_to_html(md.data(), md.size(), CMARK_OPT_DEFAULT | CMARK_OPT_SAFE);
    std::string out(html);
    std::free(html);
    JsonBody body;
    JsonWriter& w = body.writer();
    w.StartObject();
    w.Key("html");
    WriteString(w, out);
    w.EndObject();
    return body.Finish();
  });
  router.Post("/api/v1/incidents/:id/acknowledge", config::Role::kWrite,
              change([](incidents::IncidentManager& m, std::int64_t id, const std::string& actor,
                        const http::Request&) { return m.Acknowledge(id, actor); }));
  router.Post("/api/v1/incidents/:id/resolve", config::Role::kWrite,
              change([](incidents::IncidentManager& m, std::int64_t id, const std::string& actor,
                        const http::Request&) { return m.Resolve(id, actor); }));
}

}  // namespace hw::api
