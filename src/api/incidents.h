// The incidents API (form or query parameters; each change answers the incident):
//
//   GET  /api/v1/incidents[?open=true]            (read)   [incident, ...]
//   GET  /api/v1/incidents/:id                    (read)   the incident with its timeline
//   POST /api/v1/incidents                        (write)  title, severity=P1..P4: by hand
//   POST /api/v1/incidents/:id/acknowledge        (write)  stops escalation
//   POST /api/v1/incidents/:id/state              (write)  state=investigating|mitigated|...
//   POST /api/v1/incidents/:id/severity           (write)  severity=P2
//   POST /api/v1/incidents/:id/notes              (write)  text
//   POST /api/v1/incidents/:id/resolve            (write)  drafts the post-mortem
//   POST /api/v1/incidents/:id/postmortem         (write)  markdown: replaces the draft
//   POST /api/v1/incidents/:id/action_items       (write)  text, owner
//   POST /api/v1/incidents/:id/action_items/:n    (write)  done=true|false
//   GET  /api/v1/oncall/:schedule[?time=RFC3339]  (read)   {"schedule","time","user"}
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
