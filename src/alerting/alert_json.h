// Alerts as Alertmanager's API v2 JSON: the body of POST /api/v2/alerts (a list of
// "postable alerts": labels, annotations, startsAt, endsAt, generatorURL), as
// Prometheus sends it.
//
// Thread-safety: pure functions.
#pragma once

#include <span>
#include <string>

#include "model/alert.h"

namespace hw::alerting {

// Times as RFC 3339 with milliseconds; a zero time is left out, as Prometheus does.
std::string PostableAlertsJson(std::span<const model::Alert> alerts);

}  // namespace hw::alerting
