// The incidents API (first part): list and read incidents, acknowledge and resolve.
//
//   GET  /api/v1/incidents[?open=true]           (read)   [incident, ...]
//   GET  /api/v1/incidents/:id                   (read)   the incident with its timeline
//   POST /api/v1/incidents/:id/acknowledge       (write)  stops escalation
//   POST /api/v1/incidents/:id/resolve           (write)  drafts the post-mortem
//
// An incident is the JSON of incidents/store.h (id, title, severity, state, group key,
// times, policy, escalation, alerts, timeline, post-mortem, action items). The actor
// of a change is the token's name.
#pragma once

#include "http/router.h"
#include "incidents/manager.h"

namespace hw::api {

void RegisterIncidentRoutes(http::Router& router, incidents::IncidentManager& manager);

}  // namespace hw::api
