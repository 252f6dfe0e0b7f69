#include "alerting/dispatcher.h"

#include "alerting/dispatcher_internal.h"

namespace hw::alerting {

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
