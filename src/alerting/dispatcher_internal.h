// The dispatcher's state and its flush pipeline, shared by dispatcher.cc (sending,
// persistence, the pipeline) and dispatcher_views.cc (what the API and CLI read).
// Internal to src/alerting: include only from those files.
#pragma once

#include <algorithm>
#include <deque>
#include <future>
#include <limits>

#include <fmt/format.h>

#include "alerting/alert_json.h"
#include "alerting/dispatcher.h"
#include "base/units.h"

namespace hw::alerting {
// Helpers of the dispatcher (dispatcher.cc, dispatcher_views.cc), not an interface.
namespace dispatcher_internal {

inline constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

using FpSet = std::set<std::uint64_t>;

inline std::string FpSetText(const FpSet& s) {
  std::string out;
  for (std::uint64_t fp : s) {
    if (!out.empty()) out += ',';
    out += model::FingerprintHex(fp);
  }
  return out;
}

inline FpSet ParseFpSet(const std::string& text) {
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

inline bool Subset(const FpSet& small, const FpSet& big) {
  return std::includes(big.begin(), big.end(), small.begin(), small.end());
}

// Where a delivery's outcome is logged: one notification log entry per receiver,
// aggregation group and integration (Alertmanager's nflog key).
inline std::string LogKey(const std::string& receiver, const std::string& group_key, std::size_t integration) {
  return fmt::format("{}\x1f{}\x1f{}", receiver, group_key, integration);
}

struct LogEntry {
  FpSet firing;
  FpSet resolved;
  std::int64_t at = 0;
};

// Alertmanager's DedupStage.needsUpdate.
inline bool NeedsUpdate(const LogEntry* entry, const FpSet& firing, const FpSet& resolved,
                 bool send_resolved, std::int64_t repeat_ms, std::int64_t now) {
  if (entry == nullptr) return !firing.empty();
  if (!Subset(firing, entry->firing)) return true;
  // All resolved: tell receivers that knew about firing alerts (clears the log too).
  if (firing.empty()) return !entry->firing.empty();
  if (send_resolved && !Subset(resolved, entry->resolved)) return true;
  return entry->at <= now - repeat_ms;
}

}  // namespace dispatcher_internal

using namespace dispatcher_internal;  // NOLINT: the Impl below is written in its terms

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
      const std::map<std::string, std::string> extra = observer(g.key, g.receiver, kept);
      for (model::Alert& a : kept) {
        if (a.ResolvedAt(now)) continue;
        // Replaced, not merged: an alert posted with its own acknowledge_url must not
        // put a foreign link into a genuine page.
        for (const auto& [name, value] : extra) a.annotations.insert_or_assign(name, value);
      }
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

}  // namespace hw::alerting
