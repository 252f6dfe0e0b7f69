// An escalation page as receivers get it: signed acknowledge/resolve links in the
// alerts' annotations (the webhook payload stays Alertmanager v4), shown by the
// default email, Slack and PagerDuty bodies; drills say TEST.
#include "incidents/page.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "alerting/integrations/payloads.h"
#include "alerting/notify_template.h"

namespace hw::incidents {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::int64_t kNow = 1'700'000'000'000;

Incident ApiDown() {
  Incident inc;
  inc.id = 12;
  inc.title = "APIDown (api)";
  inc.severity = 1;
  inc.alerts.push_back({"fp", {{"alertname", "APIDown"}, {"service", "api"}}, kNow, kNow, false});
  return inc;
}

EscalationStep Level2() {
  EscalationStep step;
  step.incident_id = 12;
  step.level = 2;
  step.users = {"bob"};
  step.receivers = {"pager-bob"};
  step.reason = "unacknowledged after 15m";
  return step;
}

class PageTest : public ::testing::Test {
 protected:
  FakeClock clock_{kNow};
  IncidentLinks links_{"s3cret", "http://hw.example:9190", Duration(3600'000), clock_};
};

TEST_F(PageTest, AlertsCarrySignedLinksNamingWhoWasPaged) {
  alerting::Notification n =
      BuildPage(ApiDown(), Level2(), "pager-bob", links_, "http://hw.example:9190/");
  EXPECT_EQ(n.group_key, "incident/12");
  ASSERT_EQ(n.alerts.size(), 1u);
  const auto& a = n.alerts[0].annotations;
  EXPECT_EQ(a.at("acknowledge_url"), links_.Url(12, "acknowledge", "bob via pager-bob"));
  EXPECT_EQ(a.at("resolve_url"), links_.Url(12, "resolve", "bob via pager-bob"));
  EXPECT_EQ(a.at("incident_url"), "http://hw.example:9190/ui/incidents/12");
  EXPECT_EQ(a.at("summary"), "P1 incident #12: APIDown (api)");
  EXPECT_FALSE(a.contains("test"));
}

TEST_F(PageTest, WebhookPayloadStaysVersion4WithTheLinksAsAnnotations) {
  alerting::Notification n = BuildPage(ApiDown(), Level2(), "pager-bob", links_, "http://hw");
  n.receiver = "pager-bob";
  n.now_ms = kNow;
  rapidjson::Document d;
  std::string body = alerting::integrations::WebhookPayload(n, 0);
  d.Parse(body.c_str());
  ASSERT_FALSE(d.HasParseError()) << body;
  EXPECT_STREQ(d["version"].GetString(), "4");
  for (const char* key : {"receiver", "status", "alerts", "groupLabels", "commonLabels",
                          "commonAnnotations", "externalURL", "groupKey", "truncatedAlerts"}) {
    EXPECT_TRUE(d.HasMember(key)) << key;
  }
  const auto& ann = d["alerts"][0]["annotations"];
  EXPECT_THAT(ann["acknowledge_url"].GetString(),
              HasSubstr("/incident-link/12/acknowledge?to=bob%20via%20pager-bob&exp="));
  EXPECT_THAT(ann["resolve_url"].GetString(), HasSubstr("/incident-link/12/resolve?"));
}

TEST_F(PageTest, DefaultEmailSlackAndPagerdutyBodiesShowTheLinks) {
  alerting::Notification n = BuildPage(ApiDown(), Level2(), "pager-bob", links_, "http://hw");
  n.receiver = "pager-bob";
  n.now_ms = kNow;
  n.external_url = "http://hw";
  const std::string ack = links_.Url(12, "acknowledge", "bob via pager-bob");
  const std::string resolve = links_.Url(12, "resolve", "bob via pager-bob");
  auto templates = alerting::NotifyTemplates::Defaults();
  Result<std::string> text = templates->Execute(R"({{ template "email.default.text" . }})", n);
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_THAT(*text, HasSubstr("  Acknowledge: " + ack + "\n"));
  EXPECT_THAT(*text, HasSubstr("  Resolve: " + resolve + "\n"));
  Result<std::string> html =
      templates->Execute(R"({{ template "email.default.html" . }})", n, /*html=*/true);
  ASSERT_TRUE(html.ok()) << html.status().message();
  EXPECT_THAT(*html, HasSubstr(">Acknowledge</a>"));
  EXPECT_THAT(*html, HasSubstr(">Resolve</a>"));
  Result<std::string> slack = templates->Execute(R"({{ template "slack.default.text" . }})", n);
  ASSERT_TRUE(slack.ok()) << slack.status().message();
  EXPECT_THAT(*slack, HasSubstr("<" + ack + "|Acknowledge> · <" + resolve + "|Resolve>"));

  Result<std::string> pd =
      alerting::integrations::PagerdutyPayload(config::PagerdutyConfig{}, "key", *templates, n);
  ASSERT_TRUE(pd.ok()) << pd.status().message();
  rapidjson::Document d;
  d.Parse(pd->c_str());
  ASSERT_TRUE(d.HasMember("links")) << *pd;
  ASSERT_EQ(d["links"].Size(), 2u);
  EXPECT_EQ(d["links"][0]["href"].GetString(), ack);
  EXPECT_STREQ(d["links"][0]["text"].GetString(), "Acknowledge");
  EXPECT_EQ(d["links"][1]["href"].GetString(), resolve);
  EXPECT_STREQ(d["links"][1]["text"].GetString(), "Resolve");
}

TEST_F(PageTest, WithoutLinksTheBodiesHaveNoActLines) {
  IncidentLinks off("", "http://hw", Duration(3600'000), clock_);
  alerting::Notification n = BuildPage(ApiDown(), Level2(), "pager-bob", off, "http://hw");
  EXPECT_FALSE(n.alerts[0].annotations.contains("acknowledge_url"));
  Result<std::string> text =
      alerting::NotifyTemplates::Defaults()->Execute(R"({{ template "email.default.text" . }})", n);
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, Not(HasSubstr("Acknowledge")));
}

TEST_F(PageTest, DrillPagesSayTest) {
  Incident drill;
  drill.id = 3;
  drill.title = "[TEST] P1 escalation drill";
  drill.severity = 1;
  drill.test = true;
  EscalationStep step = Level2();
  step.level = 1;
  step.reason = "opened";
  alerting::Notification n = BuildPage(drill, step, "pager-bob", links_, "http://hw");
  ASSERT_EQ(n.alerts.size(), 1u);
  EXPECT_EQ(n.alerts[0].labels.Get("test"), "true");
  EXPECT_EQ(n.alerts[0].labels.Get("alertname"), "Incident");
  EXPECT_EQ(n.group_labels.Get("test"), "true");
  EXPECT_EQ(n.alerts[0].annotations.at("test"), "true");
  EXPECT_EQ(n.alerts[0].annotations.at("summary"),
            "TEST P1 incident #3: [TEST] P1 escalation drill");
  EXPECT_THAT(n.alerts[0].annotations.at("description"), HasSubstr("TEST (a drill"));
  EXPECT_EQ(n.note, "TEST escalation level 1 of incident #3");
}

}  // namespace
}  // namespace hw::incidents
