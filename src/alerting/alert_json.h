// Alerts as Alertmanager's API v2 JSON: the body of POST /api/v2/alerts (a list of
// "postable alerts": labels, annotations, startsAt, endsAt, generatorURL), as
// Prometheus sends it.
//
// Thread-safety: pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

#include "model/alert.h"

namespace hw::alerting {

// Times as RFC 3339 with milliseconds; a zero time is left out, as Prometheus does.
std::string PostableAlertsJson(std::span<const model::Alert> alerts);

// Parses a POST /api/v2/alerts body. Errors name the alert and field
// ("alerts[2].startsAt: cannot parse \"x\" as an RFC 3339 time"): labels must be a
// non-empty object of valid label names with non-empty values, annotations an object
// of strings, times RFC 3339 (absent or Go's zero time: unset).
Result<std::vector<model::Alert>> ParsePostableAlerts(std::string_view body);

}  // namespace hw::alerting
