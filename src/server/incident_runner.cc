#include "server/incident_runner.h"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "alerting/time_interval.h"

namespace hw::server {
namespace {

// Queues each step's pages (one notification per receiver) for the runner's thread.
class QueuedPager : public incidents::PageSender {
 public:
  struct QueuedPage {
    std::string receiver;
    alerting::Notification notification;
  };

  Status Page(const incidents::Incident& inc, const incidents::EscalationStep& step) override {
    alerting::Notification n;
    n.group_key = fmt::format("incident/{}", inc.id);
    n.group_labels = model::Labels::FromPairs(
        {{"incident", std::to_string(inc.id)}, {"severity", fmt::format("P{}", inc.severity)}});
    for (const incidents::AttachedAlert& a : inc.alerts) {
      if (a.resolved) continue;
      model::Alert alert;
      std::vector<std::pair<std::string_view, std::string_view>> pairs(a.labels.begin(), a.labels.end());
      alert.labels = model::Labels::FromPairs(std::move(pairs));
      alert.starts_at_ms = a.first_seen_ms;
      alert.annotations["summary"] =
          fmt::format("P{} incident #{}: {}", inc.severity, inc.id, inc.title);
      alert.annotations["description"] = fmt::format(
          "Escalation level {}{} ({}); acknowledge to stop escalation.", step.level,
          step.round > 0 ? fmt::format(", repeat {}", step.round) : std::string(), step.reason);
      n.alerts.push_back(std::move(alert));
    }
    if (n.alerts.empty()) {  // opened by hand: one synthetic alert carries the page
      model::Alert alert;
      alert.labels = model::Labels::FromPairs({{"alertname", "Incident"},
                                               {"incident", std::to_string(inc.id)}});
      alert.annotations["summary"] = fmt::format("P{} incident #{}: {}", inc.severity, inc.id, inc.title);
      n.alerts.push_back(std::move(alert));
    }
    n.note = fmt::format("escalation level {} of incident #{}", step.level, inc.id);
    std::lock_guard lock(mu_);
    for (const std::string& r : step.receivers) queue_.push_back({r, n});
    return Status::Ok();
  }

  std::vector<QueuedPage> Take() {
    std::lock_guard lock(mu_);
    return std::exchange(queue_, {});
  }

 private:
  std::mutex mu_;
  std::vector<QueuedPage> queue_;
};

}  // namespace

struct IncidentRunner::Impl {
  alerting::Dispatcher* dispatcher = nullptr;
  Logger* log = nullptr;
  QueuedPager pager;
  // The notifications' time intervals: incidents.business_hours (P4) names one.
  std::optional<alerting::TimeIntervals> time_intervals;
  std::unique_ptr<incidents::IncidentManager> manager;
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  std::thread thread;

  void SendPages() {
    for (QueuedPager::QueuedPage& p : pager.Take()) {
      Status s = dispatcher->NotifyReceiver(p.receiver, std::move(p.notification));
      if (!s.ok()) {
        log->Error("cannot send incident page", {{"receiver", p.receiver}, {"error", s.message()}});
      }
    }
  }
};

Result<std::unique_ptr<IncidentRunner>> IncidentRunner::Create(const config::Config& cfg,
                                                               alerting::StateDb& db,
                                                               alerting::Dispatcher& dispatcher,
                                                               Logger& log,
                                                               metrics::Registry& registry) {
  auto impl = std::make_unique<Impl>();
  impl->dispatcher = &dispatcher;
  impl->log = &log;
  Result<alerting::TimeIntervals> intervals =
      alerting::TimeIntervals::Compile(cfg.notifications.time_intervals);
  if (!intervals.ok()) return intervals.status();
  impl->time_intervals.emplace(std::move(intervals).value());
  incidents::ManagerOptions opts;
  opts.time_intervals = &*impl->time_intervals;
  opts.db = &db;
  opts.clock = &RealClock();
  opts.pager = &impl->pager;
  opts.config = cfg.incidents;
  Result<std::unique_ptr<incidents::IncidentManager>> m = incidents::IncidentManager::Open(opts);
  if (!m.ok()) return m.status();
  impl->manager = std::move(m).value();
  impl->manager->RegisterMetrics(registry);
  incidents::IncidentManager* manager = impl->manager.get();
  Logger* logger = &log;
  dispatcher.SetGroupObserver([manager, logger](const std::string& group_key,
                                                const std::vector<model::Alert>& alerts) {
    std::vector<incidents::GroupAlert> group;
    for (const model::Alert& a : alerts) {
      incidents::GroupAlert g;
      g.fingerprint = model::FingerprintHex(model::AlertFingerprint(a.labels));
      for (const model::Label& l : a.labels) g.labels[std::string(l.name)] = std::string(l.value);
      g.resolved = a.ends_at_ms != 0 && a.ends_at_ms <= RealClock().NowMillis();
      group.push_back(std::move(g));
    }
    Result<std::optional<std::int64_t>> r = manager->OnAlertGroup(group_key, group);
    if (!r.ok()) logger->Error("cannot open incident", {{"groupKey", group_key}, {"error", r.status().message()}});
  });
  return std::unique_ptr<IncidentRunner>(new IncidentRunner(std::move(impl)));
}

IncidentRunner::IncidentRunner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

IncidentRunner::~IncidentRunner() { Stop(); }

void IncidentRunner::Start() {
  if (impl_->thread.joinable()) return;
  impl_->thread = std::thread([impl = impl_.get()] {
    std::unique_lock lock(impl->mu);
    while (!impl->stop) {
      lock.unlock();
      impl->manager->Tick();
      impl->SendPages();
      lock.lock();
      impl->cv.wait_for(lock, std::chrono::seconds(1), [impl] { return impl->stop; });
    }
  });
}

void IncidentRunner::Stop() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stop = true;
    impl_->cv.notify_all();
  }
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->SendPages();  // pages already decided go out
}

incidents::IncidentManager& IncidentRunner::manager() { return *impl_->manager; }

}  // namespace hw::server
