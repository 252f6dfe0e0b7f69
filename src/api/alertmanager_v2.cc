#include "api/alertmanager_v2.h"

#include <rapidjson/document.h>
#include <re2/re2.h>

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "alerting/alert_json.h"
#include "alerting/matchers.h"
#include "api/json.h"
#include "base/units.h"

namespace hw::api {
namespace {

// Alertmanager answers errors with a bare JSON string.
http::Response V2Error(int status, std::string_view message) {
  std::string body;
  StringOutput out(&body);
  JsonWriter w(out);
  WriteString(w, message);
  return http::Response::Json(std::move(body), status);
}

http::Response V2Error(const Status& s) {
  int code = s.code() == StatusCode::kNotFound ? 404 : s.code() == StatusCode::kBadData ? 400 : 500;
  return V2Error(code, s.message());
}

bool BoolParam(const http::Request& req, std::string_view name, bool def, Status* err) {
  std::optional<std::string> v = req.Param(name);
  if (!v) return def;
  if (*v == "true") return true;
  if (*v == "false") return false;
  *err = Status::BadData(fmt::format("{} must be true or false, got \"{}\"", name, *v));
  return def;
}

// The `filter` parameters (each one or more matchers).
Result<std::vector<model::Matcher>> Filters(const http::Request& req) {
  std::vector<model::Matcher> out;
  for (const std::string& f : req.Params("filter")) {
    Result<std::vector<model::Matcher>> ms = alerting::ParseMatchers(f);
    if (!ms.ok()) return ms.status();
    for (model::Matcher& m : *ms) out.push_back(std::move(m));
  }
  return out;
}

struct AlertFilter {
  bool active = true, silenced = true, inhibited = true, unprocessed = true;
  std::vector<model::Matcher> matchers;
  std::unique_ptr<re2::RE2> receiver;

  bool Keep(const alerting::AlertStatus& a) const {
    if (a.resolved) return false;  // Alertmanager lists only alerts still firing
    if (!alerting::MatchesAll(matchers, a.alert.labels)) return false;
    if (receiver) {
      bool any = std::any_of(a.receivers.begin(), a.receivers.end(),
                             [&](const std::string& r) { return re2::RE2::FullMatch(r, *receiver); });
      if (!any) return false;
    }
    if (a.state == "active") return active;
    if (a.state == "unprocessed") return unprocessed;
    if (!a.silenced_by.empty() && !silenced) return false;
    if (!a.inhibited_by.empty() && !inhibited) return false;
    return true;
  }
};

Result<AlertFilter> ReadAlertFilter(const http::Request& req) {
  AlertFilter f;
  Status err;
  f.active = BoolParam(req, "active", true, &err);
  f.silenced = BoolParam(req, "silenced", true, &err);
  f.inhibited = BoolParam(req, "inhibited", true, &err);
  f.unprocessed = BoolParam(req, "unprocessed", true, &err);
  if (!err.ok()) return err;
  Result<std::vector<model::Matcher>> ms = Filters(req);
  if (!ms.ok()) return ms.status();
  f.matchers = std::move(ms).value();
  if (std::optional<std::string> r = req.Param("receiver"); r && !r->empty()) {
    f.receiver = std::make_unique<re2::RE2>("^(?:" + *r + ")$");
    if (!f.receiver->ok()) {
      return Status::BadData(fmt::format("failed to parse receiver param: {}", f.receiver->error()));
    }
  }
  return f;
}

void WriteStringMap(JsonWriter& w, const std::map<std::string, std::string>& m) {
  w.StartObject();
  for (const auto& [k, v] : m) {
    WriteString(w, k);
    WriteString(w, v);
  }
  w.EndObject();
}

void WriteAlert(JsonWriter& w, const alerting::AlertStatus& a) {
  w.StartObject();
  w.Key("annotations");
  WriteStringMap(w, a.alert.annotations);
  w.Key("endsAt");
  WriteString(w, FormatRfc3339Millis(a.alert.ends_at_ms));
  w.Key("fingerprint");
  WriteString(w, model::FingerprintHex(a.fingerprint));
  w.Key("receivers");
  w.StartArray();
  for (const std::string& r : a.receivers) {
    w.StartObject();
    w.Key("name");
    WriteString(w, r);
    w.EndObject();
  }
  w.EndArray();
  w.Key("startsAt");
  WriteString(w, FormatRfc3339Millis(a.alert.starts_at_ms));
  w.Key("status");
  w.StartObject();
  w.Key("inhibitedBy");
  w.StartArray();
  for (std::uint64_t fp : a.inhibited_by) WriteString(w, model::FingerprintHex(fp));
  w.EndArray();
  w.Key("silencedBy");
  WriteStringArray(w, a.silenced_by);
  w.Key("state");
  WriteString(w, a.state);
  w.EndObject();
  w.Key("updatedAt");
  WriteString(w, FormatRfc3339Millis(a.updated_at_ms));
  w.Key("generatorURL");
  WriteString(w, a.alert.generator_url);
  w.Key("labels");
  WriteLabels(w, a.alert.labels);
  w.EndObject();
}

void WriteSilence(JsonWriter& w, const alerting::Silence& s, std::int64_t now) {
  w.StartObject();
  w.Key("id");
  WriteString(w, s.id);
  w.Key("status");
  w.StartObject();
  w.Key("state");
  WriteString(w, alerting::SilenceStateName(alerting::StateAt(s, now)));
  w.EndObject();
  w.Key("updatedAt");
  WriteString(w, FormatRfc3339Millis(s.updated_at_ms));
  w.Key("comment");
  WriteString(w, s.comment);
  w.Key("createdBy");
  WriteString(w, s.created_by);
  w.Key("endsAt");
  WriteString(w, FormatRfc3339Millis(s.ends_at_ms));
  w.Key("matchers");
  w.StartArray();
  for (const model::Matcher& m : s.matchers) {
    w.StartObject();
    w.Key("isEqual");
    w.Bool(!m.negated());
    w.Key("isRegex");
    w.Bool(m.type() == model::MatchType::kRegexMatch || m.type() == model::MatchType::kRegexNoMatch);
    w.Key("name");
    WriteString(w, m.name());
    w.Key("value");
    WriteString(w, m.value());
    w.EndObject();
  }
  w.EndArray();
  w.Key("startsAt");
  WriteString(w, FormatRfc3339Millis(s.starts_at_ms));
  w.EndObject();
}

// A postableSilence body.
Result<alerting::Silence> ParseSilence(std::string_view body) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (d.HasParseError() || !d.IsObject()) return Status::BadData("silence: expected a JSON object");
  alerting::Silence s;
  auto str = [&](const char* key, std::string* out) -> Status {
    auto it = d.FindMember(key);
    if (it == d.MemberEnd() || it->value.IsNull()) return Status::Ok();
    if (!it->value.IsString()) return Status::BadData(fmt::format("silence: {} must be a string", key));
    *out = std::string(it->value.GetString(), it->value.GetStringLength());
    return Status::Ok();
  };
  std::string starts, ends;
  HW_RETURN_IF_ERROR(str("id", &s.id));
  HW_RETURN_IF_ERROR(str("createdBy", &s.created_by));
  HW_RETURN_IF_ERROR(str("comment", &s.comment));
  HW_RETURN_IF_ERROR(str("startsAt", &starts));
  HW_RETURN_IF_ERROR(str("endsAt", &ends));
  if (s.created_by.empty()) return Status::BadData("silence: createdBy in body is required");
  if (s.comment.empty()) return Status::BadData("silence: comment in body is required");
  Result<std::int64_t> st = ParseRfc3339Millis(starts);
  if (!st.ok()) return Status::BadData("silence: startsAt: " + st.status().message());
  Result<std::int64_t> en = ParseRfc3339Millis(ends);
  if (!en.ok()) return Status::BadData("silence: endsAt: " + en.status().message());
  s.starts_at_ms = *st;
  s.ends_at_ms = *en;
  auto ms = d.FindMember("matchers");
  if (ms == d.MemberEnd() || !ms->value.IsArray()) {
    return Status::BadData("silence: matchers in body is required");
  }
  for (const rapidjson::Value& m : ms->value.GetArray()) {
    if (!m.IsObject() || !m.HasMember("name") || !m["name"].IsString() || !m.HasMember("value") ||
        !m["value"].IsString()) {
      return Status::BadData("silence: each matcher needs a name and a value");
    }
    const bool regex = m.HasMember("isRegex") && m["isRegex"].IsBool() && m["isRegex"].GetBool();
    const bool equal = !m.HasMember("isEqual") || !m["isEqual"].IsBool() || m["isEqual"].GetBool();
    model::MatchType type = regex ? (equal ? model::MatchType::kRegexMatch : model::MatchType::kRegexNoMatch)
                                  : (equal ? model::MatchType::kEqual : model::MatchType::kNotEqual);
    Result<model::Matcher> mm = model::Matcher::Make(type, m["name"].GetString(), m["value"].GetString());
    if (!mm.ok()) return Status::BadData("silence: " + mm.status().message());
    s.matchers.push_back(std::move(mm).value());
  }
  return s;
}

std::string Uptime(std::chrono::steady_clock::time_point started) {
  // Alertmanager reports its start time.
  auto since = std::chrono::steady_clock::now() - started;
  auto start = std::chrono::system_clock::now() - std::chrono::duration_cast<std::chrono::system_clock::duration>(since);
  return FormatRfc3339Millis(
      std::chrono::duration_cast<std::chrono::milliseconds>(start.time_since_epoch()).count());
}

}  // namespace

void RegisterAlertmanagerApi(http::Router& router, AlertmanagerApiDeps deps) {
  auto d = std::make_shared<AlertmanagerApiDeps>(std::move(deps));

  router.Post("/api/v2/alerts", config::Role::kWrite, [d](http::Request& req) {
    Result<std::vector<model::Alert>> alerts = alerting::ParsePostableAlerts(req.body);
    if (!alerts.ok()) return V2Error(alerts.status());
    d->dispatcher->Send(std::move(alerts).value());
    return http::Response::Json("", 200);
  });

  router.Get("/api/v2/alerts", config::Role::kRead, [d](http::Request& req) {
    Result<AlertFilter> f = ReadAlertFilter(req);
    if (!f.ok()) return V2Error(f.status());
    std::string body;
    StringOutput out(&body);
    JsonWriter w(out);
    w.StartArray();
    for (const alerting::AlertStatus& a : d->dispatcher->Alerts()) {
      if (f->Keep(a)) WriteAlert(w, a);
    }
    w.EndArray();
    return http::Response::Json(std::move(body));
  });

  router.Get("/api/v2/alerts/groups", config::Role::kRead, [d](http::Request& req) {
    Result<AlertFilter> f = ReadAlertFilter(req);
    if (!f.ok()) return V2Error(f.status());
    std::string body;
    StringOutput out(&body);
    JsonWriter w(out);
    w.StartArray();
    for (const alerting::GroupStatus& g : d->dispatcher->Groups()) {
      if (f->receiver && !re2::RE2::FullMatch(g.receiver, *f->receiver)) continue;
      std::vector<const alerting::AlertStatus*> kept;
      for (const alerting::AlertStatus& a : g.alerts) {
        if (f->Keep(a)) kept.push_back(&a);
      }
      if (kept.empty()) continue;
      w.StartObject();
      w.Key("alerts");
      w.StartArray();
      for (const alerting::AlertStatus* a : kept) WriteAlert(w, *a);
      w.EndArray();
      w.Key("labels");
      WriteLabels(w, g.labels);
      w.Key("receiver");
      w.StartObject();
      w.Key("name");
      WriteString(w, g.receiver);
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
    return http::Response::Json(std::move(body));
  });

  router.Get("/api/v2/silences", config::Role::kRead, [d](http::Request& req) {
    Result<std::vector<model::Matcher>> filters = Filters(req);
    if (!filters.ok()) return V2Error(filters.status());
    const std::int64_t now = d->clock->NowMillis();
    std::string body;
    StringOutput out(&body);
    JsonWriter w(out);
    w.StartArray();
    for (const alerting::Silence& s : d->silences->List()) {
      // A filter keeps silences that have a matcher equal to each filter matcher.
      bool keep = std::all_of(filters->begin(), filters->end(), [&](const model::Matcher& f) {
        return std::any_of(s.matchers.begin(), s.matchers.end(), [&](const model::Matcher& m) {
          return m.name() == f.name() && f.Matches(m.value());
        });
      });
      if (keep) WriteSilence(w, s, now);
    }
    w.EndArray();
    return http::Response::Json(std::move(body));
  });

  router.Post("/api/v2/silences", config::Role::kWrite, [d](http::Request& req) {
    Result<alerting::Silence> s = ParseSilence(req.body);
    if (!s.ok()) return V2Error(s.status());
    Result<std::string> id = d->silences->Set(std::move(s).value());
    if (!id.ok()) return V2Error(id.status());
    return http::Response::Json(fmt::format(R"({{"silenceID":"{}"}})", *id));
  });

  router.Get("/api/v2/silence/:id", config::Role::kRead, [d](http::Request& req) {
    std::optional<alerting::Silence> s = d->silences->Get(std::string(req.RouteParam("id")));
    if (!s) return V2Error(404, "silence not found");
    std::string body;
    StringOutput out(&body);
    JsonWriter w(out);
    WriteSilence(w, *s, d->clock->NowMillis());
    return http::Response::Json(std::move(body));
  });

  router.Delete("/api/v2/silence/:id", config::Role::kWrite, [d](http::Request& req) {
    Status s = d->silences->Expire(std::string(req.RouteParam("id")));
    if (!s.ok()) return V2Error(s);
    return http::Response::Json("", 200);
  });

  router.Get("/api/v2/status", config::Role::kRead, [d](http::Request&) {
    std::string body;
    StringOutput out(&body);
    JsonWriter w(out);
    w.StartObject();
    w.Key("cluster");
    w.StartObject();
    w.Key("name");
    WriteString(w, "hastewatch");
    w.Key("peers");
    w.StartArray();
    w.EndArray();
    w.Key("status");
    WriteString(w, "disabled");  // one server, no gossip cluster
    w.EndObject();
    w.Key("config");
    w.StartObject();
    w.Key("original");
    WriteString(w, d->config_text ? d->config_text() : "");
    w.EndObject();
    w.Key("uptime");
    WriteString(w, Uptime(d->started));
    w.Key("versionInfo");
    w.StartObject();
    for (auto [k, v] : {std::pair{"branch", std::string("main")}, {"buildDate", std::string()},
                        {"buildUser", std::string("hastewatch")}, {"goVersion", std::string("none")},
                        {"revision", d->revision}, {"version", d->version}}) {
      w.Key(k);
      WriteString(w, v);
    }
    w.EndObject();
    w.EndObject();
    return http::Response::Json(std::move(body));
  });

  router.Get("/api/v2/receivers", config::Role::kRead, [d](http::Request&) {
    std::string body;
    StringOutput out(&body);
    JsonWriter w(out);
    w.StartArray();
    for (const std::string& r : d->dispatcher->Receivers()) {
      w.StartObject();
      w.Key("name");
      WriteString(w, r);
      w.EndObject();
    }
    w.EndArray();
    return http::Response::Json(std::move(body));
  });
}

}  // namespace hw::api
