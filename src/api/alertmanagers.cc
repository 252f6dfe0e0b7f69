#include "api/alertmanagers.h"

#include "api/json.h"

namespace hw::api {

void RegisterAlertmanagersRoute(http::Router& router, const alerting::AlertmanagerSender& sender) {
  router.Get("/api/v1/alertmanagers", config::Role::kRead, [&sender](http::Request&) {
    const std::vector<alerting::AlertmanagerTarget> all = sender.Alertmanagers();
    JsonBody body;
    JsonWriter& w = body.writer();
    w.StartObject();
    for (bool dropped : {false, true}) {
      w.Key(dropped ? "droppedAlertmanagers" : "activeAlertmanagers");
      w.StartArray();
      for (const alerting::AlertmanagerTarget& t : all) {
        if (t.dropped != dropped) continue;
        w.StartObject();
        w.Key("url");
        WriteString(w, t.url);
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
    return body.Finish();
  });
}

}  // namespace hw::api
