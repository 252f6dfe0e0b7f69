// GET /api/v1/alertmanagers (role read): the external Alertmanagers alerts are sent
// to, in Prometheus' shape: {"status":"success","data":{"activeAlertmanagers":
// [{"url":...}],"droppedAlertmanagers":[{"url":...}]}}.
#pragma once

#include "alerting/alertmanager_sender.h"
#include "http/router.h"

namespace hw::api {

void RegisterAlertmanagersRoute(http::Router& router, const alerting::AlertmanagerSender& sender);

}  // namespace hw::api
