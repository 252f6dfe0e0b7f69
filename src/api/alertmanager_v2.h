// Alertmanager's API v2, served by hastewatch so Prometheus can use it as its
// Alertmanager and amtool works against it unchanged:
//
//   POST   /api/v2/alerts          (write)  postable alerts -> the dispatcher
//   GET    /api/v2/alerts          (read)   active, silenced, inhibited, unprocessed,
//                                           filter (matchers, repeated), receiver (regex)
//   GET    /api/v2/alerts/groups   (read)   the same filters
//   GET    /api/v2/silences        (read)   filter
//   POST   /api/v2/silences        (write)  create or update -> {"silenceID": id}
//   GET    /api/v2/silence/{id}    (read)
//   DELETE /api/v2/silence/{id}    (write)  expire
//   GET    /api/v2/status          (read)   cluster, config.original, uptime, versionInfo
//   GET    /api/v2/receivers       (read)
//
// Bodies are bare JSON in Alertmanager's shapes (no Prometheus envelope); errors are
// a JSON string with status 400/404/500, as Alertmanager answers.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "alerting/dispatcher.h"
#include "alerting/silences.h"
#include "http/router.h"

namespace hw::api {

struct AlertmanagerApiDeps {
  alerting::Dispatcher* dispatcher = nullptr;  // not owned
  alerting::Silences* silences = nullptr;      // not owned
  const Clock* clock = nullptr;
  std::string version;
  std::string revision;
  std::chrono::steady_clock::time_point started;
  std::function<std::string()> config_text;  // the notifications config as YAML
};

void RegisterAlertmanagerApi(http::Router& router, AlertmanagerApiDeps deps);

}  // namespace hw::api
