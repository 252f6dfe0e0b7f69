#include "api/notifications.h"

#include <fmt/format.h>

#include "alerting/alert_json.h"
#include "api/json.h"
#include "base/units.h"

namespace hw::api {

void RegisterNotificationRoutes(http::Router& router, alerting::Dispatcher& dispatcher) {
  router.Post("/api/v1/notifications/test", config::Role::kWrite, [&dispatcher](http::Request& req) {
    // One alert in the API v2 shape, without the list around it.
    Result<std::vector<model::Alert>> alerts = alerting::ParsePostableAlerts("[" + req.body + "]");
    if (!alerts.ok()) return http::Response::Error(alerts.status());
    model::Alert alert = (*alerts)[0];
    const alerting::Explanation e = dispatcher.Explain(alert.labels);
    dispatcher.Send({alert});
    JsonBody body;
    JsonWriter& w = body.writer();
    w.StartObject();
    w.Key("fingerprint");
    WriteString(w, model::FingerprintHex(model::AlertFingerprint(alert.labels)));
    w.Key("routes");
    w.StartArray();
    for (const alerting::Explanation::RouteResult& r : e.routes) {
      w.StartObject();
      w.Key("route");
      WriteString(w, r.route_key);
      w.Key("receiver");
      WriteString(w, r.receiver);
      w.Key("groupKey");
      WriteString(w, r.group_key);
      w.Key("timeInterval");
      WriteString(w, r.time_interval);
      w.EndObject();
    }
    w.EndArray();
    w.Key("silencedBy");
    WriteStringArray(w, e.silenced_by);
    w.Key("inhibitedBy");
    w.StartArray();
    for (std::uint64_t fp : e.inhibited_by) WriteString(w, model::FingerprintHex(fp));
    w.EndArray();
    w.EndObject();
    return body.Finish();
  });

  router.Get("/api/v1/notifications/deliveries", config::Role::kRead, [&dispatcher](http::Request& req) {
    const std::string hex = req.Param("fingerprint").value_or("");
    std::uint64_t fp = 0;
    try {
      std::size_t used = 0;
      fp = std::stoull(hex, &used, 16);
      if (used != hex.size() || hex.size() != 16) throw std::invalid_argument(hex);
    } catch (const std::exception&) {
      return http::Response::Error(Status::BadData(
          fmt::format("invalid parameter \"fingerprint\": \"{}\" is not 16 hex digits", hex)));
    }
    JsonBody body;
    JsonWriter& w = body.writer();
    w.StartArray();
    for (const alerting::DeliveryState& d : dispatcher.Deliveries(fp)) {
      w.StartObject();
      w.Key("receiver");
      WriteString(w, d.receiver);
      w.Key("integration");
      WriteString(w, d.integration);
      w.Key("groupKey");
      WriteString(w, d.group_key);
      w.Key("state");
      WriteString(w, d.state);
      w.Key("at");
      WriteString(w, d.at_ms ? FormatRfc3339Millis(d.at_ms) : "");
      w.Key("nextAt");
      WriteString(w, d.next_at_ms ? FormatRfc3339Millis(d.next_at_ms) : "");
      w.Key("attempts");
      w.Int(d.attempts);
      w.Key("lastError");
      WriteString(w, d.last_error);
      w.EndObject();
    }
    w.EndArray();
    return body.Finish();
  });

  router.Get("/api/v1/alerts/effectiveness", config::Role::kRead, [&dispatcher](http::Request&) {
    JsonBody body;
    JsonWriter& w = body.writer();
    w.StartObject();
    for (const auto& [name, e] : dispatcher.Effectiveness()) {
      WriteString(w, name);
      w.StartObject();
      w.Key("fired");
      w.Int64(e.fired);
      w.Key("notifications");
      w.Int64(e.notifications);
      w.Key("firingSeconds");
      w.Double(e.firing_seconds);
      w.Key("silenced");
      w.Int64(e.silenced);
      w.Key("flapping");
      w.Int64(e.flapping);
      w.EndObject();
    }
    w.EndObject();
    return body.Finish();
  });
}

}  // namespace hw::api
