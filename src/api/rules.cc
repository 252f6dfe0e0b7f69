#include "api/rules.h"

#include <string>

#include <fmt/format.h>

#include "api/json.h"
#include "base/units.h"

namespace hw::api {
namespace {

// Go's zero time.Time for rules never evaluated, as Prometheus writes it.
std::string Rfc3339OrZero(std::int64_t ms) {
  return ms > 0 ? FormatRfc3339Millis(ms) : "0001-01-01T00:00:00Z";
}

void WriteMap(JsonWriter& w, const std::map<std::string, std::string>& m) {
  w.StartObject();
  for (const auto& [k, v] : m) {
    WriteString(w, k);
    WriteString(w, v);
  }
  w.EndObject();
}

void WriteAlert(JsonWriter& w, const rules::ActiveAlert& a) {
  w.StartObject();
  w.Key("labels");
  WriteLabels(w, a.labels);
  w.Key("annotations");
  WriteMap(w, a.annotations);
  w.Key("state");
  WriteString(w, rules::AlertStateName(a.state));
  w.Key("activeAt");
  WriteString(w, Rfc3339OrZero(a.active_at));
  w.Key("value");
  WriteString(w, FormatSampleValue(a.value));
  w.EndObject();
}

void WriteRule(JsonWriter& w, const rules::RuleSnapshot& r) {
  const bool alerting = r.spec.kind == rules::Rule::Kind::kAlerting;
  w.StartObject();
  w.Key("type");
  WriteString(w, alerting ? "alerting" : "recording");
  w.Key("name");
  WriteString(w, r.spec.name);
  w.Key("query");
  WriteString(w, r.spec.expr);
  if (alerting) {
    w.Key("duration");
    w.Double(r.spec.for_duration.count() / 1000.0);
    w.Key("keepFiringFor");
    w.Double(r.spec.keep_firing_for.count() / 1000.0);
  }
  w.Key("labels");
  WriteMap(w, r.spec.labels);
  if (alerting) {
    w.Key("annotations");
    WriteMap(w, r.spec.annotations);
    w.Key("alerts");
    w.StartArray();
    for (const rules::ActiveAlert& a : r.alerts) {
      if (a.state != rules::AlertState::kInactive) WriteAlert(w, a);
    }
    w.EndArray();
    w.Key("state");
    WriteString(w, rules::AlertStateName(r.state));
  }
  w.Key("health");
  WriteString(w, r.health.last_eval_ms == 0      ? "unknown"
                 : r.health.last_error.empty() ? "ok"
                                               : "err");
  w.Key("lastError");
  WriteString(w, r.health.last_error);
  w.Key("evaluationTime");
  w.Double(r.health.eval_seconds);
  w.Key("lastEvaluation");
  WriteString(w, Rfc3339OrZero(r.health.last_eval_ms));
  w.EndObject();
}

}  // namespace

void RegisterRulesRoutes(http::Router& router, const rules::Manager& manager) {
  router.Get("/api/v1/rules", config::Role::kRead, [&manager](http::Request& req) {
    std::string type = req.Param("type").value_or("");
    if (!type.empty() && type != "alert" && type != "record") {
      return http::Response::Error(Status::BadData(
          fmt::format("invalid parameter \"type\": not supported value \"{}\"", type)));
    }
    JsonBody body;
    JsonWriter& w = body.writer();
    w.StartObject();
    w.Key("groups");
    w.StartArray();
    for (const rules::GroupSnapshot& g : manager.Snapshot()) {
      w.StartObject();
      w.Key("name");
      WriteString(w, g.name);
      w.Key("file");
      WriteString(w, g.file);
      w.Key("interval");
      w.Double(g.interval_ms / 1000.0);
      w.Key("limit");
      w.Int64(g.limit);
      w.Key("rules");
      w.StartArray();
      for (const rules::RuleSnapshot& r : g.rules) {
        const bool alerting = r.spec.kind == rules::Rule::Kind::kAlerting;
        if ((type == "alert" && !alerting) || (type == "record" && alerting)) continue;
        WriteRule(w, r);
      }
      w.EndArray();
      w.Key("evaluationTime");
      w.Double(g.evaluation_seconds);
      w.Key("lastEvaluation");
      WriteString(w, Rfc3339OrZero(g.last_evaluation_ms));
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return body.Finish();
  });

  router.Get("/api/v1/alerts", config::Role::kRead, [&manager](http::Request&) {
    JsonBody body;
    JsonWriter& w = body.writer();
    w.StartObject();
    w.Key("alerts");
    w.StartArray();
    for (const rules::GroupSnapshot& g : manager.Snapshot()) {
      for (const rules::RuleSnapshot& r : g.rules) {
        for (const rules::ActiveAlert& a : r.alerts) {
          if (a.state != rules::AlertState::kInactive) WriteAlert(w, a);
        }
      }
    }
    w.EndArray();
    w.EndObject();
    return body.Finish();
  });
}

}  // namespace hw::api
