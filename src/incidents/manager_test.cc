// IncidentManager on a FakeClock: escalation timing, acknowledgement, ack timeout,
// restart recovery, business hours, alert attachment, post-mortems and figures.
#include "incidents/manager.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>

namespace hw::incidents {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

std::int64_t Ms(const char* utc) {
  std::tm tm{};
  strptime(utc, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

class RecordingPager : public PageSender {
 public:
  Status Page(const Incident& inc, const EscalationStep& step) override {
    steps.push_back(step);
    // Whether the incident handed over already holds this step's page record (a
    // deferred pager must only get saved incidents).
    recorded.push_back(step.page_index < inc.pages.size());
    return Status::Ok();
  }
  std::vector<bool> recorded;
  bool deferred() const override { return defer; }
  std::vector<EscalationStep> steps;
  bool defer = false;  // as the server's queueing pager: outcomes come later
};

config::IncidentsConfig TestConfig() {
  config::IncidentsConfig cfg;
  cfg.configured = true;
  cfg.ack_timeout = Duration(0);
  cfg.business_hours = "business-hours";
  cfg.users = {{"alice", "", {"pager-alice"}}, {"bob", "", {"pager-bob"}}};
  config::ScheduleConfig s;
  s.name = "primary";
  s.time_zone = "Europe/Berlin";
  s.layers = {{"weekly", 1, 9 * 60, alerting::DaysFromCivil(2024, 1, 1), {"alice", "bob"}}};
  cfg.schedules = {s};
  cfg.escalation_policies = {
      {"primary", {{{"schedule:primary"}, {"oncall-pager"}, {}}, {{"alice"}, {}, {}}}, 1}};
  cfg.severities[0].policy = "primary";
  cfg.severities[3].policy = "primary";
  return cfg;
}

const std::vector<GroupAlert> kApiDown = {
    {"fp-api", {{"alertname", "APIDown"}, {"severity", "critical"}, {"action", "page"}}}};

class ManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hw_incidents_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    config::TimeIntervalConfig bh{"business-hours", {}};
    config::TimeIntervalSpec spec;
    spec.times = {{9 * 60, 17 * 60}};
    spec.weekdays = {{1, 5}};
    spec.location = "Europe/Berlin";
    bh.intervals = {spec};
    Result<alerting::TimeIntervals> ti = alerting::TimeIntervals::Compile({bh});
    ASSERT_TRUE(ti.ok()) << ti.status().ToString();
    intervals_ = std::move(ti).value();
    cfg_ = TestConfig();
    clock_.Set(Ms("2024-04-02T08:00:00Z"));  // Tuesday 10:00 Berlin, bob's week
  }
  void TearDown() override {
    manager_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // (Re)opens the state database and the manager, as a server start does.
  void Start() {
    manager_.reset();
    db_.reset();
    Result<std::unique_ptr<alerting::StateDb>> db =
        alerting::StateDb::Open((dir_ / "state.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ManagerOptions o;
    o.db = db_.get();
    o.clock = &clock_;
    o.pager = &pager_;
    o.config = cfg_;
    o.time_intervals = &intervals_;
    Result<std::unique_ptr<IncidentManager>> m = IncidentManager::Open(std::move(o));
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    manager_ = std::move(m).value();
  }

  std::int64_t OpenApiDown() {
    Result<std::optional<std::int64_t>> id = manager_->OnAlertGroup("g-api", kApiDown);
    EXPECT_TRUE(id.ok() && id->has_value());
    return id.ok() && id->has_value() ? **id : 0;
  }

  void Advance(std::chrono::milliseconds d) {
    clock_.Advance(d);
    manager_->Tick();
  }

  std::filesystem::path dir_;
  FakeClock clock_;
  RecordingPager pager_;
  config::IncidentsConfig cfg_;
  alerting::TimeIntervals intervals_;
  std::unique_ptr<alerting::StateDb> db_;
  std::unique_ptr<IncidentManager> manager_;
};

// A reload (SIGHUP, POST /-/reload): who is on call and new incidents follow the new
// config at once; an open incident keeps the policy it was opened with; a config whose
// schedules do not compile changes nothing.
TEST_F(ManagerTest, ReloadAppliesToOnCallAndNewIncidentsWhileOpenOnesKeepTheirPolicy) {
  Start();
  const std::int64_t first = OpenApiDown();
  ASSERT_EQ(pager_.steps.size(), 1u);
  EXPECT_EQ(pager_.steps[0].users, std::vector<std::string>{"bob"});

  config::IncidentsConfig broken = TestConfig();
  broken.schedules[0].time_zone = "Mars/Olympus_Mons";
  EXPECT_FALSE(manager_->ApplyConfig(broken, nullptr).ok());
  EXPECT_EQ(*manager_->OnCallAt("primary", clock_.NowMillis()), "bob");

  config::IncidentsConfig next = TestConfig();
  next.schedules[0].layers[0].users = {"alice"};
  next.escalation_policies[0].levels[1].notify = {"bob"};  // level 2 was alice
  ASSERT_TRUE(manager_->ApplyConfig(next, nullptr).ok());
  EXPECT_EQ(*manager_->OnCallAt("primary", clock_.NowMillis()), "alice");

  Result<std::optional<std::int64_t>> second = manager_->OnAlertGroup(
      "g-db", {{"fp-db", {{"alertname", "DatabaseDown"}, {"severity", "critical"},
                          {"action", "page"}}}});
  ASSERT_TRUE(second.ok() && second->has_value());
  ASSERT_EQ(pager_.steps.size(), 2u);
  EXPECT_EQ(pager_.steps[1].users, std::vector<std::string>{"alice"});  // new schedule

  Advance(15min);  // level 2 of both
  ASSERT_EQ(pager_.steps.size(), 4u);
  std::map<std::int64_t, std::vector<std::string>> level2;
  for (std::size_t i = 2; i < 4; ++i) {
    EXPECT_EQ(pager_.steps[i].level, 2);
    level2[pager_.steps[i].incident_id] = pager_.steps[i].users;
  }
  EXPECT_EQ(level2[first], std::vector<std::string>{"alice"});  // the policy it opened with
  EXPECT_EQ(level2[**second], std::vector<std::string>{"bob"});  // the reloaded policy
}

TEST_F(ManagerTest, UnacknowledgedP1EscalatesAtExactly15MinutesAndRepeats) {
  Start();
  const std::int64_t t0 = clock_.NowMillis();
  std::int64_t id = OpenApiDown();
  ASSERT_EQ(pager_.steps.size(), 1u);  // level 1 at once
  EXPECT_EQ(pager_.steps[0].level, 1);
  EXPECT_EQ(pager_.steps[0].users, std::vector<std::string>{"bob"});
  EXPECT_EQ(pager_.steps[0].receivers, std::vector<std::string>{"oncall-pager"});
  EXPECT_EQ(manager_->NextDue(), t0 + 15 * 60'000);
  Advance(15min - 1ms);
  EXPECT_EQ(pager_.steps.size(), 1u);
  Advance(1ms);
  ASSERT_EQ(pager_.steps.size(), 2u);
  EXPECT_EQ(pager_.steps[1].level, 2);
  EXPECT_EQ(pager_.steps[1].at_ms, t0 + 15 * 60'000);
  EXPECT_EQ(pager_.steps[1].receivers, std::vector<std::string>{"pager-alice"});
  Advance(15min);  // repeat 1: level 1 again
  ASSERT_EQ(pager_.steps.size(), 3u);
  EXPECT_EQ(pager_.steps[2].level, 1);
  EXPECT_EQ(pager_.steps[2].round, 1);
  Advance(15min);
  ASSERT_EQ(pager_.steps.size(), 4u);
  EXPECT_EQ(pager_.steps[3].level, 2);
  Advance(2h);  // exhausted
  EXPECT_EQ(pager_.steps.size(), 4u);
  EXPECT_EQ(manager_->NextDue(), std::nullopt);
  Result<Incident> inc = manager_->Get(id);
  ASSERT_TRUE(inc.ok());
  EXPECT_EQ(inc->escalation.exhausted, true);
  EXPECT_EQ(inc->timeline.back().text, "escalation policy exhausted");
}

TEST_F(ManagerTest, AcknowledgedP1DoesNotEscalate) {
  Start();
  std::int64_t id = OpenApiDown();
  Advance(5min);
  ASSERT_TRUE(manager_->Acknowledge(id, "bob").ok());
  Advance(15min);
  Advance(3h);
  EXPECT_EQ(pager_.steps.size(), 1u);
  Result<Incident> inc = manager_->Get(id);
  EXPECT_EQ(inc->state, State::kAcknowledged);
  EXPECT_EQ(inc->acknowledged_ms - inc->opened_ms, 5 * 60'000);
}

TEST_F(ManagerTest, AckTimeoutRetriggersAndEscalationStartsOver) {
  cfg_.ack_timeout = Duration(30 * 60'000);
  Start();
  std::int64_t id = OpenApiDown();
  Advance(5min);
  ASSERT_TRUE(manager_->Acknowledge(id, "bob").ok());
  Advance(30min - 1ms);
  EXPECT_EQ(manager_->Get(id)->state, State::kAcknowledged);
  Advance(1ms);
  EXPECT_EQ(manager_->Get(id)->state, State::kTriggered);
  ASSERT_EQ(pager_.steps.size(), 2u);
  EXPECT_EQ(pager_.steps[1].level, 1);
  Advance(15min);
  ASSERT_EQ(pager_.steps.size(), 3u);
  EXPECT_EQ(pager_.steps[2].level, 2);
  // Moving on to investigating ends the ack timer.
  ASSERT_TRUE(manager_->Acknowledge(id, "alice").ok());
  ASSERT_TRUE(manager_->SetState(id, State::kInvestigating, "alice").ok());
  Advance(3h);
  EXPECT_EQ(pager_.steps.size(), 3u);
}

TEST_F(ManagerTest, RestartMidEscalationFiresWhatCameDueWhileDown) {
  Start();
  std::int64_t id = OpenApiDown();
  Advance(10min);
  ASSERT_EQ(pager_.steps.size(), 1u);
  manager_.reset();  // the server stops...
  db_.reset();
  clock_.Advance(10min);  // ...level 2 comes due at 15 min while it is down
  pager_.steps.clear();
  Start();  // ...and fires at start-up, 20 min in
  ASSERT_EQ(pager_.steps.size(), 1u);
  EXPECT_EQ(pager_.steps[0].incident_id, id);
  EXPECT_EQ(pager_.steps[0].level, 2);
  EXPECT_EQ(pager_.steps[0].at_ms, clock_.NowMillis());
  Advance(15min);  // and the policy goes on from there
  ASSERT_EQ(pager_.steps.size(), 2u);
  EXPECT_EQ(pager_.steps[1].round, 1);
  // A new incident after the restart gets a fresh id; the old one is still there.
  Result<std::int64_t> manual = manager_->OpenManual("db slow", 2, "carol");
  ASSERT_TRUE(manual.ok());
  EXPECT_EQ(*manual, id + 1);
  EXPECT_EQ(manager_->List({.open_only = true}).size(), 2u);
}

TEST_F(ManagerTest, P4WaitsForBusinessHours) {
  clock_.Set(Ms("2024-04-06T10:00:00Z"));  // Saturday 12:00 Berlin
  Start();
  Result<std::int64_t> id = manager_->OpenManual("UI glitch", 4, "alice");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(pager_.steps.size(), 0u);
  EXPECT_EQ(manager_->NextDue(), Ms("2024-04-08T07:00:00Z"));  // Monday 09:00 CEST
  Advance(24h);
  EXPECT_EQ(pager_.steps.size(), 0u);
  clock_.Set(Ms("2024-04-08T07:00:00Z"));
  manager_->Tick();
  ASSERT_EQ(pager_.steps.size(), 1u);
  EXPECT_EQ(pager_.steps[0].users, std::vector<std::string>{"alice"});  // week 14
  // Its 24 h timeout lands on Tuesday 09:00, inside business hours.
  EXPECT_EQ(manager_->NextDue(), Ms("2024-04-09T07:00:00Z"));
}

TEST_F(ManagerTest, AlertsOfTheSameGroupAttach) {
  Start();
  std::int64_t id = OpenApiDown();
  Advance(1min);
  std::vector<GroupAlert> more = kApiDown;
  more.push_back({"fp-db", {{"alertname", "DatabaseDown"}, {"severity", "critical"}}});
  Result<std::optional<std::int64_t>> again = manager_->OnAlertGroup("g-api", more);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, id);
  more[0].resolved = true;
  ASSERT_TRUE(manager_->OnAlertGroup("g-api", more).ok());
  Result<Incident> inc = manager_->Get(id);
  ASSERT_EQ(inc->alerts.size(), 2u);
  EXPECT_TRUE(inc->alerts[0].resolved);
  EXPECT_EQ(inc->timeline.back().text, "alert APIDown resolved");
  EXPECT_EQ(pager_.steps.size(), 1u);  // attaching does not page again
  // A warning that is not a page opens nothing.
  Result<std::optional<std::int64_t>> none = manager_->OnAlertGroup(
      "g-warn", {{"fp-w", {{"alertname", "HighCPU"}, {"severity", "warning"}}}});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(ManagerTest, ResolutionDraftsThePostmortem) {
  Start();
  std::int64_t id = OpenApiDown();
  Advance(4min);
  ASSERT_TRUE(manager_->Acknowledge(id, "bob").ok());
  ASSERT_TRUE(manager_->ChangeSeverity(id, 2, "bob").ok());
  ASSERT_TRUE(manager_->AddNote(id, "bob", "api pods crash-looping").ok());
  Advance(10min);
  ASSERT_TRUE(manager_->RecordAction(id, "bob", "rolled back to v1.4.2").ok());
  ASSERT_TRUE(manager_->SetState(id, State::kMitigated, "bob").ok());
  Advance(28min);
  EXPECT_EQ(manager_->EditPostmortem(id, "x", "bob").code(), StatusCode::kBadData);
  ASSERT_TRUE(manager_->Resolve(id, "bob").ok());
  Result<Incident> inc = manager_->Get(id);
  const std::string& pm = inc->postmortem;
  EXPECT_THAT(pm, HasSubstr("# Post-mortem: incident 1 — APIDown (g-api)"));
  EXPECT_THAT(pm, HasSubstr("## Summary\n\nP2 incident opened 2024-04-02 08:00:00 UTC by system, "
                            "acknowledged after 4m, resolved 2024-04-02 08:42:00 UTC."));
  EXPECT_THAT(pm, HasSubstr("- Duration: 42m\n- Affected alerts: 1\n"));
  EXPECT_THAT(pm, HasSubstr("  - APIDown {action=\"page\", severity=\"critical\"}"));
  EXPECT_THAT(pm, HasSubstr("2024-04-02 08:04:00 UTC — bob (severity_change): P1 → P2"));
  EXPECT_THAT(pm, HasSubstr("bob (responder_action): rolled back to v1.4.2"));
  EXPECT_THAT(pm, HasSubstr("system (notification): paged bob via oncall-pager"));
  EXPECT_THAT(pm, HasSubstr("\n## Root cause\n\n\n## Action items\n\n"));
  ASSERT_TRUE(manager_->EditPostmortem(id, pm + "- fix readiness probe\n", "bob").ok());
  Result<int> item = manager_->AddActionItem(id, "fix readiness probe", "alice", "bob");
  ASSERT_TRUE(item.ok());
  ASSERT_TRUE(manager_->SetActionItemDone(id, *item, true, "alice").ok());
  EXPECT_EQ(manager_->SetActionItemDone(id, 9, true, "alice").code(), StatusCode::kNotFound);
  ASSERT_TRUE(manager_->SetState(id, State::kPostmortemDone, "bob").ok());
  // All of it is stored.
  Start();
  inc = manager_->Get(id);
  ASSERT_TRUE(inc.ok());
  EXPECT_EQ(inc->state, State::kPostmortemDone);
  EXPECT_TRUE(inc->action_items.at(0).done);
  EXPECT_THAT(inc->postmortem, HasSubstr("- fix readiness probe"));
  EXPECT_EQ(manager_->Acknowledge(99, "bob").code(), StatusCode::kNotFound);
}

TEST_F(ManagerTest, MttaMttrAndBreachesBySeverity) {
  Start();
  Result<std::int64_t> a = manager_->OpenManual("a", 1, "alice");
  Result<std::int64_t> b = manager_->OpenManual("b", 1, "alice");
  Result<std::int64_t> c = manager_->OpenManual("c", 3, "alice");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  Advance(5min);
  ASSERT_TRUE(manager_->Acknowledge(*a, "bob").ok());
  Advance(15min);
  ASSERT_TRUE(manager_->Acknowledge(*b, "bob").ok());  // 20 min: breach of 15
  Advance(10min);
  ASSERT_TRUE(manager_->Resolve(*a, "bob").ok());  // 30 min
  Advance(30min);
  ASSERT_TRUE(manager_->Resolve(*b, "bob").ok());  // 60 min
  auto f = manager_->Figures();
  EXPECT_EQ(f[0].open, 0);
  EXPECT_DOUBLE_EQ(f[0].mtta_s, 750);   // (5 + 20) / 2 min
  EXPECT_DOUBLE_EQ(f[0].mttr_s, 2700);  // (30 + 60) / 2 min
  EXPECT_EQ(f[0].response_breaches, 1);
  EXPECT_EQ(f[2].open, 1);
  EXPECT_EQ(f[2].response_breaches, 0);  // 60 min of a 2 h response time
  metrics::Registry registry;
  manager_->RegisterMetrics(registry);
  std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("hastewatch_incidents_mtta_seconds{severity=\"P1\"} 750\n"));
  EXPECT_THAT(text, HasSubstr("hastewatch_incidents_mttr_seconds{severity=\"P1\"} 2700\n"));
  EXPECT_THAT(text, HasSubstr("hastewatch_incidents_open{severity=\"P3\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("hastewatch_incidents_response_breaches{severity=\"P1\"} 1\n"));
}

TEST_F(ManagerTest, TestIncidentsAreMarkedAndLeftOutOfTheFigures) {
  Start();
  Result<std::int64_t> drill = manager_->OpenManual("escalation drill", 1, "bot", /*test=*/true);
  ASSERT_TRUE(drill.ok()) << drill.status().ToString();
  Result<Incident> inc = manager_->Get(*drill);
  ASSERT_TRUE(inc.ok());
  EXPECT_TRUE(inc->test);
  EXPECT_EQ(inc->title, "[TEST] escalation drill");
  // It pages like any P1, and each page is recorded for the CLI and the UI.
  Advance(15min);
  inc = manager_->Get(*drill);
  ASSERT_EQ(inc->pages.size(), 2u);
  EXPECT_EQ(inc->pages[0].level, 1);
  EXPECT_EQ(inc->pages[0].reason, "opened");
  EXPECT_EQ(inc->pages[1].level, 2);
  EXPECT_EQ(inc->pages[1].at_ms, inc->opened_ms + 15 * 60'000);
  EXPECT_EQ(inc->pages[1].users, std::vector<std::string>{"alice"});
  ASSERT_TRUE(manager_->Resolve(*drill, "bot").ok());
  auto f = manager_->Figures();
  EXPECT_EQ(f[0].open, 0);
  EXPECT_EQ(f[0].resolved, 0);
  EXPECT_EQ(f[0].mttr_s, 0);
  EXPECT_EQ(f[0].response_breaches, 0);  // unacknowledged for 15 min, but a drill
  // The flag and the pages survive a restart.
  Start();
  inc = manager_->Get(*drill);
  ASSERT_TRUE(inc.ok());
  EXPECT_TRUE(inc->test);
  EXPECT_EQ(inc->pages.size(), 2u);
}


bool HasEntry(const Incident& inc, const std::string& text) {
  return std::any_of(inc.timeline.begin(), inc.timeline.end(),
                     [&](const TimelineEntry& e) { return e.text == text; });
}

// The server sends pages after Tick (outside the lock) and reports each outcome: a
// failed delivery shows on the page record and the timeline, not as "sent".
TEST_F(ManagerTest, FailedDeferredPageIsRecordedOnThePageAndTimeline) {
  pager_.defer = true;
  Start();
  const std::int64_t id = OpenApiDown();
  Result<Incident> inc = manager_->Get(id);
  ASSERT_EQ(inc->pages.size(), 1u);
  EXPECT_EQ(inc->pages[0].pending, 1);  // oncall-pager not reported yet
  EXPECT_EQ(pager_.steps[0].page_index, 0u);
  EXPECT_EQ(pager_.recorded, std::vector<bool>{true});  // handed over after the save

  ASSERT_TRUE(manager_
                  ->RecordPageResult(id, 0, "oncall-pager",
                                     Status::Unavailable("webhook: connection refused"))
                  .ok());
  inc = manager_->Get(id);
  EXPECT_EQ(inc->pages[0].pending, 0);
  EXPECT_EQ(inc->pages[0].error, "oncall-pager: webhook: connection refused");
  EXPECT_EQ(inc->timeline.back().text,
            "page to bob via oncall-pager failed: webhook: connection refused");
  EXPECT_EQ(inc->timeline.back().kind, EntryKind::kNotification);
  EXPECT_FALSE(manager_->RecordPageResult(id, 7, "oncall-pager", Status::Ok()).ok());

  // Level 2 is queued, then the server dies before sending it: after a restart the
  // page says its outcome is unknown instead of staying pending for ever.
  Advance(15min);
  ASSERT_EQ(manager_->Get(id)->pages.size(), 2u);
  EXPECT_EQ(manager_->Get(id)->pages[1].pending, 1);
  Start();
  inc = manager_->Get(id);
  EXPECT_EQ(inc->pages[1].pending, 0);
  EXPECT_THAT(inc->pages[1].error, HasSubstr("outcome unknown"));
}

// A reload must not leave an open incident's policy (kept from its opening) naming a
// schedule or user the new config lacks: the level would page nobody.
TEST_F(ManagerTest, ReloadRefusesToDropAScheduleOrUserAnOpenIncidentNames) {
  Start();
  const std::int64_t id = OpenApiDown();
  config::IncidentsConfig renamed = TestConfig();
  renamed.schedules[0].name = "main";
  renamed.escalation_policies[0].levels[0].notify = {"schedule:main"};
  Status s = manager_->ApplyConfig(renamed, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(),
              HasSubstr(fmt::format("open incident {} (escalation policy primary) level 1 "
                                    "names schedule \"primary\"",
                                    id)));
  EXPECT_TRUE(manager_->OnCallAt("primary", clock_.NowMillis()).ok());  // nothing changed
  EXPECT_FALSE(manager_->OnCallAt("main", clock_.NowMillis()).ok());

  config::IncidentsConfig no_alice = TestConfig();
  no_alice.users = {{"bob", "", {"pager-bob"}}};
  no_alice.schedules[0].layers[0].users = {"bob"};
  no_alice.escalation_policies[0].levels[1].notify = {"bob"};
  s = manager_->ApplyConfig(no_alice, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("level 2 names user \"alice\""));

  // Once the incident is resolved nothing depends on the old names.
  ASSERT_TRUE(manager_->Resolve(id, "alice").ok());
  EXPECT_TRUE(manager_->ApplyConfig(renamed, nullptr).ok());
  EXPECT_TRUE(manager_->OnCallAt("main", clock_.NowMillis()).ok());
}

// A drill left open (a killed `test-escalation --live`) never blocks a reload; an
// incident opened between prepare and commit is reported by the commit.
TEST_F(ManagerTest, DrillsNeverBlockAReloadAndTheCommitReportsLateIncidents) {
  Start();
  config::IncidentsConfig renamed = TestConfig();
  renamed.schedules[0].name = "main";
  renamed.escalation_policies[0].levels[0].notify = {"schedule:main"};
  Result<std::int64_t> drill = manager_->OpenManual("drill", 1, "alice", /*test=*/true);
  ASSERT_TRUE(drill.ok()) << drill.status().ToString();
  Result<PreparedConfig> prepared = manager_->PrepareConfig(renamed, nullptr);
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  const std::int64_t late = OpenApiDown();  // while the reload's other steps run
  const std::vector<std::string> stranded = manager_->CommitConfig(std::move(prepared).value());
  ASSERT_EQ(stranded.size(), 1u);
  EXPECT_THAT(stranded[0], HasSubstr(fmt::format("open incident {} (escalation policy primary) "
                                                 "level 1 names schedule \"primary\"",
                                                 late)));
  EXPECT_TRUE(manager_->OnCallAt("main", clock_.NowMillis()).ok());  // committed anyway
}

// The server prepares a reload before its other fallible steps and commits after
// them: until the commit nothing of the new config is in force.
TEST_F(ManagerTest, PreparedConfigChangesNothingUntilCommitted) {
  Start();
  config::IncidentsConfig next = TestConfig();
  next.schedules[0].layers[0].users = {"alice"};
  Result<PreparedConfig> prepared = manager_->PrepareConfig(next, nullptr);
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  EXPECT_EQ(*manager_->OnCallAt("primary", clock_.NowMillis()), "bob");
  manager_->CommitConfig(std::move(prepared).value());
  EXPECT_EQ(*manager_->OnCallAt("primary", clock_.NowMillis()), "alice");
}

// A level whose schedule has nobody on call says so on the timeline.
TEST_F(ManagerTest, LevelThatResolvesToNobodySaysWhy) {
  cfg_.schedules[0].layers[0].start_day = alerting::DaysFromCivil(2030, 1, 1);  // not started yet
  Start();
  const std::int64_t id = OpenApiDown();
  Result<Incident> inc = manager_->Get(id);
  EXPECT_TRUE(HasEntry(*inc, "level 1 paged nobody: schedule primary has nobody on call"))
      << inc->timeline.back().text;
  Advance(15min);  // level 2 names alice, who has her own receivers
  inc = manager_->Get(id);
  EXPECT_FALSE(HasEntry(*inc, "level 2 paged nobody: the level names nobody"));
  EXPECT_EQ(inc->pages.back().users, std::vector<std::string>{"alice"});
}

// On-call reads copy the schedules under the lock and work outside it; the snapshot
// answers every schedule from one read, in config order.
TEST_F(ManagerTest, ScheduleSnapshotHasEveryScheduleInConfigOrder) {
  config::ScheduleConfig second = cfg_.schedules[0];
  second.name = "secondary";
  cfg_.schedules.insert(cfg_.schedules.begin(), second);
  Start();
  std::vector<Schedule> all = manager_->ScheduleSnapshot();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name(), "secondary");
  EXPECT_EQ(all[1].name(), "primary");
  EXPECT_EQ(all[1].OnCallAt(clock_.NowMillis()), "bob");
  Result<std::vector<Handoff>> h =
      manager_->HandoffsAfter("primary", clock_.NowMillis(), 14LL * 86400'000, 5);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->size(), 2u);
}

}  // namespace
}  // namespace hw::incidents
