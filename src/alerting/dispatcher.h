// Dispatcher: turns alerts into notifications, once, through the right receivers —
// Alertmanager's dispatcher and notification pipeline, with hastewatch's additions.
//
//   Send(alerts)     store (merge by fingerprint; an alert without an end gets
//                    now + resolve_timeout), route (RouteTree), add to the aggregation
//                    group <route key>:<group labels> of every matching route
//   group timing     first flush group_wait after the group appears, then every
//                    group_interval
//   flush pipeline   inhibited and silenced alerts dropped; mute_time_intervals
//                    active: nothing sent; outside active_time_intervals: held until
//                    the next active time (or dropped with outside_active_intervals:
//                    drop), then sent if still firing or summarised ("fired and
//                    resolved outside ...") if not; flapping alerts (more than
//                    flap_detection.max_changes state changes in its window) left out
//                    and announced once in a "flapping" notification; per integration,
//                    Alertmanager's dedup against the notification log (new firing
//                    alerts, resolved ones with send_resolved, or repeat_interval
//                    passed); delivery with retries (exponential backoff from 1 s to
//                    1 min, until it succeeds or the group changes); success written
//                    to the notification log.
//
// Nothing is lost across a restart: alerts, the notification log, held groups and
// deliveries awaiting a retry are in the state database (StateDb); a restarted
// dispatcher rebuilds its groups and the log keeps it from re-notifying.
//
// Time comes from the injected Clock. Tick() does everything due at the clock's now
// (tests step through group_wait, repeat_interval or a weekend by moving a FakeClock
// and calling Tick); Run() starts a thread that calls Tick when work is due.
//
// Thread-safety: every method may be called from any thread. Deliveries run without
// the lock, concurrently per integration.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "alerting/inhibit.h"
#include "alerting/notification.h"
#include "alerting/route.h"
#include "alerting/silences.h"
#include "alerting/state_db.h"
#include "alerting/time_interval.h"
#include "base/clock.h"
#include "base/logger.h"
#include "base/metrics.h"
#include "config/notifications.h"
#include "model/alert.h"

namespace hw::alerting {

// Builds the integrations of one receiver (BuildIntegrations in production; tests pass
// fakes).
using IntegrationFactory = std::function<Result<std::vector<std::shared_ptr<Integration>>>(
    const config::ReceiverConfig& receiver)>;

struct DispatcherOptions {
  const Clock* clock = nullptr;      // required
  Logger* log = nullptr;             // required
  metrics::Registry* registry = nullptr;  // optional
  StateDb* db = nullptr;             // required
  Silences* silences = nullptr;      // required
  std::string external_url;
  std::int64_t retry_initial_ms = 1'000;
  std::int64_t retry_max_ms = 60'000;
  std::int64_t resolved_retention_ms = 3'600'000;  // resolved alerts kept for the API
};

// How the dispatcher sees one alert now (the API's view).
struct AlertStatus {
  model::Alert alert;
  std::uint64_t fingerprint = 0;
  std::int64_t updated_at_ms = 0;
  std::vector<std::string> receivers;
  std::vector<std::string> silenced_by;       // silence ids
  std::vector<std::uint64_t> inhibited_by;    // fingerprints
  // "active", "suppressed" (silenced or inhibited), or "unprocessed" (not yet routed).
  std::string state;
  bool resolved = false;
};

struct GroupStatus {
  model::Labels labels;
  std::string receiver;
  std::string key;
  std::vector<AlertStatus> alerts;
};

// What would happen to an alert with these labels now (test-alert, routes).
struct Explanation {
  struct RouteResult {
    std::string route_key;
    std::string receiver;
    std::string group_key;
    // "" when it would be sent; else why not: "muted by time interval X",
    // "held until <time>: outside active time intervals X", ...
    std::string time_interval;
  };
  std::vector<RouteResult> routes;
  std::vector<std::string> silenced_by;
  std::vector<std::uint64_t> inhibited_by;
};

// Where the notification of one alert stands, per receiver integration.
struct DeliveryState {
  std::string receiver;
  std::string integration;  // "webhook[0]", "email[1]", ...
  std::string group_key;
  // "delivered" (the log has it), "retrying" (a delivery failed; next attempt at
  // next_at_ms), "waiting" (group_wait/group_interval, or held outside active time
  // intervals, until next_at_ms), or "suppressed" (silenced or inhibited).
  std::string state;
  std::int64_t at_ms = 0;       // delivered at
  std::int64_t next_at_ms = 0;  // next flush or retry
  int attempts = 0;
  std::string last_error;
};

// Per alertname counts for the guide's quarterly "alert effectiveness review".
struct AlertEffectiveness {
  std::int64_t fired = 0;             // times it started firing
  std::int64_t notifications = 0;     // notifications delivered that carried it
  double firing_seconds = 0;          // time spent firing (resolved instances)
  std::int64_t silenced = 0;          // flushes in which a silence held it back
  std::int64_t flapping = 0;          // times it was found flapping
};

class Dispatcher : public model::AlertSink {
 public:
  static Result<std::unique_ptr<Dispatcher>> Create(DispatcherOptions options);
  ~Dispatcher() override;

  // Replaces routes, receivers, inhibition and time intervals. On error nothing
  // changes. Alerts are kept and routed again into fresh groups (the notification
  // log keeps them from being sent twice).
  Status ApplyConfig(const config::NotificationsConfig& cfg, IntegrationFactory factory);

  void Send(std::vector<model::Alert> alerts) override;
  // Does everything due now; returns when its deliveries have finished.
  void Tick();
  // When Tick next has something to do (ms; INT64_MAX when nothing is scheduled).
  std::int64_t NextDue() const;
  void Run();
  void Stop();

  std::vector<AlertStatus> Alerts() const;
  std::vector<GroupStatus> Groups() const;
  std::vector<std::string> Receivers() const;
  Explanation Explain(const model::Labels& labels) const;
  std::map<std::string, AlertEffectiveness> Effectiveness() const;

  // Called at each flush of a group that has firing alerts (after silences and
  // inhibition), under the dispatcher's lock: incidents open from paging groups
  // through it. The annotations it returns are added to the firing alerts of the
  // notification this flush sends (the incident's signed links), replacing an
  // alert's own of the same name. The observer must not call back into the dispatcher.
  using GroupObserver = std::function<std::map<std::string, std::string>(
      const std::string& group_key, const std::string& receiver,
      const std::vector<model::Alert>& alerts)>;
  void SetGroupObserver(GroupObserver observer);
  // Delivers `n` to every integration of receiver `name` now, outside the groups and
  // the notification log (incident pages). The first failure, if any.
  Status NotifyReceiver(const std::string& name, Notification n);
  std::vector<DeliveryState> Deliveries(std::uint64_t fingerprint) const;
  std::size_t PendingDeliveries() const;

 private:
  struct Impl;
  explicit Dispatcher(std::unique_ptr<Impl> impl);
  // Tick's work; with wait false (the Run thread) deliveries finish on their own.
  void Step(bool wait);
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
};

}  // namespace hw::alerting
