#include "server/incident_runner.h"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "alerting/time_interval.h"
#include "incidents/page.h"
#include "incidents/signed_link.h"

namespace hw::server {
namespace {

// Queues each step's pages (one notification per receiver, incidents/page.h) for the
// runner's thread, which reports each outcome back (IncidentManager::RecordPageResult).
class QueuedPager : public incidents::PageSender {
 public:
  struct QueuedPage {
    std::int64_t incident_id = 0;
    std::size_t page_index = 0;
    std::string receiver;
    alerting::Notification notification;
  };

  // `on_queued` runs after pages are queued (with the manager's lock held, none of ours):
  // the runner sends them at once instead of at its next once-a-second tick.
  QueuedPager(const incidents::IncidentLinks& links, std::string external_url,
              std::function<void()> on_queued)
      : links_(links), external_url_(std::move(external_url)), on_queued_(std::move(on_queued)) {}

  Status Page(const incidents::Incident& inc, const incidents::EscalationStep& step) override {
    std::vector<QueuedPage> pages;
    for (const std::string& r : step.receivers) {
      pages.push_back({inc.id, step.page_index, r,
                       incidents::BuildPage(inc, step, r, links_, external_url_)});
    }
    {
      std::lock_guard lock(mu_);
      for (QueuedPage& p : pages) queue_.push_back(std::move(p));
    }
    if (!pages.empty()) on_queued_();
    return Status::Ok();
  }
  bool deferred() const override { return true; }

  std::vector<QueuedPage> Take() {
    std::lock_guard lock(mu_);
    return std::exchange(queue_, {});
  }

 private:
  const incidents::IncidentLinks& links_;
  std::string external_url_;
  std::function<void()> on_queued_;
  std::mutex mu_;
  std::vector<QueuedPage> queue_;  // guarded by mu_
};

// The link secret named by incidents.token_file; "" (links disabled) without one.
Result<std::string> LinkSecret(const config::IncidentsConfig& cfg) {
  if (cfg.token_file.empty()) return std::string();
  Result<std::string> read = incidents::ReadLinkSecret(cfg.token_file);
  if (!read.ok()) return read.status().Wrap("incidents.token_file");
  return read;
}

}  // namespace

struct IncidentRunner::Impl {
  Impl(std::string secret, const std::string& external_url, Duration link_ttl)
      : links(std::move(secret), external_url, link_ttl, RealClock()),
        pager(links, external_url, [this] { Wake(); }) {}
  // Declared first, destroyed last: anything that can still page (and so Wake) goes first.
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;   // guarded by mu
  bool woken = false;  // guarded by mu: pages queued since the thread last looked
  alerting::Dispatcher* dispatcher = nullptr;
  Logger* log = nullptr;
  incidents::IncidentLinks links;  // re-keyed by a reload (CommitLinks)
  QueuedPager pager;
  // The notifications' time intervals: incidents.business_hours (P4) names one.
  std::optional<alerting::TimeIntervals> time_intervals;
  std::unique_ptr<incidents::IncidentManager> manager;
  std::thread thread;

  void Wake() {
    std::lock_guard lock(mu);
    woken = true;
    cv.notify_all();
  }

  // Sends queued pages outside every lock and records each outcome on its incident
  // (the API, UI and `test-escalation --live` show a failed page as FAILED).
  void SendPages() {
    for (QueuedPager::QueuedPage& p : pager.Take()) {
      Status s = dispatcher->NotifyReceiver(p.receiver, std::move(p.notification));
      if (!s.ok()) {
        log->Error("cannot send incident page", {{"incident", std::to_string(p.incident_id)},
                                                 {"receiver", p.receiver},
                                                 {"error", s.message()}});
      }
      Status recorded = manager->RecordPageResult(p.incident_id, p.page_index, p.receiver, s);
      if (!recorded.ok()) {
        log->Error("cannot record incident page outcome",
                   {{"incident", std::to_string(p.incident_id)}, {"error", recorded.message()}});
      }
    }
  }
};

Result<std::unique_ptr<IncidentRunner>> IncidentRunner::Create(const config::Config& cfg,
                                                               alerting::StateDb& db,
                                                               alerting::Dispatcher& dispatcher,
                                                               Logger& log,
                                                               metrics::Registry& registry,
                                                               const std::string& external_url) {
  Result<std::string> secret = LinkSecret(cfg.incidents);
  if (!secret.ok()) return secret.status();
  auto impl = std::make_unique<Impl>(std::move(secret).value(), external_url,
                                     cfg.incidents.link_ttl);
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
  const incidents::IncidentLinks* links = &impl->links;
  dispatcher.SetGroupObserver([manager, logger, links, external_url](
                                  const std::string& group_key, const std::string& receiver,
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
    if (!r.ok()) {
      logger->Error("cannot open incident", {{"groupKey", group_key}, {"error", r.status().message()}});
      return std::map<std::string, std::string>{};
    }
    if (!r.value()) return std::map<std::string, std::string>{};
    // The group's own notification (PagerDuty, email, ...) carries the incident's
    // links too, so whoever the route pages can acknowledge from it.
    return incidents::IncidentAnnotations(**r, /*test=*/false,
                                          fmt::format("{} (alert notification)", receiver),
                                          *links, external_url);
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
      impl->cv.wait_for(lock, std::chrono::seconds(1), [impl] { return impl->stop || impl->woken; });
      impl->woken = false;
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

const incidents::IncidentLinks& IncidentRunner::links() const { return impl_->links; }

Result<PreparedIncidents> IncidentRunner::PrepareConfig(const config::Config& cfg) const {
  Result<alerting::TimeIntervals> intervals =
      alerting::TimeIntervals::Compile(cfg.notifications.time_intervals);
  if (!intervals.ok()) return intervals.status();
  // Read now (the file may have been rewritten in place), so a bad one refuses the reload.
  Result<std::string> secret = LinkSecret(cfg.incidents);
  if (!secret.ok()) return secret.status();
  Result<incidents::PreparedConfig> manager = impl_->manager->PrepareConfig(
      cfg.incidents,
      std::make_shared<const alerting::TimeIntervals>(std::move(intervals).value()));
  if (!manager.ok()) return manager.status();
  return PreparedIncidents{std::move(manager).value(), std::move(secret).value(),
                           cfg.incidents.link_ttl};
}

void IncidentRunner::CommitConfig(PreparedIncidents& prepared) {
  for (const std::string& stranded : impl_->manager->CommitConfig(std::move(prepared.manager))) {
    impl_->log->Warn("config reloaded, but an incident opened during the reload cannot "
                     "escalate fully",
                     {{"error", stranded}});
  }
}

void IncidentRunner::CommitLinks(PreparedIncidents& prepared) {
  const bool was_enabled = impl_->links.enabled();
  if (!impl_->links.Rekey(std::move(prepared.link_secret), prepared.link_ttl)) return;
  if (!was_enabled) {
    impl_->log->Info("config reloaded: one-click incident links enabled");
  } else if (impl_->links.enabled()) {
    impl_->log->Warn("config reloaded: new incident link secret; one-click links sent before "
                     "it no longer work");
  } else {
    impl_->log->Warn("config reloaded: one-click incident links disabled; links sent before "
                     "no longer work");
  }
}

Status IncidentRunner::ApplyConfig(const config::Config& cfg) {
  Result<PreparedIncidents> prepared = PrepareConfig(cfg);
  if (!prepared.ok()) return prepared.status();
  CommitConfig(*prepared);
  CommitLinks(*prepared);
  return Status::Ok();
}

}  // namespace hw::server
