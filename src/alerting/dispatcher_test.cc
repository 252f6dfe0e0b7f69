#include "alerting/dispatcher.h"

#include <condition_variable>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "base/units.h"

namespace hw::alerting {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Records what it is asked to deliver; fails while `failures` > 0 (retryable).
class FakeIntegration : public Integration {
 public:
  explicit FakeIntegration(bool send_resolved) : send_resolved_(send_resolved) {}
  std::string_view kind() const override { return "webhook"; }
  bool send_resolved() const override { return send_resolved_; }
  Status Notify(const Notification& n) override {
    std::lock_guard lock(mu_);
    ++attempts_;
    if (failures_ > 0) {
      --failures_;
      return Status::Unavailable("connection refused");
    }
    got_.push_back(n);
    return Status::Ok();
  }
  std::vector<Notification> got() {
    std::lock_guard lock(mu_);
    return got_;
  }
  void set_failures(int n) {
    std::lock_guard lock(mu_);
    failures_ = n;
  }
  int attempts() {
    std::lock_guard lock(mu_);
    return attempts_;
  }

 private:
  bool send_resolved_;
  std::mutex mu_;
  std::vector<Notification> got_;
  int failures_ = 0;
  int attempts_ = 0;
};

// Blocks in Notify until released: a receiver that hangs.
class HangingIntegration : public Integration {
 public:
  std::string_view kind() const override { return "webhook"; }
  bool send_resolved() const override { return true; }
  Status Notify(const Notification&) override {
    std::unique_lock lock(mu_);
    ++calls_;
    cv_.wait(lock, [this] { return released_; });
    return Status::Ok();
  }
  void Release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }
  int calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool released_ = false;
  int calls_ = 0;
};

config::AmMatcher Eq(std::string name, std::string value) {
  return {std::move(name), config::AmMatcher::Op::kEqual, std::move(value)};
}

// The guide's two actions: page at once, notify in business hours (Mon-Fri 09-17 UTC).
config::NotificationsConfig GuideConfig() {
  config::NotificationsConfig c;
  c.configured = true;
  // Alerts without an end stay firing 2h (the tests re-send them at least hourly).
  c.global.resolve_timeout = Duration(2 * 3'600'000);
  c.route.receiver = "pager";
  c.route.group_by = {"alertname", "service"};
  c.route.group_by_set = true;
  c.route.group_wait = Duration(30'000);
  c.route.group_interval = Duration(300'000);
  c.route.repeat_interval = Duration(4 * 3'600'000);
  config::RouteConfig page;
  page.matchers = {Eq("action", "page")};
  page.receiver = "pager";
  page.group_wait = Duration(10'000);
  config::RouteConfig notify;
  notify.matchers = {Eq("action", "notify")};
  notify.receiver = "team";
  notify.active_time_intervals = {"business-hours"};
  c.route.routes = {page, notify};
  c.receivers = {{.name = "pager"}, {.name = "team"}};
  config::TimeIntervalSpec hours_spec;
  hours_spec.times = {{9 * 60, 17 * 60}};
  hours_spec.weekdays = {{1, 5}};
  c.time_intervals = {{"business-hours", {hours_spec}}};
  config::InhibitRuleConfig inhibit;
  inhibit.source_matchers = {Eq("alertname", "DatabaseDown")};
  inhibit.target_matchers = {Eq("severity", "warning")};
  inhibit.equal = {"service"};
  c.inhibit_rules = {inhibit};
  return c;
}

model::Alert Firing(std::string_view name, std::string_view action, std::string_view service,
                    std::string_view severity = "critical", std::string_view instance = "") {
  model::Alert a;
  a.labels = model::Labels::FromPairs({{"alertname", name}, {"action", action},
                                       {"service", service}, {"severity", severity},
                                       {"instance", instance}});
  a.annotations = {{"runbook_url", "/runbooks/api-down.md"}};
  return a;
}

model::Alert Resolved(model::Alert a, std::int64_t at) {
  a.ends_at_ms = at;
  return a;
}

// 2026-11-27 is a Friday; 12:00 UTC.
constexpr std::int64_t kFridayNoon = 1'795'780'800'000;

class DispatcherTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/dispatcher_" +
           testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Open();
  }
  void Open() {
    dispatcher_.reset();
    silences_.reset();
    db_.reset();
    db_ = std::move(StateDb::Open(dir_ + "/state.db").value());
    silences_ = std::move(Silences::Open(*db_, clock_).value());
    DispatcherOptions o;
    o.clock = &clock_;
    o.log = &log_;
    o.db = db_.get();
    o.silences = silences_.get();
    o.external_url = "http://hw.example:9190";
    dispatcher_ = std::move(Dispatcher::Create(o).value());
    ASSERT_TRUE(dispatcher_->ApplyConfig(cfg_, [this](const config::ReceiverConfig& r)
                                                   -> Result<std::vector<std::shared_ptr<Integration>>> {
      return std::vector<std::shared_ptr<Integration>>{r.name == "pager" ? pager_ : team_};
    }).ok());
  }
  void Advance(milliseconds d) {
    clock_.Advance(d);
    dispatcher_->Tick();
  }
  // Steps in `step` increments for `total`, ticking each time.
  void Run(milliseconds total, milliseconds step = seconds(1)) {
    for (milliseconds t{0}; t < total; t += step) Advance(step);
  }

  std::string dir_;
  FakeClock clock_{kFridayNoon};
  Logger log_{"hw", LogLevel::kError, std::make_shared<MemoryLogSink>()};
  config::NotificationsConfig cfg_ = GuideConfig();
  std::shared_ptr<FakeIntegration> pager_ = std::make_shared<FakeIntegration>(true);
  std::shared_ptr<FakeIntegration> team_ = std::make_shared<FakeIntegration>(false);
  std::unique_ptr<StateDb> db_;
  std::unique_ptr<Silences> silences_;
  std::unique_ptr<Dispatcher> dispatcher_;
};

TEST_F(DispatcherTest, PageWaitsGroupWaitThenDedupsAndRepeats) {
  dispatcher_->Send({Firing("APIDown", "page", "api")});
  Run(seconds(9));
  EXPECT_TRUE(pager_->got().empty());  // group_wait 10s
  Run(seconds(2));
  const std::vector<Notification> got = pager_->got();
  ASSERT_EQ(got.size(), 1u);
  const Notification& n = got[0];
  EXPECT_EQ(n.receiver, "pager");
  EXPECT_EQ(n.group_key, R"({}/{action="page"}:{alertname="APIDown", service="api"})");
  EXPECT_EQ(n.external_url, "http://hw.example:9190");
  ASSERT_EQ(n.alerts.size(), 1u);
  EXPECT_EQ(n.alerts[0].annotations.at("runbook_url"), "/runbooks/api-down.md");
  // Re-sent by Prometheus every minute: nothing new until repeat_interval (4h).
  for (int i = 0; i < 30; ++i) {
    dispatcher_->Send({Firing("APIDown", "page", "api")});
    Advance(minutes(1));
  }
  EXPECT_EQ(pager_->got().size(), 1u);
  for (int i = 0; i < 4 * 60; ++i) {
    dispatcher_->Send({Firing("APIDown", "page", "api")});
    Advance(minutes(1));
  }
  EXPECT_EQ(pager_->got().size(), 2u);  // repeated after 4h
}

// The incidents hook sees each flushed group with its receiver; the annotations it
// returns (an incident's signed links) reach the firing alerts of that notification,
// replacing an alert's own of the same name (a posted alert cannot plant its link).
TEST_F(DispatcherTest, GroupObserverAnnotationsReachTheNotification) {
  std::vector<std::string> seen;
  dispatcher_->SetGroupObserver([&seen](const std::string& key, const std::string& receiver,
                                        const std::vector<model::Alert>& alerts) {
    seen.push_back(receiver + " " + key + " " + std::to_string(alerts.size()));
    return std::map<std::string, std::string>{{"acknowledge_url", "http://hw/ack"}};
  });
  model::Alert planted = Firing("APIDown", "page", "api");
  planted.annotations["acknowledge_url"] = "https://evil.example/ack";
  dispatcher_->Send({planted});
  Run(seconds(11));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], R"(pager {}/{action="page"}:{alertname="APIDown", service="api"} 1)");
  const std::vector<Notification> got = pager_->got();
  ASSERT_EQ(got.size(), 1u);
  ASSERT_EQ(got[0].alerts.size(), 1u);
  EXPECT_EQ(got[0].alerts[0].annotations.at("acknowledge_url"), "http://hw/ack");
  EXPECT_EQ(got[0].alerts[0].annotations.at("runbook_url"), "/runbooks/api-down.md");
}

TEST_F(DispatcherTest, HangingReceiverDelaysNoOtherReceiver) {
  auto hanging = std::make_shared<HangingIntegration>();
  ASSERT_TRUE(dispatcher_->ApplyConfig(cfg_, [&](const config::ReceiverConfig& r)
                                                 -> Result<std::vector<std::shared_ptr<Integration>>> {
    if (r.name == "pager") return std::vector<std::shared_ptr<Integration>>{hanging};
    return std::vector<std::shared_ptr<Integration>>{team_};
  }).ok());
  dispatcher_->Run();
  dispatcher_->Send({Firing("APIDown", "page", "api")});
  clock_.Advance(seconds(11));
  dispatcher_->Send({});  // wakes the dispatcher thread
  for (int i = 0; i < 200 && hanging->calls() == 0; ++i) std::this_thread::sleep_for(milliseconds(10));
  ASSERT_EQ(hanging->calls(), 1);  // the page is stuck in delivery
  dispatcher_->Send({Firing("DiskSpaceLow", "notify", "db", "warning")});
  clock_.Advance(seconds(31));
  dispatcher_->Send({});
  for (int i = 0; i < 300 && team_->got().empty(); ++i) std::this_thread::sleep_for(milliseconds(10));
  EXPECT_EQ(team_->got().size(), 1u);  // delivered while the pager hangs
  hanging->Release();
  dispatcher_->Stop();
}

TEST_F(DispatcherTest, StormOfAThousandAlertsInOneGroupIsOneNotification) {
  std::vector<model::Alert> storm;
  for (int i = 0; i < 1000; ++i) storm.push_back(Firing("APIDown", "page", "api", "critical", std::to_string(i)));
  dispatcher_->Send(storm);
  Run(seconds(15));
  ASSERT_EQ(pager_->got().size(), 1u);
  EXPECT_EQ(pager_->got()[0].alerts.size(), 1000u);
}

TEST_F(DispatcherTest, ResolvedNotificationOnlyWithSendResolved) {
  model::Alert a = Firing("APIDown", "page", "api");
  dispatcher_->Send({a});
  Run(seconds(11));
  ASSERT_EQ(pager_->got().size(), 1u);
  dispatcher_->Send({Resolved(a, clock_.NowMillis())});
  Run(minutes(5) + seconds(1));
  ASSERT_EQ(pager_->got().size(), 2u);
  EXPECT_TRUE(pager_->got()[1].alerts[0].ResolvedAt(clock_.NowMillis()));
  Run(minutes(20));
  EXPECT_EQ(pager_->got().size(), 2u);  // resolved once, then the group is gone
}

TEST_F(DispatcherTest, FailingReceiverIsRetriedAndDeliversExactlyOnce) {
  pager_->set_failures(3);
  dispatcher_->Send({Firing("APIDown", "page", "api")});
  Run(seconds(10));
  EXPECT_EQ(pager_->attempts(), 1);
  EXPECT_EQ(dispatcher_->PendingDeliveries(), 1u);
  Run(seconds(10));  // backoff 1s, 2s, 4s: the fourth attempt succeeds
  EXPECT_EQ(pager_->attempts(), 4);
  ASSERT_EQ(pager_->got().size(), 1u);
  EXPECT_EQ(dispatcher_->PendingDeliveries(), 0u);
  Run(minutes(10));
  EXPECT_EQ(pager_->got().size(), 1u);  // not again
}

TEST_F(DispatcherTest, RestartWithPendingDeliveryNeitherDropsNorRepeats) {
  pager_->set_failures(1000);
  dispatcher_->Send({Firing("APIDown", "page", "api")});
  Run(seconds(12));
  EXPECT_EQ(dispatcher_->PendingDeliveries(), 1u);
  Open();  // a restart on the same state.db
  pager_->set_failures(0);
  EXPECT_EQ(dispatcher_->PendingDeliveries(), 1u);
  Run(minutes(2));
  ASSERT_EQ(pager_->got().size(), 1u);  // delivered once after recovery
  Open();
  Run(minutes(10));
  EXPECT_EQ(pager_->got().size(), 1u);  // the log keeps the restarted one from re-paging
}

TEST_F(DispatcherTest, NotifyOutsideBusinessHoursIsHeldUntilMonday) {
  clock_.Set(kFridayNoon + 6 * 3'600'000);  // Friday 18:00
  dispatcher_->Send({Firing("DiskSpaceLow", "notify", "db", "warning")});
  Run(hours(2), minutes(1));
  EXPECT_TRUE(team_->got().empty());
  EXPECT_NE(dispatcher_->Explain(Firing("DiskSpaceLow", "notify", "db", "warning").labels)
                .routes[0]
                .time_interval.find("held until 2026-11-30T09:00:00Z"),
            std::string::npos);
  Open();  // held across a restart
  // Still firing on Monday at 09:00: delivered when the window opens.
  for (int i = 0; i < 64; ++i) {
    dispatcher_->Send({Firing("DiskSpaceLow", "notify", "db", "warning")});
    Advance(hours(1));
  }
  ASSERT_EQ(team_->got().size(), 1u);
  EXPECT_EQ(team_->got()[0].kind, Notification::Kind::kNormal);
  EXPECT_GE(team_->got()[0].now_ms, kFridayNoon + 3 * 86'400'000LL - 3 * 3'600'000);  // Mon 09:00
}

TEST_F(DispatcherTest, FiredAndResolvedOvernightIsSummarisedInTheMorning) {
  clock_.Set(kFridayNoon - 86'400'000LL + 10 * 3'600'000);  // Thursday 22:00
  model::Alert a = Firing("CPUHighUsage", "notify", "api", "warning");
  dispatcher_->Send({a});
  Run(hours(1), minutes(1));
  dispatcher_->Send({Resolved(a, clock_.NowMillis())});
  Run(hours(12), minutes(5));  // to Friday 11:00
  const std::vector<Notification> got = team_->got();
  ASSERT_EQ(got.size(), 1u);
  const Notification& n = got[0];
  EXPECT_EQ(n.kind, Notification::Kind::kHeldSummary);
  EXPECT_NE(n.note.find("fired and resolved outside"), std::string::npos) << n.note;
  ASSERT_EQ(n.alerts.size(), 1u);  // sent although the team receiver has send_resolved off
}

TEST_F(DispatcherTest, InhibitionAndSilences) {
  dispatcher_->Send({Firing("DatabaseDown", "page", "db"),
                     Firing("QueueBacklog", "page", "db", "warning"),
                     Firing("QueueBacklog", "page", "api", "warning")});
  Silence s;
  s.matchers = {model::Matcher::Equal("service", "web")};
  s.starts_at_ms = clock_.NowMillis();
  s.ends_at_ms = clock_.NowMillis() + 3'600'000;
  s.created_by = "ops";
  s.comment = "deploy";
  ASSERT_TRUE(silences_->Set(s).ok());
  dispatcher_->Send({Firing("APIDown", "page", "web")});
  Run(seconds(11));
  std::set<std::string> got;
  for (const Notification& n : pager_->got()) {
    for (const model::Alert& a : n.alerts) {
      got.insert(std::string(a.labels.Get("alertname")) + "/" + std::string(a.labels.Get("service")));
    }
  }
  // The db warning is inhibited by DatabaseDown; web is silenced.
  EXPECT_EQ(got, (std::set<std::string>{"DatabaseDown/db", "QueueBacklog/api"}));
  std::map<std::string, std::string> states;
  for (const AlertStatus& a : dispatcher_->Alerts()) {
    states[std::string(a.alert.labels.Get("alertname")) + "/" + std::string(a.alert.labels.Get("service"))] = a.state;
  }
  EXPECT_EQ(states["QueueBacklog/db"], "suppressed");
  EXPECT_EQ(states["APIDown/web"], "suppressed");
  EXPECT_EQ(states["QueueBacklog/api"], "active");
}

TEST_F(DispatcherTest, MuteTimeIntervalDropsAsAlertmanagerDoes) {
  // Pages are muted on Friday afternoons (a maintenance window), not held.
  config::TimeIntervalSpec friday;
  friday.weekdays = {{5, 5}};
  friday.times = {{12 * 60, 14 * 60}};
  cfg_.time_intervals.push_back({"maintenance", {friday}});
  cfg_.route.routes[0].mute_time_intervals = {"maintenance"};
  Open();
  dispatcher_->Send({Firing("APIDown", "page", "api")});
  Run(minutes(30), seconds(10));
  EXPECT_TRUE(pager_->got().empty());
  EXPECT_NE(dispatcher_->Explain(Firing("APIDown", "page", "api").labels).routes[0].time_interval.find(
                "muted now by time interval maintenance"),
            std::string::npos);
  // 14:00: the window closes and the still-firing alert pages at the next flush.
  for (int i = 0; i < 100 && pager_->got().empty(); ++i) {
    dispatcher_->Send({Firing("APIDown", "page", "api")});
    Advance(minutes(1));
  }
  ASSERT_EQ(pager_->got().size(), 1u);
  EXPECT_GE(pager_->got()[0].now_ms, kFridayNoon + 2 * 3'600'000);
  EXPECT_LE(pager_->got()[0].now_ms, kFridayNoon + 2 * 3'600'000 + 6 * 60'000);
}

TEST_F(DispatcherTest, FlappingAlertIsAnnouncedOnceInsteadOfEveryChange) {
  cfg_.flap_detection.max_changes = 4;
  cfg_.route.routes[0].group_interval = Duration(60'000);
  Open();
  model::Alert a = Firing("APIDown", "page", "api");
  for (int i = 0; i < 10; ++i) {
    dispatcher_->Send({a});
    Run(minutes(2), seconds(10));
    dispatcher_->Send({Resolved(a, clock_.NowMillis())});
    Run(minutes(2), seconds(10));
  }
  int flapping = 0, normal = 0;
  for (const Notification& n : pager_->got()) (n.kind == Notification::Kind::kFlapping ? flapping : normal)++;
  EXPECT_EQ(flapping, 1);
  EXPECT_LE(normal, 5);  // the changes before it was found flapping
  EXPECT_EQ(dispatcher_->Effectiveness()["APIDown"].flapping, 1);
  EXPECT_EQ(dispatcher_->Effectiveness()["APIDown"].fired, 10);
}

// The example pack's alertmanager.yml as shipped: page now, notify in Berlin business
// hours, DatabaseDown muting the warnings of its service.
TEST_F(DispatcherTest, ExamplePackRoutesPagesNotificationsAndInhibition) {
  Result<config::NotificationsConfig> pack =
      config::LoadAlertmanagerConfigFile(std::string(HW_EXAMPLES_DIR) + "/hastecrm/alertmanager.yml");
  ASSERT_TRUE(pack.ok()) << pack.status().message();
  cfg_ = *pack;
  auto oncall = std::make_shared<FakeIntegration>(true);
  auto team = std::make_shared<FakeIntegration>(true);
  dispatcher_.reset();
  Open();  // built with the guide's config first; now the pack's, with fakes for receivers
  ASSERT_TRUE(dispatcher_->ApplyConfig(cfg_, [&](const config::ReceiverConfig& r)
                                                 -> Result<std::vector<std::shared_ptr<Integration>>> {
    return std::vector<std::shared_ptr<Integration>>{r.name == "oncall-pager" ? oncall : team};
  }).ok());
  // Friday 12:00 UTC is 13:00 in Berlin: business hours.
  dispatcher_->Send({Firing("DatabaseDown", "page", "db"),
                     Firing("QueueBacklog", "notify", "db", "warning"),
                     Firing("CacheHitRateLow", "notify", "api", "warning")});
  Run(seconds(11));
  ASSERT_EQ(oncall->got().size(), 1u);  // paged after group_wait 10s
  EXPECT_EQ(oncall->got()[0].group_key, R"({}/{action="page"}:{alertname="DatabaseDown", service="db"})");
  EXPECT_TRUE(team->got().empty());     // notify: group_wait 1m
  Run(minutes(1));
  ASSERT_EQ(team->got().size(), 1u);    // QueueBacklog on db is inhibited by DatabaseDown
  EXPECT_EQ(team->got()[0].alerts[0].labels.Get("alertname"), "CacheHitRateLow");

  // Friday 17:30 Berlin: a warning is held until Monday 09:00 Berlin (08:00 UTC).
  clock_.Set(kFridayNoon + 4 * 3'600'000 + 30 * 60'000);
  for (int i = 0; i < 64 * 15; ++i) {  // re-sent every 4m: the pack's resolve_timeout is 5m
    dispatcher_->Send({Firing("DiskSpaceLow", "notify", "web", "warning")});
    Advance(minutes(4));
  }
  std::vector<Notification> got = team->got();
  auto disk = std::find_if(got.begin(), got.end(), [](const Notification& n) {
    return n.alerts[0].labels.Get("alertname") == "DiskSpaceLow";
  });
  ASSERT_NE(disk, got.end());
  EXPECT_EQ(FormatRfc3339Millis(disk->now_ms).substr(0, 13), "2026-11-30T08");
}

}  // namespace
}  // namespace hw::alerting
