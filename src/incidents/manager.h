// IncidentManager: the incidents subsystem's one entry point for the server, API and CLI.
//
// It opens incidents from paging alert groups (labels → P1–P4 by the configured
// severity rules) and by hand, attaches later alerts of the same group to the open
// incident, applies responder actions (acknowledge, state changes, severity, notes,
// post-mortem edits, action items) with actor and time on the timeline, runs each
// incident's escalation policy from Tick() against its Clock, and exposes MTTA/MTTR,
// response-time breaches and open incidents per severity as self-metrics.
//
// Every change is written to the StateDb before the call returns (a copy is changed,
// saved, then swapped in), so what a caller was told happened survives kill -9. Open()
// reloads every incident and its escalation timer and runs Tick() once: a step that
// came due while the server was down fires at start-up.
//
// Ownership: the options' db, clock, pager and business hours must outlive the manager.
// Thread-safety: every public method takes mu_; PageSender::Page is called under it
// and must not call back into the manager.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "alerting/state_db.h"
#include "alerting/time_interval.h"
#include "base/clock.h"
#include "base/metrics.h"
#include "base/status.h"
#include "config/incidents.h"
#include "incidents/escalation.h"
#include "incidents/incident.h"
#include "incidents/schedule.h"
#include "incidents/store.h"

namespace hw::incidents {

struct ManagerOptions {
  alerting::StateDb* db = nullptr;
  const Clock* clock = nullptr;
  PageSender* pager = nullptr;
  config::IncidentsConfig config;
  // The notifications' compiled time intervals (for incidents.business_hours); may be null.
  const alerting::TimeIntervals* time_intervals = nullptr;
};

// One alert of a group as the dispatcher hands it over.
struct GroupAlert {
  std::string fingerprint;
  std::map<std::string, std::string> labels;
  bool resolved = false;
};

// A reload's incidents config, compiled and checked against the open incidents
// (IncidentManager::PrepareConfig), ready to swap in (CommitConfig).
struct PreparedConfig {
  config::IncidentsConfig config;
  Schedules schedules;
  std::shared_ptr<const alerting::TimeIntervals> time_intervals;
};

// Figures for one severity; times in seconds, NaN-free (0 when there is nothing to
// average). Test incidents (drills) are not counted.
struct SeverityFigures {
  int open = 0;
  int acknowledged = 0;  // incidents with an acknowledgement (MTTA's count)
  double mtta_s = 0;
  int resolved = 0;  // incidents resolved (MTTR's count)
  double mttr_s = 0;
  int response_breaches = 0;  // acknowledged later than the response time, or not yet and late
};

// The first rule whose labels all match, else nullopt (no incident).
std::optional<int> SeverityFor(const config::IncidentsConfig& cfg,
                               const std::map<std::string, std::string>& labels);

class IncidentManager {
 public:
  static Result<std::unique_ptr<IncidentManager>> Open(ManagerOptions options);

  // A paging group's alerts (from the dispatcher's receiver for incidents). Attaches
  // them to the group's open incident, or opens one when any alert maps to a
  // severity (the most urgent wins). Returns the incident id, or nullopt when none.
  Result<std::optional<std::int64_t>> OnAlertGroup(const std::string& group_key,
                                                   const std::vector<GroupAlert>& alerts);
  // Opened by hand (no alerts) with the policy of its severity. A `test` incident is a
  // drill: its title starts "[TEST] " and it is left out of the figures.
  Result<std::int64_t> OpenManual(const std::string& title, int severity, const std::string& actor,
                                  bool test = false);

  Status Acknowledge(std::int64_t id, const std::string& actor);
  // Any allowed lifecycle move (see incident.h); resolving drafts the post-mortem.
  Status SetState(std::int64_t id, State to, const std::string& actor);
  Status Resolve(std::int64_t id, const std::string& actor) {
    return SetState(id, State::kResolved, actor);
  }
  Status ChangeSeverity(std::int64_t id, int severity, const std::string& actor);
  Status AddNote(std::int64_t id, const std::string& actor, const std::string& text);
  // Something a responder did ("restarted api-7", "failed over db"), for the timeline.
  Status RecordAction(std::int64_t id, const std::string& actor, const std::string& text);
  Status EditPostmortem(std::int64_t id, const std::string& markdown, const std::string& actor);
  Result<int> AddActionItem(std::int64_t id, const std::string& text, const std::string& owner,
                            const std::string& actor);
  Status SetActionItemDone(std::int64_t id, int item, bool done, const std::string& actor);

  // What became of a deferred page (PageSender::deferred) to one receiver: clears it
  // from the page's `pending` count and, on failure, adds "receiver: error" to the
  // page's error and "page to USERS via RECEIVER failed: ..." to the timeline.
  Status RecordPageResult(std::int64_t id, std::size_t page_index, const std::string& receiver,
                          const Status& result);

  // Pages every escalation step due now and re-triggers acknowledgements that timed
  // out. The server calls it on a timer (every few seconds, or at NextDue()).
  void Tick();
  // The earliest time Tick() has something to do; nullopt when nothing is scheduled.
  std::optional<std::int64_t> NextDue() const;

  Result<Incident> Get(std::int64_t id) const;
  // Which incidents a list shows: all filters optional; with a limit, the newest first
  // (by id), at most `limit` of them with an id below `before_id` (0: from the newest),
  // so a client pages back with the last id it got. Without one, every match by id.
  struct ListFilter {
    bool open_only = false;
    std::optional<int> severity;
    std::optional<State> state;
    std::int64_t before_id = 0;
    std::size_t limit = 0;  // 0: no limit
  };
  std::vector<Incident> List(const ListFilter& filter) const;
  // Who is on call in `schedule` at t_ms ("" when nobody); NotFound for no such schedule.
  Result<std::string> OnCallAt(const std::string& schedule, std::int64_t t_ms) const;
  // The schedules' names in config order.
  std::vector<std::string> ScheduleNames() const;
  // Copies of every compiled schedule, in config order, from one locked read (so a
  // reload cannot make a name vanish between two calls). Work on them needs no lock.
  std::vector<Schedule> ScheduleSnapshot() const;
  // The next `max` handoffs of `schedule` within `horizon_ms` after t_ms (computed on
  // a copy, outside the lock: it samples the schedule ~1,400 times over 14 days).
  Result<std::vector<Handoff>> HandoffsAfter(const std::string& schedule, std::int64_t t_ms,
                                             std::int64_t horizon_ms, std::size_t max) const;
  // A reload, in two steps so that nothing changes unless the whole reload succeeds.
  // PrepareConfig compiles the schedules and checks that every open incident's policy
  // (kept from when it opened) still names only schedules and users the new config
  // has: a level would otherwise page nobody. It fails naming the incident, policy,
  // level and missing name, and changes nothing. CommitConfig swaps it in: new
  // severity rules, response times, users, schedules, policies and business hours for
  // what happens from now on; open incidents keep their policy and timers.
  // `time_intervals` may be null (P4 pages at once). Drills never block a reload.
  // CommitConfig returns the same findings for incidents opened between the two steps
  // (it cannot refuse any more: the caller logs them).
  Result<PreparedConfig> PrepareConfig(
      const config::IncidentsConfig& cfg,
      std::shared_ptr<const alerting::TimeIntervals> time_intervals) const;
  std::vector<std::string> CommitConfig(PreparedConfig prepared);
  // Prepare then commit.
  Status ApplyConfig(const config::IncidentsConfig& cfg,
                     std::shared_ptr<const alerting::TimeIntervals> time_intervals);
  // Index 0 = P1.
  std::array<SeverityFigures, config::kIncidentSeverities> Figures() const;
  // The severity's response time (configured, else the guide's table).
  std::int64_t ResponseTimeMs(int severity) const;
  // Acknowledged later than its response time, or not yet and already late at now_ms.
  bool ResponseBreached(const Incident& inc, std::int64_t now_ms) const;
  // hastewatch_incidents_open, _mtta_seconds, _mttr_seconds, _response_breaches by severity.
  void RegisterMetrics(metrics::Registry& registry);

 private:
  IncidentManager(ManagerOptions options, IncidentStore store, Schedules schedules);

  // Applies fn to a copy of incident id, saves it, then keeps it.
  Status Mutate(std::int64_t id, const std::function<Status(Incident&)>& fn);  // requires mu_
  Result<std::int64_t> Create(Incident inc);                                   // requires mu_
  std::optional<config::EscalationPolicyConfig> PolicyFor(int severity) const;
  void TickLocked();  // requires mu_
  std::int64_t ResponseTimeMsLocked(int severity) const;                         // requires mu_
  bool ResponseBreachedLocked(const Incident& inc, std::int64_t now_ms) const;  // requires mu_

  // The config, schedules and escalator change on reload (ApplyConfig): read and
  // replaced under mu_ only.
  ManagerOptions options_;
  IncidentStore store_;
  Schedules schedules_;
  Escalator escalator_;
  std::shared_ptr<const alerting::TimeIntervals> reloaded_intervals_;  // set by ApplyConfig
  mutable std::mutex mu_;
  std::map<std::int64_t, Incident> incidents_;  // guarded by mu_
  std::int64_t next_id_ = 1;                    // guarded by mu_
};

}  // namespace hw::incidents
