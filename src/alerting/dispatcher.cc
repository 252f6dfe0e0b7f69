#include "alerting/dispatcher.h"

#include <algorithm>
#include <deque>
#include <future>
#include <limits>

#include <fmt/format.h>

#include "alerting/alert_json.h"
#include "base/units.h"

namespace hw::alerting {
namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

using FpSet = std::set<std::uint64_t>;

std::string FpSetText(const FpSet& s) {
  std::string out;
  for (std::uint64_t fp : s) {
    if (!out.empty()) out += ',';
    out += model::FingerprintHex(fp);
  }
  return out;
}

FpSet ParseFpSet(const std::string& text) {
  FpSet out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t comma = text.find(',', i);
    if (comma == std::string::npos) comma = text.size();
    out.insert(std::stoull(text.substr(i, comma - i), nullptr, 16));
    i = comma + 1;
  }
  return out;
}

bool Subset(const FpSet& small, const FpSet& big) {
  return std::includes(big.begin(), big.end(), small.begin(), small.end());
}

// Where a delivery's outcome is logged: one notification log entry per receiver,
// aggregation group and integration (Alertmanager's nflog key).
std::string LogKey(const std::string& receiver, const std::string& group_key, std::size_t integration) {
  return fmt::format("{}\x1f{}\x1f{}", receiver, group_key, integration);
}

struct LogEntry {
  FpSet firing;
  FpSet resolved;
  std::int64_t at = 0;
};

// Alertmanager's DedupStage.needsUpdate.
bool NeedsUpdate(const LogEntry* entry, const FpSet& firing, const FpSet& resolved,
                 bool send_resolved, std::int64_t repeat_ms, std::int64_t now) {
  if (entry == nullptr) return !firing.empty();
  if (!Subset(firing, entry->firing)) return true;
  // All resolved: tell receivers that knew about firing alerts (clears the log too).
  if (firing.empty()) return !entry->firing.empty();
  if (send_resolved && !Subset(resolved, entry->resolved)) return true;
  return entry->at <= now - repeat_ms;
}

}  // namespace

struct Dispatcher::Impl {
  struct StoredAlert {
    model::Alert alert;
    std::int64_t updated_at = 0;
    bool timeout = false;  // endsAt came from resolve_timeout
  };
  struct Receiver {
    config::ReceiverConfig config;
    std::vector<std::shared_ptr<Integration>> integrations;
  };
  // Everything ApplyConfig builds; replaced as a whole.
  struct Setup {
    config::NotificationsConfig cfg;
    std::optional<RouteTree> routes;
    std::optional<TimeIntervals> intervals;
    Inhibitor inhibitor;
    std::map<std::string, Receiver> receivers;
  };
  struct Group {
    std::string key;
    std::string receiver;
    const Route* route = nullptr;
    model::Labels labels;
    FpSet fps;
    std::int64_t next_flush = 0;
  };
  struct Delivery {
    std::string log_key;
    std::string receiver;
    std::string group_key;
    std::shared_ptr<Integration> integration;
    Notification notification;
    FpSet firing;
    FpSet resolved;
    int attempts = 0;
    std::int64_t next_at = 0;
    std::string last_error;
    std::uint64_t seq = 0;  // tells a snapshot from a newer one for the same key
  };

  DispatcherOptions options;
  mutable std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  bool woken = false;
  std::shared_ptr<const Setup> setup;                 // guarded by mu
  std::map<std::uint64_t, StoredAlert> alerts;        // guarded by mu
  std::map<std::string, Group> groups;                // guarded by mu
  std::map<std::string, LogEntry> nflog;              // guarded by mu
  std::map<std::string, std::int64_t> held;           // receiver\x1fgroup key -> since
  std::map<std::string, Delivery> pending;            // by log key: awaiting a retry
  std::set<std::string> in_flight;                    // log keys being delivered now
  std::vector<std::future<void>> running;             // asynchronous deliveries
  std::uint64_t next_seq = 1;
  std::map<std::uint64_t, std::deque<std::int64_t>> transitions;  // for flap detection
  std::map<std::uint64_t, std::int64_t> flap_announced;
  std::map<std::string, AlertEffectiveness> effectiveness;
  Dispatcher::GroupObserver observer;

  metrics::CounterFamily* sent = nullptr;
  metrics::CounterFamily* failed = nullptr;
  metrics::HistogramFamily* latency = nullptr;

  std::int64_t Now() const { return options.clock->NowMillis(); }

  // --- persistence (the caller holds mu; these take the database lock) ---------------
  Status CreateTables() {
    auto lock = options.db->Lock();
    return options.db->db().Exec(R"(
      CREATE TABLE IF NOT EXISTS notify_alerts (fingerprint TEXT PRIMARY KEY,
        alert TEXT NOT NULL, updated_at INTEGER NOT NULL, timeout INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS notify_log (key TEXT PRIMARY KEY, firing TEXT NOT NULL,
        resolved TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS notify_held (key TEXT PRIMARY KEY, since INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS notify_pending (key TEXT PRIMARY KEY, receiver TEXT NOT NULL,
        group_key TEXT NOT NULL, integration INTEGER NOT NULL, alerts TEXT NOT NULL,
        group_labels TEXT NOT NULL, firing TEXT NOT NULL, resolved TEXT NOT NULL,
        kind INTEGER NOT NULL, note TEXT NOT NULL, attempts INTEGER NOT NULL,
        next_at INTEGER NOT NULL))");
  }

  void Persist(std::string_view sql, const std::function<void(Sqlite::Statement&)>& bind) {
    auto lock = options.db->Lock();
    Result<Sqlite::Statement> st = options.db->db().Prepare(sql);
    Status s = st.ok() ? (bind(*st), st->Run()) : st.status();
    if (!s.ok()) options.log->Error("cannot write notification state", {{"error", s.message()}});
  }

  void StoreAlert(const StoredAlert& a) {
    const std::string json = PostableAlertsJson(std::span<const model::Alert>(&a.alert, 1));
    Persist("INSERT OR REPLACE INTO notify_alerts VALUES (?1, ?2, ?3, ?4)", [&](auto& st) {
      st.Bind(1, model::FingerprintHex(model::AlertFingerprint(a.alert.labels)))
          .Bind(2, json)
          .Bind(3, a.updated_at)
          .Bind(4, a.timeout ? 1 : 0);
    });
  }
  void StoreLog(const std::string& key, const LogEntry& e) {
    Persist("INSERT OR REPLACE INTO notify_log VALUES (?1, ?2, ?3, ?4)", [&](auto& st) {
      st.Bind(1, key).Bind(2, FpSetText(e.firing)).Bind(3, FpSetText(e.resolved)).Bind(4, e.at);
    });
  }
  void StoreHeld(const std::string& key, std::int64_t since) {
    if (since == 0) {
      Persist("DELETE FROM notify_held WHERE key = ?1", [&](auto& st) { st.Bind(1, key); });
    } else {
      Persist("INSERT OR REPLACE INTO notify_held VALUES (?1, ?2)",
              [&](auto& st) { st.Bind(1, key).Bind(2, since); });
    }
  }
  void StorePending(const Delivery& d, std::size_t integration) {
    const std::vector<model::Alert>& as = d.notification.alerts;
    Persist("INSERT OR REPLACE INTO notify_pending VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
            [&](auto& st) {
              model::Alert group;
              group.labels = d.notification.group_labels;
              st.Bind(1, d.log_key)
                  .Bind(2, d.receiver)
                  .Bind(3, d.group_key)
                  .Bind(4, static_cast<std::int64_t>(integration))
                  .Bind(5, PostableAlertsJson(as))
                  .Bind(6, PostableAlertsJson(std::span<const model::Alert>(&group, 1)))
                  .Bind(7, FpSetText(d.firing))
                  .Bind(8, FpSetText(d.resolved))
                  .Bind(9, static_cast<int>(d.notification.kind))
                  .Bind(10, d.notification.note)
                  .Bind(11, d.attempts)
                  .Bind(12, d.next_at);
            });
  }
  void DropPending(const std::string& key) {
    Persist("DELETE FROM notify_pending WHERE key = ?1", [&](auto& st) { st.Bind(1, key); });
  }

  Status Load() {
    auto lock = options.db->Lock();
    Sqlite& db = options.db->db();
    Result<Sqlite::Statement> q = db.Prepare("SELECT alert, updated_at, timeout FROM notify_alerts");
    if (!q.ok()) return q.status();
    while (q->Step()) {
      Result<std::vector<model::Alert>> a = ParsePostableAlerts(q->Text(0));
      if (!a.ok() || a->size() != 1) continue;
      StoredAlert s{std::move((*a)[0]), q->Int(1), q->Int(2) != 0};
      alerts[model::AlertFingerprint(s.alert.labels)] = std::move(s);
    }
    q = db.Prepare("SELECT key, firing, resolved, at FROM notify_log");
    if (!q.ok()) return q.status();
    while (q->Step()) nflog[q->Text(0)] = {ParseFpSet(q->Text(1)), ParseFpSet(q->Text(2)), q->Int(3)};
    q = db.Prepare("SELECT key, since FROM notify_held");
    if (!q.ok()) return q.status();
    while (q->Step()) held[q->Text(0)] = q->Int(1);
    q = db.Prepare(
        "SELECT key, receiver, group_key, integration, alerts, group_labels, firing, resolved, "
        "kind, note, attempts, next_at FROM notify_pending");
    if (!q.ok()) return q.status();
    while (q->Step()) {
      Delivery d;
      d.log_key = q->Text(0);
      d.receiver = q->Text(1);
      d.group_key = q->Text(2);
      Result<std::vector<model::Alert>> as = ParsePostableAlerts(q->Text(4));
      Result<std::vector<model::Alert>> gl = ParsePostableAlerts(q->Text(5));
      if (!as.ok()) continue;
      d.notification.alerts = std::move(as).value();
      if (gl.ok() && gl->size() == 1) d.notification.group_labels = (*gl)[0].labels;
      d.notification.receiver = d.receiver;
      d.notification.group_key = d.group_key;
      d.notification.kind = static_cast<Notification::Kind>(q->Int(8));
      d.notification.note = q->Text(9);
      d.firing = ParseFpSet(q->Text(6));
      d.resolved = ParseFpSet(q->Text(7));
      d.attempts = static_cast<int>(q->Int(10));
      d.next_at = q->Int(11);
      pending[d.log_key] = std::move(d);
    }
    return Status::Ok();
  }

  // --- routing and flushing (mu held) ------------------------------------------------
  void Route(std::uint64_t fp, const model::Labels& labels, std::int64_t now) {
    if (!setup || !setup->routes) return;
    for (const alerting::Route* r : setup->routes->Match(labels)) {
      model::Labels gl = r->GroupLabels(labels);
      std::string key = r->GroupKey(gl);
      auto [it, created] = groups.try_emplace(r->receiver + "\x1f" + key);
      Group& g = it->second;
      if (created) {
        g.key = key;
        g.receiver = r->receiver;
        g.route = r;
        g.labels = gl;
        g.next_flush = now + r->group_wait_ms;
      }
      g.fps.insert(fp);
    }
  }

  bool Flapping(std::uint64_t fp, std::int64_t now) {
    const config::FlapDetectionConfig& fd = setup->cfg.flap_detection;
    if (fd.max_changes <= 0) return false;
    auto it = transitions.find(fp);
    if (it == transitions.end()) return false;
    while (!it->second.empty() && it->second.front() < now - fd.window.count()) it->second.pop_front();
    return static_cast<int>(it->second.size()) > fd.max_changes;
  }

  Notification MakeNotification(const Group& g, std::vector<model::Alert> list, std::int64_t now) {
    // Firing first, then resolved, each by labels.
    std::sort(list.begin(), list.end(), [now](const model::Alert& a, const model::Alert& b) {
      const bool ra = a.ResolvedAt(now), rb = b.ResolvedAt(now);
      if (ra != rb) return !ra;
      return a.labels < b.labels;
    });
    // As Alertmanager exposes alerts to receivers: a firing alert has no end yet.
    for (model::Alert& a : list) {
      if (!a.ResolvedAt(now)) a.ends_at_ms = 0;
    }
    Notification n;
    n.receiver = g.receiver;
    n.group_key = g.key;
    n.group_labels = g.labels;
    n.alerts = std::move(list);
    n.now_ms = now;
    n.external_url = options.external_url;
    return n;
  }

  void Flush(Group& g, const Inhibitor::Snapshot& inhibition, std::int64_t now,
             std::vector<Delivery>* out) {
    const alerting::Route& route = *g.route;
    g.next_flush = now + route.group_interval_ms;
    auto recv = setup->receivers.find(g.receiver);
    if (recv == setup->receivers.end()) return;
    const std::string held_key = g.receiver + "\x1f" + g.key;

    std::vector<model::Alert> kept;
    FpSet considered_resolved;
    for (auto it = g.fps.begin(); it != g.fps.end();) {
      auto a = alerts.find(*it);
      if (a == alerts.end()) {
        it = g.fps.erase(it);
        continue;
      }
      const model::Alert& alert = a->second.alert;
      const bool resolved = alert.ResolvedAt(now);
      if (resolved) considered_resolved.insert(*it);
      ++it;
      if (!options.silences->Mutes(alert.labels, now).empty()) {
        if (!resolved) ++effectiveness[std::string(alert.labels.Get("alertname"))].silenced;
        continue;
      }
      if (!inhibition.InhibitedBy(alert.labels).empty()) continue;
      kept.push_back(alert);
    }
    if (observer && std::any_of(kept.begin(), kept.end(),
                                [now](const model::Alert& a) { return !a.ResolvedAt(now); })) {
      observer(g.key, kept);
    }
    auto forget_resolved = [&] {
      for (std::uint64_t fp : considered_resolved) g.fps.erase(fp);
    };

    const TimeIntervals& intervals = *setup->intervals;
    if (!route.mute_time_intervals.empty() && intervals.AnyActive(route.mute_time_intervals, now)) {
      forget_resolved();
      return;
    }
    auto held_it = held.find(held_key);
    const std::int64_t held_since = held_it == held.end() ? 0 : held_it->second;
    if (!route.active_time_intervals.empty() &&
        !intervals.AnyActive(route.active_time_intervals, now)) {
      if (!route.hold_outside_active) {
        forget_resolved();
        return;
      }
      const bool any_firing = std::any_of(kept.begin(), kept.end(),
                                          [now](const model::Alert& a) { return !a.ResolvedAt(now); });
      if (any_firing && held_since == 0) {
        held[held_key] = now;
        StoreHeld(held_key, now);
      }
      if (std::optional<std::int64_t> next = intervals.NextActive(route.active_time_intervals, now)) {
        g.next_flush = std::max(*next, now + 1);
      }
      return;  // resolved alerts stay for the summary
    }

    // Flapping alerts are announced once per window instead of notified.
    std::vector<model::Alert> normal, flapping;
    for (model::Alert& a : kept) {
      const std::uint64_t fp = model::AlertFingerprint(a.labels);
      if (Flapping(fp, now)) {
        auto ann = flap_announced.find(fp);
        if (ann == flap_announced.end() || ann->second < now - setup->cfg.flap_detection.window.count()) {
          flap_announced[fp] = now;
          ++effectiveness[std::string(a.labels.Get("alertname"))].flapping;
          flapping.push_back(a);
        }
        continue;
      }
      normal.push_back(std::move(a));
    }

    FpSet firing, resolved;
    for (const model::Alert& a : normal) {
      (a.ResolvedAt(now) ? resolved : firing).insert(model::AlertFingerprint(a.labels));
    }
    const bool summary = held_since != 0 && firing.empty() && !resolved.empty();
    const auto& integrations = recv->second.integrations;
    for (std::size_t i = 0; i < integrations.size(); ++i) {
      const std::shared_ptr<Integration>& integ = integrations[i];
      const std::string key = LogKey(g.receiver, g.key, i);
      if (!flapping.empty()) {
        Notification n = MakeNotification(g, flapping, now);
        n.kind = Notification::Kind::kFlapping;
        n.note = fmt::format("{} alert(s) changed state more than {} times in {}; further changes "
                             "are held back until they settle",
                             flapping.size(), setup->cfg.flap_detection.max_changes,
                             FormatDuration(setup->cfg.flap_detection.window));
        out->push_back({key + "\x1f" "flap", g.receiver, g.key, integ, std::move(n), {}, {}, 0, now, "",
                        next_seq++});
      }
      auto entry = nflog.find(key);
      const LogEntry* prev = entry == nflog.end() ? nullptr : &entry->second;
      if (!summary &&
          !NeedsUpdate(prev, firing, resolved, integ->send_resolved(), route.repeat_interval_ms, now)) {
        continue;
      }
      std::vector<model::Alert> list;
      for (const model::Alert& a : normal) {
        if (!a.ResolvedAt(now) || integ->send_resolved() || summary) list.push_back(a);
      }
      Delivery d{key, g.receiver, g.key, integ, MakeNotification(g, std::move(list), now),
                 firing, resolved, 0, now, "", 0};
      if (summary) {
        d.notification.kind = Notification::Kind::kHeldSummary;
        d.notification.note = fmt::format(
            "fired and resolved outside the route's active time intervals ({}), between {} and {}",
            fmt::join(route.active_time_intervals, ", "), FormatRfc3339Millis(held_since),
            FormatRfc3339Millis(now));
      }
      if (d.notification.alerts.empty()) {
        // Nothing this integration wants to hear (resolved only, send_resolved off):
        // logged as Alertmanager does, so the firing alerts leave the log.
        LogEntry e{firing, resolved, now};
        nflog[key] = e;
        StoreLog(key, e);
        continue;
      }
      d.seq = next_seq++;
      if (auto p = pending.find(key); p != pending.end()) {
        // A retry is due for this integration: it will carry the newer state.
        d.attempts = p->second.attempts;
        d.next_at = p->second.next_at;
        p->second = d;
        StorePending(d, i);
        continue;
      }
      if (in_flight.contains(key)) {
        // Still delivering the previous state: this one goes next.
        StorePending(d, i);
        pending[key] = std::move(d);
        continue;
      }
      out->push_back(std::move(d));
    }
    if (held_since != 0) {
      held.erase(held_key);
      StoreHeld(held_key, 0);
    }
    forget_resolved();
  }

  // Records a delivery's outcome (mu held).
  void Finish(Delivery d, const Status& s, double seconds, std::int64_t now) {
    in_flight.erase(d.log_key);
    const std::string integ(d.integration->kind());
    latency->With(integ).Observe(seconds);
    const bool flap_notice = d.log_key.ends_with("\x1f" "flap");
    std::size_t index = 0;
    if (!flap_notice) index = std::stoul(d.log_key.substr(d.log_key.rfind('\x1f') + 1));
    if (s.ok()) {
      sent->With(d.receiver, integ).Inc();
      for (const model::Alert& a : d.notification.alerts) {
        ++effectiveness[std::string(a.labels.Get("alertname"))].notifications;
      }
      if (!flap_notice) {
        LogEntry e{d.firing, d.resolved, now};
        nflog[d.log_key] = e;
        StoreLog(d.log_key, e);
        // A newer state queued meanwhile stays queued.
        auto p = pending.find(d.log_key);
        if (p != pending.end() && p->second.seq == d.seq) {
          pending.erase(p);
          DropPending(d.log_key);
        }
      }
      return;
    }
    const bool retry = s.code() == StatusCode::kUnavailable || s.code() == StatusCode::kTimeout;
    failed->With(d.receiver, integ, retry ? "retrying" : "permanent").Inc();
    options.log->Error("notification failed",
                       {{"receiver", d.receiver}, {"integration", integ}, {"groupKey", d.group_key},
                        {"attempt", d.attempts + 1}, {"retry", retry}, {"error", s.message()}});
    auto p = pending.find(d.log_key);
    const bool newer_queued = p != pending.end() && p->second.seq != d.seq;
    if (!retry || flap_notice) {
      if (p != pending.end() && !newer_queued) {
        pending.erase(p);
        DropPending(d.log_key);
      }
      return;
    }
    // The next attempt carries the newest state queued for this key.
    Delivery next = newer_queued ? std::move(p->second) : std::move(d);
    next.attempts = (newer_queued ? d.attempts : next.attempts) + 1;
    next.last_error = s.message();
    std::int64_t backoff = options.retry_initial_ms;
    for (int i = 1; i < next.attempts && backoff < options.retry_max_ms; ++i) backoff *= 2;
    next.next_at = now + std::min(backoff, options.retry_max_ms);
    StorePending(next, index);
    pending[next.log_key] = std::move(next);
  }

  void Gc(std::int64_t now) {
    for (auto it = alerts.begin(); it != alerts.end();) {
      const model::Alert& a = it->second.alert;
      if (a.ResolvedAt(now) && a.ends_at_ms < now - options.resolved_retention_ms) {
        bool grouped = std::any_of(groups.begin(), groups.end(),
                                   [&](const auto& g) { return g.second.fps.contains(it->first); });
        if (!grouped) {
          const std::string fp = model::FingerprintHex(it->first);
          Persist("DELETE FROM notify_alerts WHERE fingerprint = ?1", [&](auto& st) { st.Bind(1, fp); });
          transitions.erase(it->first);
          it = alerts.erase(it);
          continue;
        }
      }
      ++it;
    }
    for (auto it = groups.begin(); it != groups.end();) {
      it = it->second.fps.empty() ? groups.erase(it) : std::next(it);
    }
  }

  std::vector<model::Alert> FiringAlerts(std::int64_t now) const {
    std::vector<model::Alert> out;
    for (const auto& [fp, a] : alerts) {
      if (!a.alert.ResolvedAt(now)) out.push_back(a.alert);
    }
    return out;
  }
};

Result<std::unique_ptr<Dispatcher>> Dispatcher::Create(DispatcherOptions options) {
  if (options.clock == nullptr || options.log == nullptr || options.db == nullptr ||
      options.silences == nullptr) {
    return Status::Internal("dispatcher: clock, log, db and silences are required");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  static metrics::Registry unused;
  metrics::Registry& r = options.registry != nullptr ? *options.registry : unused;
  impl->sent = &r.Counter("hastewatch_notifications_total",
                          "Notifications delivered, by receiver and integration.",
                          {"receiver", "integration"});
  impl->failed = &r.Counter("hastewatch_notifications_failed_total",
                            "Notification attempts that failed (retrying or permanent).",
                            {"receiver", "integration", "reason"});
  impl->latency = &r.Histogram("hastewatch_notification_latency_seconds",
                               "Time to deliver one notification.", {"integration"},
                               {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30});
  HW_RETURN_IF_ERROR(impl->CreateTables());
  HW_RETURN_IF_ERROR(impl->Load());
  std::unique_ptr<Dispatcher> d(new Dispatcher(std::move(impl)));
  if (options.registry != nullptr) {
    Impl* p = d->impl_.get();
    options.registry->AddCollector([p](metrics::TextWriter& w) {
      std::lock_guard lock(p->mu);
      const std::int64_t now = p->Now();
      std::int64_t firing = 0, resolved = 0;
      for (const auto& [fp, a] : p->alerts) (a.alert.ResolvedAt(now) ? resolved : firing)++;
      w.Family("hastewatch_alerts", "gauge", "Alerts the notifier holds, by state.");
      w.Sample("hastewatch_alerts", {"state"}, {"firing"}, static_cast<double>(firing));
      w.Sample("hastewatch_alerts", {"state"}, {"resolved"}, static_cast<double>(resolved));
      w.Family("hastewatch_notification_queue_length", "gauge",
               "Notifications awaiting a retry after a failed delivery.");
      w.Sample("hastewatch_notification_queue_length", static_cast<double>(p->pending.size()));
      w.Family("hastewatch_alert_groups", "gauge", "Aggregation groups.");
      w.Sample("hastewatch_alert_groups", static_cast<double>(p->groups.size()));
      const std::vector<std::string> names = {"alertname"};
      w.Family("hastewatch_alert_fired_total", "counter", "Times an alert started firing.");
      for (const auto& [n, e] : p->effectiveness) {
        w.Sample("hastewatch_alert_fired_total", names, {n}, static_cast<double>(e.fired));
      }
      w.Family("hastewatch_alert_notifications_total", "counter",
               "Notifications delivered that carried the alert.");
      for (const auto& [n, e] : p->effectiveness) {
        w.Sample("hastewatch_alert_notifications_total", names, {n}, static_cast<double>(e.notifications));
      }
      w.Family("hastewatch_alert_firing_seconds_total", "counter",
               "Time the alert's resolved instances spent firing.");
      for (const auto& [n, e] : p->effectiveness) {
        w.Sample("hastewatch_alert_firing_seconds_total", names, {n}, e.firing_seconds);
      }
      w.Family("hastewatch_alert_silenced_total", "counter",
               "Flushes in which a silence held the alert back.");
      for (const auto& [n, e] : p->effectiveness) {
        w.Sample("hastewatch_alert_silenced_total", names, {n}, static_cast<double>(e.silenced));
      }
      w.Family("hastewatch_alert_flapping_total", "counter", "Times the alert was found flapping.");
      for (const auto& [n, e] : p->effectiveness) {
        w.Sample("hastewatch_alert_flapping_total", names, {n}, static_cast<double>(e.flapping));
      }
    });
  }
  return d;
}

Dispatcher::Dispatcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Dispatcher::~Dispatcher() { Stop(); }

Status Dispatcher::ApplyConfig(const config::NotificationsConfig& cfg, IntegrationFactory factory) {
  auto setup = std::make_shared<Impl::Setup>();
  setup->cfg = cfg;
  Result<RouteTree> routes = RouteTree::Build(cfg.route);
  if (!routes.ok()) return routes.status().Wrap("notifications.route");
  setup->routes.emplace(std::move(routes).value());
  Result<TimeIntervals> intervals = TimeIntervals::Compile(cfg.time_intervals);
  if (!intervals.ok()) return intervals.status().Wrap("notifications.time_intervals");
  setup->intervals.emplace(std::move(intervals).value());
  Result<Inhibitor> inhibitor = Inhibitor::Compile(cfg.inhibit_rules);
  if (!inhibitor.ok()) return inhibitor.status().Wrap("notifications");
  setup->inhibitor = std::move(inhibitor).value();
  for (const config::ReceiverConfig& rc : cfg.receivers) {
    Result<std::vector<std::shared_ptr<Integration>>> integ = factory(rc);
    if (!integ.ok()) return integ.status().Wrap(fmt::format("receiver \"{}\"", rc.name));
    setup->receivers[rc.name] = {rc, std::move(integ).value()};
  }
  std::lock_guard lock(impl_->mu);
  const std::int64_t now = impl_->Now();
  impl_->setup = std::move(setup);
  impl_->groups.clear();
  for (const auto& [fp, a] : impl_->alerts) impl_->Route(fp, a.alert.labels, now);
  // Deliveries awaiting a retry go to the receiver's integration of the same index.
  for (auto it = impl_->pending.begin(); it != impl_->pending.end();) {
    Impl::Delivery& d = it->second;
    auto recv = impl_->setup->receivers.find(d.receiver);
    const std::size_t index = std::stoul(d.log_key.substr(d.log_key.rfind('\x1f') + 1));
    if (recv == impl_->setup->receivers.end() || index >= recv->second.integrations.size()) {
      impl_->DropPending(it->first);
      it = impl_->pending.erase(it);
      continue;
    }
    d.integration = recv->second.integrations[index];
    ++it;
  }
  impl_->woken = true;
  impl_->cv.notify_all();
  return Status::Ok();
}

void Dispatcher::Send(std::vector<model::Alert> in) {
  std::lock_guard lock(impl_->mu);
  const std::int64_t now = impl_->Now();
  const std::int64_t resolve_timeout =
      impl_->setup ? impl_->setup->cfg.global.resolve_timeout.count() : 5 * 60'000;
  for (model::Alert& a : in) {
    if (a.labels.empty()) continue;
    const std::uint64_t fp = model::AlertFingerprint(a.labels);
    Impl::StoredAlert stored;
    if (a.starts_at_ms == 0) a.starts_at_ms = now;
    if (a.ends_at_ms == 0) {
      a.ends_at_ms = now + resolve_timeout;
      stored.timeout = true;
    }
    const bool firing = !a.ResolvedAt(now);
    const std::string name(a.labels.Get("alertname"));
    auto old = impl_->alerts.find(fp);
    if (old != impl_->alerts.end()) {
      const model::Alert& prev = old->second.alert;
      const bool was_firing = !prev.ResolvedAt(now);
      // The same firing instance keeps its earliest start.
      if (was_firing && prev.starts_at_ms < a.starts_at_ms) a.starts_at_ms = prev.starts_at_ms;
      if (was_firing != firing) {
        impl_->transitions[fp].push_back(now);
        if (firing) ++impl_->effectiveness[name].fired;
        if (!firing) {
          impl_->effectiveness[name].firing_seconds += (a.ends_at_ms - a.starts_at_ms) / 1000.0;
        }
      }
    } else if (firing) {
      ++impl_->effectiveness[name].fired;
    }
    stored.alert = std::move(a);
    stored.updated_at = now;
    impl_->StoreAlert(stored);
    impl_->alerts[fp] = stored;
    impl_->Route(fp, stored.alert.labels, now);
  }
  impl_->woken = true;
  impl_->cv.notify_all();
}

void Dispatcher::Tick() { Step(/*wait=*/true); }

void Dispatcher::Step(bool wait) {
  std::vector<Impl::Delivery> work;
  {
    std::lock_guard lock(impl_->mu);
    if (!impl_->setup) return;
    const std::int64_t now = impl_->Now();
    // The inhibition index covers every firing alert: built only when a group is due.
    std::optional<Inhibitor::Snapshot> inhibition;
    for (auto& [id, g] : impl_->groups) {
      if (g.next_flush > now) continue;
      if (!inhibition) inhibition = impl_->setup->inhibitor.Index(impl_->FiringAlerts(now));
      impl_->Flush(g, *inhibition, now, &work);
    }
    for (auto& [key, d] : impl_->pending) {
      if (d.next_at <= now && d.integration && !impl_->in_flight.contains(key)) {
        Impl::Delivery retry = d;
        retry.notification.now_ms = now;
        work.push_back(std::move(retry));
      }
    }
    for (const Impl::Delivery& d : work) impl_->in_flight.insert(d.log_key);
    impl_->Gc(now);
    // Forget finished asynchronous deliveries.
    std::erase_if(impl_->running, [](std::future<void>& f) {
      return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    });
  }
  // Each delivery on its own thread: a slow receiver holds up nothing else. The
  // outcome is recorded when it finishes.
  std::vector<std::future<void>> started;
  for (Impl::Delivery& d : work) {
    Impl* impl = impl_.get();
    started.push_back(std::async(std::launch::async, [impl, d = std::move(d)]() mutable {
      const auto start = std::chrono::steady_clock::now();
      Status s = d.integration->Notify(d.notification);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::lock_guard lock(impl->mu);
      impl->Finish(std::move(d), s, seconds, impl->Now());
      impl->woken = true;
      impl->cv.notify_all();
    }));
  }
  if (wait) {
    for (auto& f : started) f.wait();
    return;
  }
  std::lock_guard lock(impl_->mu);
  for (auto& f : started) impl_->running.push_back(std::move(f));
}

std::int64_t Dispatcher::NextDue() const {
  std::lock_guard lock(impl_->mu);
  std::int64_t next = kNever;
  for (const auto& [id, g] : impl_->groups) next = std::min(next, g.next_flush);
  for (const auto& [key, d] : impl_->pending) next = std::min(next, d.next_at);
  return next;
}

void Dispatcher::Run() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(impl_->mu);
    impl_->stop = false;
  }
  thread_ = std::thread([this] {
    while (true) {
      Step(/*wait=*/false);
      const std::int64_t due = NextDue();
      std::unique_lock lock(impl_->mu);
      if (impl_->stop) return;
      const std::int64_t wait = std::clamp<std::int64_t>(due - impl_->Now(), 1, 1'000);
      impl_->cv.wait_for(lock, std::chrono::milliseconds(wait),
                         [this] { return impl_->stop || impl_->woken; });
      impl_->woken = false;
      if (impl_->stop) return;
    }
  });
}

void Dispatcher::Stop() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stop = true;
    impl_->cv.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  // Deliveries in flight finish (each within its integration's timeout); what they
  // do not complete stays pending in state.db.
  std::vector<std::future<void>> running;
  {
    std::lock_guard lock(impl_->mu);
    running.swap(impl_->running);
  }
  for (auto& f : running) f.wait();
}

std::vector<AlertStatus> Dispatcher::Alerts() const {
  std::lock_guard lock(impl_->mu);
  const std::int64_t now = impl_->Now();
  std::vector<AlertStatus> out;
  const std::vector<model::Alert> firing = impl_->FiringAlerts(now);
  std::optional<Inhibitor::Snapshot> inhibition;
  if (impl_->setup) inhibition = impl_->setup->inhibitor.Index(firing);
  for (const auto& [fp, a] : impl_->alerts) {
    AlertStatus s;
    s.alert = a.alert;
    s.fingerprint = fp;
    s.updated_at_ms = a.updated_at;
    s.resolved = a.alert.ResolvedAt(now);
    if (impl_->setup && impl_->setup->routes) {
      for (const alerting::Route* r : impl_->setup->routes->Match(a.alert.labels)) {
        if (std::find(s.receivers.begin(), s.receivers.end(), r->receiver) == s.receivers.end()) {
          s.receivers.push_back(r->receiver);
        }
      }
    }
    s.silenced_by = impl_->options.silences->Mutes(a.alert.labels, now);
    if (inhibition) s.inhibited_by = inhibition->InhibitedBy(a.alert.labels);
    s.state = !impl_->setup ? "unprocessed"
              : (!s.silenced_by.empty() || !s.inhibited_by.empty()) ? "suppressed"
                                                                     : "active";
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<GroupStatus> Dispatcher::Groups() const {
  std::vector<AlertStatus> all = Alerts();
  std::map<std::uint64_t, const AlertStatus*> by_fp;
  for (const AlertStatus& a : all) by_fp[a.fingerprint] = &a;
  std::lock_guard lock(impl_->mu);
  std::vector<GroupStatus> out;
  for (const auto& [id, g] : impl_->groups) {
    GroupStatus gs{g.labels, g.receiver, g.key, {}};
    for (std::uint64_t fp : g.fps) {
      if (auto it = by_fp.find(fp); it != by_fp.end()) gs.alerts.push_back(*it->second);
    }
    if (!gs.alerts.empty()) out.push_back(std::move(gs));
  }
  return out;
}

std::vector<std::string> Dispatcher::Receivers() const {
  std::lock_guard lock(impl_->mu);
  std::vector<std::string> out;
  if (impl_->setup) {
    for (const auto& [name, r] : impl_->setup->receivers) out.push_back(name);
  }
  return out;
}

Explanation Dispatcher::Explain(const model::Labels& labels) const {
  std::lock_guard lock(impl_->mu);
  Explanation e;
  const std::int64_t now = impl_->Now();
  if (!impl_->setup || !impl_->setup->routes) return e;
  const Impl::Setup& s = *impl_->setup;
  for (const alerting::Route* r : s.routes->Match(labels)) {
    Explanation::RouteResult rr{r->key, r->receiver, r->GroupKey(r->GroupLabels(labels)), ""};
    if (!r->mute_time_intervals.empty() && s.intervals->AnyActive(r->mute_time_intervals, now)) {
      rr.time_interval = fmt::format("muted now by time interval {}", fmt::join(r->mute_time_intervals, ", "));
    } else if (!r->active_time_intervals.empty() &&
               !s.intervals->AnyActive(r->active_time_intervals, now)) {
      std::optional<std::int64_t> next = s.intervals->NextActive(r->active_time_intervals, now);
      rr.time_interval =
          r->hold_outside_active
              ? fmt::format("held until {}: outside active time intervals {}",
                            next ? FormatRfc3339Millis(*next) : std::string("never"),
                            fmt::join(r->active_time_intervals, ", "))
              : fmt::format("dropped: outside active time intervals {}",
                            fmt::join(r->active_time_intervals, ", "));
    }
    e.routes.push_back(std::move(rr));
  }
  e.silenced_by = impl_->options.silences->Mutes(labels, now);
  e.inhibited_by = s.inhibitor.Index(impl_->FiringAlerts(now)).InhibitedBy(labels);
  return e;
}

std::map<std::string, AlertEffectiveness> Dispatcher::Effectiveness() const {
  std::lock_guard lock(impl_->mu);
  return impl_->effectiveness;
}

std::vector<DeliveryState> Dispatcher::Deliveries(std::uint64_t fingerprint) const {
  std::lock_guard lock(impl_->mu);
  std::vector<DeliveryState> out;
  if (!impl_->setup) return out;
  const std::int64_t now = impl_->Now();
  auto alert = impl_->alerts.find(fingerprint);
  const bool suppressed =
      alert != impl_->alerts.end() &&
      (!impl_->options.silences->Mutes(alert->second.alert.labels, now).empty() ||
       !impl_->setup->inhibitor.Index(impl_->FiringAlerts(now)).InhibitedBy(alert->second.alert.labels).empty());
  for (const auto& [id, g] : impl_->groups) {
    if (!g.fps.contains(fingerprint)) continue;
    auto recv = impl_->setup->receivers.find(g.receiver);
    if (recv == impl_->setup->receivers.end()) continue;
    for (std::size_t i = 0; i < recv->second.integrations.size(); ++i) {
      DeliveryState d;
      d.receiver = g.receiver;
      d.integration = fmt::format("{}[{}]", recv->second.integrations[i]->kind(), i);
      d.group_key = g.key;
      const std::string key = LogKey(g.receiver, g.key, i);
      auto logged = impl_->nflog.find(key);
      auto pending = impl_->pending.find(key);
      if (suppressed) {
        d.state = "suppressed";
      } else if (logged != impl_->nflog.end() && logged->second.firing.contains(fingerprint)) {
        d.state = "delivered";
        d.at_ms = logged->second.at;
        d.next_at_ms = g.next_flush;
      } else if (pending != impl_->pending.end() && pending->second.firing.contains(fingerprint)) {
        d.state = "retrying";
        d.next_at_ms = pending->second.next_at;
        d.attempts = pending->second.attempts;
        d.last_error = pending->second.last_error;
      } else {
        d.state = "waiting";
        d.next_at_ms = g.next_flush;
      }
      out.push_back(std::move(d));
    }
  }
  return out;
}

void Dispatcher::SetGroupObserver(GroupObserver observer) {
  std::lock_guard lock(impl_->mu);
  impl_->observer = std::move(observer);
}

Status Dispatcher::NotifyReceiver(const std::string& name, Notification n) {
  std::vector<std::shared_ptr<Integration>> integrations;
  {
    std::lock_guard lock(impl_->mu);
    if (!impl_->setup) return Status::Unavailable("notifications are not configured");
    auto it = impl_->setup->receivers.find(name);
    if (it == impl_->setup->receivers.end()) {
      return Status::NotFound(fmt::format("no receiver \"{}\"", name));
    }
    integrations = it->second.integrations;
    n.receiver = name;
    n.now_ms = impl_->Now();
    n.external_url = impl_->options.external_url;
  }
  Status first;
  for (const auto& integ : integrations) {
    Status s = integ->Notify(n);
    std::lock_guard lock(impl_->mu);
    if (s.ok()) {
      impl_->sent->With(name, std::string(integ->kind())).Inc();
    } else {
      impl_->failed->With(name, std::string(integ->kind()), "permanent").Inc();
      if (first.ok()) first = s;
    }
  }
  return first;
}

std::size_t Dispatcher::PendingDeliveries() const {
  std::lock_guard lock(impl_->mu);
  return impl_->pending.size();
}

}  // namespace hw::alerting
