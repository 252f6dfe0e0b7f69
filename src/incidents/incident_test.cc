// Incident lifecycle, signed links, the `incidents` config section and test-escalation.
#include "incidents/incident.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "alerting/time_zone.h"
#include "config/config.h"
#include "incidents/signed_link.h"
#include "incidents/text.h"
#include "incidents/simulate.h"
#include "incidents/store.h"

namespace hw::incidents {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(IncidentTest, TransitionsForwardAndBackToTriggeredOnly) {
  Incident inc;
  inc.id = 7;
  ASSERT_TRUE(Transition(inc, State::kAcknowledged, 1000, "alice").ok());
  EXPECT_EQ(inc.acknowledged_ms, 1000);
  ASSERT_TRUE(Transition(inc, State::kTriggered, 2000, "system").ok());
  ASSERT_TRUE(Transition(inc, State::kInvestigating, 3000, "bob").ok());
  EXPECT_EQ(inc.acknowledged_ms, 1000);  // the first acknowledgement counts
  Status back = Transition(inc, State::kAcknowledged, 4000, "bob");
  EXPECT_EQ(back.code(), StatusCode::kBadData);
  EXPECT_EQ(back.message(),
            "cannot move incident 7 from investigating to acknowledged: states only move "
            "forward (acknowledged may return to triggered)");
  EXPECT_FALSE(Transition(inc, State::kPostmortemDone, 4000, "bob").ok());
  ASSERT_TRUE(Transition(inc, State::kResolved, 5000, "bob").ok());
  EXPECT_EQ(inc.resolved_ms, 5000);
  EXPECT_EQ(Transition(inc, State::kMitigated, 6000, "bob").message(),
            "cannot move incident 7 from resolved to mitigated: resolved incidents only move "
            "to postmortem_done");
  ASSERT_TRUE(Transition(inc, State::kPostmortemDone, 7000, "bob").ok());
  ASSERT_EQ(inc.timeline.size(), 5u);
  EXPECT_EQ(inc.timeline[0].actor, "alice");
  EXPECT_EQ(inc.timeline[0].text, "triggered → acknowledged");
}

TEST(IncidentTest, TheDraftOfAHugeIncidentCanBeSavedBack) {
  Incident inc;
  inc.id = 9;
  inc.title = "Checkout failing";
  inc.severity = 1;
  for (int i = 0; i < 1000; ++i) {
    AttachedAlert a;
    a.fingerprint = std::to_string(i);
    a.labels = {{"alertname", "HighErrorRate"}, {"pod", "api-" + std::to_string(i)},
                {"detail", std::string(500, 'x') + "\x07"}};
    inc.alerts.push_back(a);
    inc.Log(1'700'000'000'000 + i, "alice", EntryKind::kNote, std::string(60'000, 'n') + "\nmore");
  }
  const std::string draft = DraftPostmortem(inc);
  EXPECT_TRUE(
      CheckText("post-mortem", draft, kMaxPostmortemBytes, TextShape::kMultiline, false).ok())
      << draft.size() << " bytes";
  EXPECT_NE(draft.find("… 900 more (see the incident)"), std::string::npos);
  EXPECT_NE(draft.find("… 600 more entries (see the incident's timeline)"), std::string::npos);
}

TEST(IncidentTest, JsonRoundTrip) {
  Incident inc;
  inc.id = 3;
  inc.title = "APIDown \"quoted\"";
  inc.severity = 2;
  inc.state = State::kMitigated;
  inc.group_key = "{}:{alertname=\"APIDown\"}";
  inc.opened_by = "system";
  inc.opened_ms = 10;
  inc.acknowledged_ms = 20;
  inc.policy = config::EscalationPolicyConfig{
      "primary", {{{"schedule:primary"}, {"pager"}, Duration(60'000)}, {{"bob"}, {}, {}}}, 2};
  inc.escalation = {1, 1, 12345, false};
  inc.alerts.push_back({"fp", {{"alertname", "APIDown"}}, 10, 30, true});
  inc.Log(10, "system", EntryKind::kOpened, "P2 opened");
  inc.postmortem = "# pm\n";
  inc.action_items.push_back({1, "add alert", "alice", true});
  Result<Incident> back = IncidentFromJson(IncidentToJson(inc));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, inc);
  EXPECT_FALSE(IncidentFromJson("{\"state\":\"nope\",\"severity\":1}").ok());
}

TEST(SignedLinkTest, VerifiesAndRejectsTamperedOrExpired) {
  const std::string secret = "s3cret";
  std::string sig = SignLink(secret, 42, "acknowledge", "alice", 2000);
  EXPECT_EQ(sig.size(), 64u);
  EXPECT_TRUE(VerifyLink(secret, 42, "acknowledge", "alice", 2000, sig, 1999).ok());
  Status expired = VerifyLink(secret, 42, "acknowledge", "alice", 2000, sig, 2000);
  EXPECT_EQ(expired.code(), StatusCode::kForbidden);
  EXPECT_THAT(expired.message(), HasSubstr("link expired"));
  EXPECT_THAT(VerifyLink(secret, 43, "acknowledge", "alice", 2000, sig, 0).message(),
              HasSubstr("signature invalid"));
  EXPECT_FALSE(VerifyLink(secret, 42, "resolve", "alice", 2000, sig, 0).ok());
  EXPECT_FALSE(VerifyLink(secret, 42, "acknowledge", "alice", 9000, sig, 0).ok());  // expiry moved
  EXPECT_FALSE(VerifyLink(secret, 42, "acknowledge", "mallory", 2000, sig, 0).ok());  // recipient
  EXPECT_FALSE(VerifyLink("other", 42, "acknowledge", "alice", 2000, sig, 0).ok());
  std::string flipped = sig;
  flipped[10] = flipped[10] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(VerifyLink(secret, 42, "acknowledge", "alice", 2000, flipped, 0).ok());
  EXPECT_FALSE(VerifyLink(secret, 42, "acknowledge", "alice", 2000, sig.substr(1), 0).ok());
}

constexpr const char* kConfig = R"(incidents:
  severity_rules:
    - match: {severity: critical, action: page}
      severity: P1
    - match: {severity: warning, action: page}
      severity: P3
  severities:
    P1: {response_time: 10m, policy: primary}
    P4: {policy: primary}
  ack_timeout: 20m
  business_hours: business-hours
  link_ttl: 2h
  users:
    - {name: alice, email: alice@example.com, receivers: [pager-alice]}
    - {name: bob, receivers: [pager-bob]}
  schedules:
    - name: primary
      time_zone: Europe/Berlin
      layers:
        - {rotation: weekly, handoff: "Mon 09:00", start: 2024-01-01, users: [alice, bob]}
        - {rotation: daily, handoff: "18:30", users: [bob]}
      overrides:
        - {user: bob, start: "2024-03-30T09:00:00+01:00", end: "2024-03-31T09:00:00+02:00"}
  escalation_policies:
    - name: primary
      levels:
        - {notify: ["schedule:primary"], receivers: [oncall-pager]}
        - {notify: [bob], timeout: 5m}
      repeat: 2
notifications:
  route: {receiver: oncall-pager}
  receivers:
    - {name: oncall-pager}
    - {name: pager-alice}
    - {name: pager-bob}
  time_intervals:
    - name: business-hours
      time_intervals: [{weekdays: ['monday:friday'], times: [{start_time: '09:00', end_time: '17:00'}]}]
)";

// Loads `text` as /etc/hw/hastewatch.yml; the errors with the file named relatively.
std::vector<std::string> Read(const std::string& text, config::IncidentsConfig* cfg) {
  Result<config::Config> c = config::LoadConfigString(text, "/etc/hw/hastewatch.yml");
  if (c.ok()) {
    *cfg = c->incidents;
    return {};
  }
  std::vector<std::string> errors;
  std::istringstream lines(c.status().message());
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("/etc/hw/")) line.erase(0, 8);
    errors.push_back(line);
  }
  return errors;
}

TEST(IncidentsConfigTest, ReadsEverySetting) {
  config::IncidentsConfig cfg;
  ASSERT_THAT(Read(kConfig, &cfg), ElementsAre());
  EXPECT_TRUE(cfg.configured);
  ASSERT_EQ(cfg.severity_rules.size(), 2u);
  EXPECT_EQ(cfg.severity_rules[1].severity, 3);
  EXPECT_EQ(cfg.severities[0].response_time, Duration(10 * 60'000));
  EXPECT_EQ(cfg.severities[1].response_time, Duration(30 * 60'000));  // the guide's P2
  EXPECT_EQ(cfg.severities[3].response_time, Duration(24 * 3600'000));
  EXPECT_EQ(cfg.severities[3].policy, "primary");
  EXPECT_EQ(cfg.ack_timeout, Duration(20 * 60'000));
  EXPECT_EQ(cfg.token_file, "");  // one-click links off
  EXPECT_EQ(cfg.link_ttl, Duration(2 * 3600'000));
  const config::ScheduleConfig& s = cfg.schedules.at(0);
  EXPECT_EQ(s.layers[0].handoff_weekday, 1);
  EXPECT_EQ(s.layers[0].handoff_minute, 540);
  EXPECT_EQ(s.layers[0].start_day, alerting::DaysFromCivil(2024, 1, 1));
  EXPECT_EQ(s.layers[1].rotation, "daily");
  EXPECT_EQ(s.layers[1].handoff_minute, 18 * 60 + 30);
  EXPECT_EQ(s.overrides[0].start_ms, 1711785600000);  // 2024-03-30T08:00:00Z
  EXPECT_EQ(s.overrides[0].end_ms, 1711868400000);    // 2024-03-31T07:00:00Z
  const config::EscalationPolicyConfig& p = cfg.escalation_policies.at(0);
  EXPECT_EQ(p.repeat, 2);
  EXPECT_FALSE(p.levels[0].timeout.has_value());
  EXPECT_EQ(p.levels[1].timeout, Duration(5 * 60'000));
}

TEST(IncidentsConfigTest, TokenFileResolvesAgainstTheConfigAndMustHoldASecret) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("hw_incidents_cfg_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  // `openssl rand -hex 32 > links.key`: 64 hex digits and a newline.
  std::ofstream(dir / "links.key") << std::string(64, 'a') << "\n";
  std::ofstream(dir / "empty.key") << "\n";
  std::ofstream(dir / "short.key") << "s3cret\n";
  const std::string config_path = (dir / "hastewatch.yml").string();
  auto load = [&](const std::string& key) {
    return config::LoadConfigString("incidents:\n  token_file: " + key + "\n", config_path);
  };
  Result<config::Config> ok = load("links.key");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->incidents.token_file, (dir / "links.key").string());
  EXPECT_EQ(ok->incidents.link_ttl, Duration(24 * 3600'000));  // the default
  Result<config::Config> missing = load("nope.key");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(),
              HasSubstr("hastewatch.yml:2:15: incidents.token_file: cannot read \"" +
                        (dir / "nope.key").string() + "\""));
  Result<config::Config> empty = load("empty.key");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(),
              HasSubstr("empty.key\" holds a 0-byte secret; at least 32 bytes are required"));
  // A short secret makes the links' HMAC guessable: refused, naming file and length.
  Result<config::Config> weak = load("short.key");
  ASSERT_FALSE(weak.ok());
  EXPECT_THAT(weak.status().message(),
              HasSubstr("incidents.token_file: \"" + (dir / "short.key").string() +
                        "\" holds a 6-byte secret; at least 32 bytes are required"));
  EXPECT_THAT(ReadLinkSecret((dir / "short.key").string()).status().message(),
              HasSubstr("short.key: 6 bytes; at least 32 are required"));
  EXPECT_TRUE(ReadLinkSecret((dir / "links.key").string()).ok());
  Result<config::Config> ttl =
      config::LoadConfigString("incidents:\n  link_ttl: 0s\n", config_path);
  ASSERT_FALSE(ttl.ok());
  EXPECT_THAT(ttl.status().message(), HasSubstr("incidents.link_ttl: must be positive"));
  // now + ttl must not overflow the links' expiry: capped at 30 days.
  for (const char* too_long : {"31d", "300000000y"}) {
    Result<config::Config> big = config::LoadConfigString(
        std::string("incidents:\n  link_ttl: ") + too_long + "\n", config_path);
    ASSERT_FALSE(big.ok()) << too_long;
    EXPECT_THAT(big.status().message(), HasSubstr("incidents.link_ttl: ")) << too_long;
  }
  EXPECT_TRUE(config::LoadConfigString("incidents:\n  link_ttl: 30d\n", config_path).ok());
  std::filesystem::remove_all(dir);
}

TEST(IncidentsConfigTest, DefaultsWhenAbsent) {
  config::IncidentsConfig cfg;
  EXPECT_THAT(Read("global: {}\n", &cfg), ElementsAre());
  EXPECT_FALSE(cfg.configured);
  ASSERT_EQ(cfg.severity_rules.size(), 1u);  // critical + page -> P1
  EXPECT_EQ(cfg.severity_rules[0].match.at("action"), "page");
  EXPECT_EQ(cfg.severities[2].response_time, Duration(2 * 3600'000));
}

TEST(IncidentsConfigTest, ErrorsNamePositionAndKey) {
  config::IncidentsConfig cfg;
  std::vector<std::string> errors = Read(R"(incidents:
  severity_rules:
    - match: {severity: critical}
      severity: P5
  severities:
    P9: {}
    P2: {policy: nope}
  users:
    - {name: alice, pager: x}
  schedules:
    - name: primary
      time_zone: Europe/Parise
      layers:
        - {rotation: weekly, handoff: "09:00", users: [alice, zed]}
      overrides:
        - {user: alice, start: "2024-03-30", end: "2024-03-30T09:00:00Z"}
  escalation_policies:
    - name: p
      levels:
        - {notify: ["schedule:other"], timeout: 0s}
      repeat: -1
  colour: blue
)",
                                         &cfg);
  EXPECT_THAT(errors, Contains("hastewatch.yml:4:17: incidents.severity_rules[0].severity: "
                               "unknown severity \"P5\" (want P1, P2, P3 or P4)"));
  EXPECT_THAT(errors, Contains(HasSubstr("hastewatch.yml:6:5: incidents.severities.P9")));
  EXPECT_THAT(errors, Contains("hastewatch.yml:7:18: incidents.severities.P2.policy: "
                               "unknown escalation policy \"nope\""));
  EXPECT_THAT(errors, Contains(HasSubstr("incidents.users[0].pager")));
  EXPECT_THAT(errors, Contains("hastewatch.yml:12:18: incidents.schedules[0].time_zone: "
                               "unknown time zone Europe/Parise"));
  EXPECT_THAT(errors, Contains(HasSubstr("hastewatch.yml:14:39: incidents.schedules[0]"
                                         ".layers[0].handoff: invalid handoff \"09:00\"")));
  EXPECT_THAT(errors, Contains("hastewatch.yml:14:63: incidents.schedules[0].layers[0]"
                               ".users[1]: unknown user \"zed\""));
  EXPECT_THAT(errors, Contains(HasSubstr("incidents.schedules[0].overrides[0].start: invalid "
                                         "time \"2024-03-30\"")));
  EXPECT_THAT(errors, Contains("hastewatch.yml:20:21: incidents.escalation_policies[0]"
                               ".levels[0].notify[0]: unknown schedule \"other\""));
  EXPECT_THAT(errors, Contains(HasSubstr("levels[0].timeout: must be greater than 0")));
  EXPECT_THAT(errors, Contains(HasSubstr("incidents.escalation_policies[0].repeat")));
  EXPECT_THAT(errors, Contains(HasSubstr("hastewatch.yml:22:3: incidents.colour")));
}

TEST(SimulateTest, PrintsEachStepOfAnUnacknowledgedP1) {
  config::IncidentsConfig cfg;
  ASSERT_THAT(Read(kConfig, &cfg), ElementsAre());
  // Tuesday 2024-04-02 10:00 Berlin: bob's week (from Monday 1 April).
  SimulationOptions options;
  options.start_ms = 1712044800000;
  options.duration = Duration(3600'000);
  Result<std::vector<std::string>> lines = SimulateEscalation(cfg, options);
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  EXPECT_THAT(
      *lines,
      ElementsAre(
          "P1 incident, escalation policy primary (2 levels, repeat 2), never acknowledged:",
          "t+0       level 1 paged bob via oncall-pager (opened)",
          "t+10m     level 2 paged bob via pager-bob (unacknowledged after 10m)",
          "t+15m     level 1 (repeat 1) paged bob via oncall-pager (unacknowledged after 5m, "
          "repeating the policy)",
          "t+25m     level 2 (repeat 1) paged bob via pager-bob (unacknowledged after 10m)",
          "t+30m     level 1 (repeat 2) paged bob via oncall-pager (unacknowledged after 5m, "
          "repeating the policy)",
          "t+40m     level 2 (repeat 2) paged bob via pager-bob (unacknowledged after 10m)",
          "policy exhausted: nobody else is paged until someone acknowledges"));
  options.severity = 2;
  EXPECT_FALSE(SimulateEscalation(cfg, options).ok());  // P2 has no policy
}

TEST(SimulateTest, SaysWhenTheNextStepIsDueBeyondTheSimulatedTime) {
  config::IncidentsConfig cfg;
  ASSERT_THAT(Read(kConfig, &cfg), ElementsAre());
  SimulationOptions options;
  options.start_ms = 1712044800000;  // 2024-04-02T08:00:00Z
  options.duration = Duration(5 * 60'000);
  Result<std::vector<std::string>> lines = SimulateEscalation(cfg, options);
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  EXPECT_THAT(*lines,
              ElementsAre(HasSubstr("never acknowledged:"),
                          "t+0       level 1 paged bob via oncall-pager (opened)",
                          "t+5m      stopped (--for): the next step is due at t+10m, "
                          "2024-04-02T08:10:00Z"));
}

}  // namespace
}  // namespace hw::incidents
