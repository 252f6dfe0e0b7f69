// BuildPage: the notification one escalation step sends to one receiver.
//
// The page's group key is "incident/<id>"; its alerts are the incident's firing
// alerts (or, for an incident opened by hand, one synthetic alert "Incident"), each
// annotated with the incident's summary and the escalation level, plus what a
// responder acts on without logging in:
//   incident_url     <external_url>/ui/incidents/<id>
//   acknowledge_url  signed one-click links (incidents/links.h) naming who was paged
//   resolve_url      ("alice via oncall-pager"); only when links are enabled
// Annotations are free-form, so Alertmanager's webhook v4 payload stays valid. A
// drill's (test incident's) page says TEST in its summary and note and carries
// test="true" as a label and an annotation.
//
// Thread-safety: a pure function.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "alerting/notification.h"
#include "incidents/escalation.h"
#include "incidents/incident.h"
#include "incidents/links.h"

namespace hw::incidents {

// incident_url, and acknowledge_url / resolve_url naming `recipient` when links are
// enabled; test="true" for a drill. Escalation pages and the alert notification of a
// group that opened or joined an incident both carry them.
std::map<std::string, std::string> IncidentAnnotations(std::int64_t incident_id, bool test,
                                                       const std::string& recipient,
                                                       const IncidentLinks& links,
                                                       const std::string& external_url);

alerting::Notification BuildPage(const Incident& inc, const EscalationStep& step,
                                 const std::string& receiver, const IncidentLinks& links,
                                 const std::string& external_url);

}  // namespace hw::incidents
