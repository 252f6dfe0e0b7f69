// Escalation: running an incident's escalation policy.
//
// A policy is an ordered list of levels, each naming who is paged (users, or
// "schedule:NAME" for whoever is on call then) and through which receivers. An
// incident opened in `triggered` pages level 1 at once; while it stays triggered,
// each level's timeout (the level's own, else the severity's response time: P1 15 min)
// pages the next level; after the last level the policy starts again at level 1
// `repeat` more times, then stops. Leaving `triggered` (acknowledge or any later
// state) stops it; the manager restarts it from level 1 when an ack times out.
// P4 pages wait for the business-hours time interval when one is configured.
//
// Escalator is the pure state machine: Next() advances an incident's
// EscalationProgress and returns the step to page, or nothing. IncidentManager::Tick
// drives it with its Clock and sends steps through a PageSender.
//
// Thread-safety: Escalator is immutable and safe to share; PageSender implementations
// say their own rule (IncidentManager calls Page under its lock, one at a time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "alerting/time_interval.h"
#include "base/status.h"
#include "base/units.h"
#include "config/incidents.h"
#include "incidents/incident.h"
#include "incidents/schedule.h"

namespace hw::incidents {

struct EscalationStep {
  std::int64_t incident_id = 0;
  int level = 1;  // 1-based
  int round = 0;  // 0 = first pass, 1.. = repeats
  std::int64_t at_ms = 0;
  std::vector<std::string> users;      // resolved from the level's targets at at_ms
  std::vector<std::string> receivers;  // the level's, else the users' own
  std::string reason;                  // "opened", "unacknowledged after 15m", ...
  // Why targets resolved to nobody ("schedule primary has nobody on call", "user carol
  // is not configured"); empty when every target named someone.
  std::vector<std::string> unresolved;
  std::size_t page_index = 0;  // its index in Incident::pages (set by the manager)
};

// Where pages go: the server's implementation hands the step to the notification
// receivers it names. An error is recorded on the timeline; escalation goes on.
class PageSender {
 public:
  virtual ~PageSender() = default;
  virtual Status Page(const Incident& incident, const EscalationStep& step) = 0;
  // True when Page only queues: each receiver's outcome is reported later through
  // IncidentManager::RecordPageResult, and the page stays `pending` until then.
  virtual bool deferred() const { return false; }
};

class Escalator {
 public:
  // `business_hours` may be null (P4 pages at once); it must outlive the Escalator.
  Escalator(const config::IncidentsConfig& cfg, const Schedules& schedules,
            const alerting::TimeIntervals* business_hours);

  // (Re)starts the policy at level 1, due now (P4: when business hours next open).
  void Start(Incident& inc, std::int64_t now_ms) const;
  // The step due at now_ms, advancing inc.escalation; nullopt when nothing is due
  // (not triggered, no policy, not yet time, exhausted, or P4 outside business hours —
  // then the due time moves to when they open).
  std::optional<EscalationStep> Next(Incident& inc, std::int64_t now_ms) const;
  // How long level `level` (0-based) waits for an acknowledgement.
  Duration LevelTimeout(const Incident& inc, int level) const;
  // Users a level names at t_ms (schedules resolved), in order, without duplicates.
  // `unresolved` (may be null) gets why a target named nobody.
  std::vector<std::string> ResolveUsers(const config::EscalationLevelConfig& level,
                                        std::int64_t t_ms,
                                        std::vector<std::string>* unresolved = nullptr) const;
  // A reload's new business-hours intervals (same lifetime rule as the constructor's).
  void set_business_hours(const alerting::TimeIntervals* business_hours) {
    business_hours_ = business_hours;
  }

 private:
  bool WaitsForBusinessHours(const Incident& inc) const;

  const config::IncidentsConfig& cfg_;
  const Schedules& schedules_;
  const alerting::TimeIntervals* business_hours_;
};

}  // namespace hw::incidents
