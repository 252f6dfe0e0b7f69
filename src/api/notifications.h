// hastewatch's own notification endpoints (beside Alertmanager's API v2):
//
//   POST /api/v1/notifications/test        (write) {"labels":{...},"annotations":{...}}:
//        sends the alert through the real routing and answers what happens to it:
//        {"fingerprint", "routes":[{"route","receiver","groupKey","timeInterval"}],
//         "silencedBy":[...], "inhibitedBy":[...]}  (`hastewatch test-alert`)
//   GET  /api/v1/notifications/deliveries?fingerprint=<16 hex>   (read)
//        [{"receiver","integration","groupKey","state","at","nextAt","attempts",
//          "lastError"}] — delivered, retrying, waiting or suppressed
//   GET  /api/v1/alerts/effectiveness      (read) per alertname: fired,
//        notifications, firingSeconds, silenced, flapping (the guide's quarterly
//        alert effectiveness review)
//
// Responses use the Prometheus envelope {"status":"success","data":...}.
#pragma once

#include "alerting/dispatcher.h"
#include "http/router.h"

namespace hw::api {

void RegisterNotificationRoutes(http::Router& router, alerting::Dispatcher& dispatcher);

}  // namespace hw::api
