// The incidents API (form or query parameters; each change answers the incident):
//
//   GET  /api/v1/incidents[?open=true]            (read)   [incident, ...]
//   GET  /api/v1/incidents/:id                    (read)   the incident with its timeline
//   POST /api/v1/incidents                        (write)  title, severity=P1..P4: by hand;
//                                                          test=true: a drill ("[TEST] ",
//                                                          pages say TEST, not in MTTA/MTTR)
//   POST /api/v1/incidents/:id/acknowledge        (write)  stops escalation
//   POST /api/v1/incidents/:id/state              (write)  state=investigating|mitigated|...
//   POST /api/v1/incidents/:id/severity           (write)  severity=P2
//   POST /api/v1/incidents/:id/notes              (write)  text
//   POST /api/v1/incidents/:id/resolve            (write)  drafts the post-mortem
//   POST /api/v1/incidents/:id/postmortem         (write)  markdown: replaces the draft
//   POST /api/v1/incidents/:id/action_items       (write)  text, owner
//   POST /api/v1/incidents/:id/action_items/:n    (write)  done=true|false
//   POST /api/v1/incidents/preview                (read)   markdown: {"html"} (CommonMark)
//   GET  /api/v1/oncall[?time=RFC3339]            (read)   every schedule, as below
//   GET  /api/v1/oncall/:schedule[?time=RFC3339]  (read)   {"schedule","time","user",
//                                                          "handoffs":[{"time","user"}]}
//                                                          (the next 5 within 14 days)
//
// An incident is the JSON of incidents/store.h (id, title, severity, state, group key,
// times, test flag, policy, escalation, pages, alerts, timeline, post-mortem, action
// items) plus "response_time_ms" (the severity's) and "response_breached" (acknowledged
// later, or not yet and already late). The actor of a change is the token's name.
#pragma once

#include "http/router.h"
#include "incidents/manager.h"

namespace hw::api {

void RegisterIncidentRoutes(http::Router& router, incidents::IncidentManager& manager);

}  // namespace hw::api
