// The signed one-click links of incident pages (incidents/links.h), for people who
// open them from an email, a chat message or a phone:
//
//   GET  /incident-link/:id/:action?to=&exp=&sig=   an HTML page naming the incident
//                                                   (title, severity, state) with one
//                                                   button; changes nothing
//   POST /incident-link/:id/:action?to=&exp=&sig=   the button: acknowledges or
//                                                   resolves, the actor on the timeline
//                                                   being "<to> via signed link"
//
// No token: the signature is the authorisation. A tampered or expired link gets a 403
// page saying which; an incident already acknowledged (or resolved) says so and is
// left alone. Acting only on POST matters: mail scanners and chat unfurlers GET every
// link in a message.
#pragma once

#include "http/router.h"
#include "incidents/links.h"
#include "incidents/manager.h"

namespace hw::api {

void RegisterIncidentLinkRoutes(http::Router& router, incidents::IncidentManager& manager,
                                const incidents::IncidentLinks& links);

}  // namespace hw::api
