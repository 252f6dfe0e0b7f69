// What the API and the CLI read of the dispatcher: alerts with their receivers and
// suppression, groups, receivers, explanations, effectiveness counts, deliveries.
#include "alerting/dispatcher.h"

#include "alerting/dispatcher_internal.h"

namespace hw::alerting {

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

}  // namespace hw::alerting
