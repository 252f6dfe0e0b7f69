#include "alerting/integrations.h"

#include <filesystem>
#include <fstream>
#include <mutex>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "alerting/integrations/payloads.h"
#include "http/server.h"
#include "http/service.h"

namespace hw::alerting {
namespace {

constexpr std::int64_t kNow = 1'780'000'600'000;

// A receiver stand-in: records every POST to /hook and answers with `status`.
class Sink {
 public:
  struct Got {
    std::string body, auth, content_type;
  };
  Sink() {
    auto router = std::make_shared<http::Router>();
    router->Post("/hook", config::Role::kNone, [this](http::Request& r) {
      std::lock_guard lock(mu_);
      got_.push_back({r.body, std::string(r.Header("authorization")), std::string(r.Header("content-type"))});
      return http::Response::Text(status_ == 204 ? "" : "ok", "text/plain", status_);
    });
    service_ = std::make_unique<http::Service>(
        router, std::make_shared<http::Authenticator>(config::AuthConfig{}), log_, registry_,
        http::ServiceOptions{});
    http::ServerOptions opts;
    opts.listen = "127.0.0.1:0";
    server_ = std::make_unique<http::Server>(opts, *service_, log_);
    EXPECT_TRUE(server_->Start().ok());
  }
  ~Sink() { server_->Stop(); }
  std::string url() const { return "http://" + server_->address() + "/hook"; }
  void set_status(int s) {
    std::lock_guard lock(mu_);
    status_ = s;
  }
  std::vector<Got> got() const {
    std::lock_guard lock(mu_);
    return got_;
  }

 private:
  Logger log_{"sink", LogLevel::kError, std::make_shared<MemoryLogSink>()};
  metrics::Registry registry_;
  std::unique_ptr<http::Service> service_;
  std::unique_ptr<http::Server> server_;
  mutable std::mutex mu_;
  int status_ = 200;
  std::vector<Got> got_;
};

model::Alert MakeAlert(std::string_view instance, std::map<std::string, std::string> annotations,
                       bool resolved = false) {
  model::Alert a;
  a.labels = model::Labels::FromPairs({{"alertname", "APIDown"}, {"instance", instance}, {"severity", "critical"}});
  a.annotations = std::move(annotations);
  a.starts_at_ms = 1'780'000'000'000;
  a.ends_at_ms = resolved ? kNow - 59'500 : 0;
  a.generator_url = "http://hw.example:9190/graph";
  return a;
}

Notification Sample() {
  Notification n;
  n.receiver = "ops";
  n.group_key = "{}:{alertname=\"APIDown\"}";
  n.group_labels = model::Labels::FromPairs({{"alertname", "APIDown"}});
  n.alerts.push_back(MakeAlert("api-1", {{"summary", "api-1 down"}, {"runbook_url", "/runbooks/api.md"}}));
  n.alerts.push_back(MakeAlert("api-2", {{"summary", "api-2 down"}, {"runbook_url", "/runbooks/api.md"}}, true));
  n.now_ms = kNow;
  n.external_url = "http://hw.example:9190";
  return n;
}

std::unique_ptr<Integration> BuildOne(const config::ReceiverConfig& r,
                                      const config::AmGlobalConfig& g = {}) {
  auto built = BuildIntegrations(r, g, NotifyTemplates::Defaults());
  EXPECT_TRUE(built.ok()) << built.status().message();
  if (!built.ok() || built->size() != 1) return nullptr;
  return std::move(built->front());
}

std::string Fp(std::string_view instance) {
  return model::FingerprintHex(model::AlertFingerprint(model::Labels::FromPairs(
      {{"alertname", "APIDown"}, {"instance", instance}, {"severity", "critical"}})));
}

TEST(WebhookTest, PostsAlertmanagersPayloadVersion4) {
  Sink sink;
  config::ReceiverConfig r;
  r.name = "ops";
  auto& c = r.webhook_configs.emplace_back();
  c.url = sink.url();
  c.http_config.basic_auth = config::BasicAuthConfig{"u", "p", ""};
  auto hook = BuildOne(r);
  ASSERT_NE(hook, nullptr);
  EXPECT_EQ(hook->kind(), "webhook");
  EXPECT_TRUE(hook->send_resolved());
  ASSERT_TRUE(hook->Notify(Sample()).ok());
  ASSERT_EQ(sink.got().size(), 1u);
  EXPECT_EQ(sink.got()[0].auth, "Basic dTpw");
  EXPECT_EQ(sink.got()[0].content_type, "application/json");
  EXPECT_EQ(sink.got()[0].body,
            R"({"receiver":"ops","status":"firing","alerts":[)"
            R"({"status":"firing","labels":{"alertname":"APIDown","instance":"api-1","severity":"critical"},)"
            R"("annotations":{"runbook_url":"/runbooks/api.md","summary":"api-1 down"},)"
            R"("startsAt":"2026-05-28T20:26:40Z","endsAt":"0001-01-01T00:00:00Z",)"
            R"("generatorURL":"http://hw.example:9190/graph","fingerprint":")" + Fp("api-1") + R"("},)"
            R"({"status":"resolved","labels":{"alertname":"APIDown","instance":"api-2","severity":"critical"},)"
            R"("annotations":{"runbook_url":"/runbooks/api.md","summary":"api-2 down"},)"
            R"("startsAt":"2026-05-28T20:26:40Z","endsAt":"2026-05-28T20:35:40.5Z",)"
            R"("generatorURL":"http://hw.example:9190/graph","fingerprint":")" + Fp("api-2") + R"("}],)"
            R"("groupLabels":{"alertname":"APIDown"},)"
            R"("commonLabels":{"alertname":"APIDown","severity":"critical"},)"
            R"("commonAnnotations":{"runbook_url":"/runbooks/api.md"},)"
            R"("externalURL":"http://hw.example:9190","version":"4",)"
            R"("groupKey":"{}:{alertname=\"APIDown\"}","truncatedAlerts":0})");
}

TEST(WebhookTest, MaxAlertsTruncatesAndCounts) {
  Notification n = Sample();
  std::string body = integrations::WebhookPayload(n, 1);
  EXPECT_NE(body.find("\"truncatedAlerts\":1}"), std::string::npos) << body;
  EXPECT_EQ(body.find("api-2"), std::string::npos) << body;
  EXPECT_NE(body.find("\"status\":\"firing\",\"alerts\""), std::string::npos);
  n.alerts.clear();
  EXPECT_EQ(integrations::WebhookPayload(n, 0),
            R"({"receiver":"ops","status":"resolved","alerts":[],"groupLabels":{"alertname":"APIDown"},)"
            R"("commonLabels":{},"commonAnnotations":{},"externalURL":"http://hw.example:9190",)"
            R"("version":"4","groupKey":"{}:{alertname=\"APIDown\"}","truncatedAlerts":0})");
}

TEST(WebhookTest, UrlFileIsReadAtEachSend) {
  Sink one, two;
  const std::string file = testing::TempDir() + "/webhook_url";
  std::ofstream(file) << one.url() << "\n";
  config::ReceiverConfig r;
  r.webhook_configs.emplace_back().url_file = file;
  auto hook = BuildOne(r);
  ASSERT_NE(hook, nullptr);
  ASSERT_TRUE(hook->Notify(Sample()).ok());
  std::ofstream(file, std::ios::trunc) << two.url();
  ASSERT_TRUE(hook->Notify(Sample()).ok());
  EXPECT_EQ(one.got().size(), 1u);
  EXPECT_EQ(two.got().size(), 1u);
  std::filesystem::remove(file);
  EXPECT_EQ(hook->Notify(Sample()).code(), StatusCode::kBadData);
}

TEST(WebhookTest, ResponsesMapToRetryOrPermanentFailure) {
  Sink sink;
  config::ReceiverConfig r;
  r.webhook_configs.emplace_back().url = sink.url();
  auto hook = BuildOne(r);
  ASSERT_NE(hook, nullptr);
  struct {
    int status;
    StatusCode want;
  } cases[] = {{200, StatusCode::kOk}, {204, StatusCode::kOk}, {500, StatusCode::kUnavailable},
               {503, StatusCode::kUnavailable}, {429, StatusCode::kUnavailable},
               {400, StatusCode::kBadData}, {404, StatusCode::kBadData}};
  for (const auto& c : cases) {
    sink.set_status(c.status);
    Status s = hook->Notify(Sample());
    EXPECT_EQ(s.code(), c.want) << c.status << ": " << s.message();
    if (!s.ok()) EXPECT_NE(s.message().find(std::to_string(c.status)), std::string::npos) << s.message();
  }
  config::ReceiverConfig closed;
  closed.webhook_configs.emplace_back().url = "http://127.0.0.1:1/hook";  // nothing listens
  auto dead = BuildOne(closed);
  ASSERT_NE(dead, nullptr);
  EXPECT_EQ(dead->Notify(Sample()).code(), StatusCode::kUnavailable);
}

TEST(SlackTest, PostsAttachmentWithConfiguredFields) {
  Sink sink;
  config::ReceiverConfig r;
  auto& c = r.slack_configs.emplace_back();
  c.api_url = sink.url();
  c.channel = "#ops";
  c.username = "{{ .Receiver }}-bot";
  c.icon_emoji = ":fire:";
  c.title = "{{ .CommonLabels.alertname }} ({{ .Alerts.Firing | len }})";
  c.title_link = "{{ .ExternalURL }}/alerts";
  c.text = "{{ range .Alerts }}{{ .Annotations.summary }} {{ .RunbookURL }}\n{{ end }}";
  c.fallback = "fb";
  c.footer = "hastewatch";
  c.fields.push_back({"Severity", "{{ .CommonLabels.severity }}", true});
  c.send_resolved = true;
  auto slack = BuildOne(r);
  ASSERT_NE(slack, nullptr);
  EXPECT_EQ(slack->kind(), "slack");
  ASSERT_TRUE(slack->Notify(Sample()).ok());
  ASSERT_EQ(sink.got().size(), 1u);
  EXPECT_EQ(sink.got()[0].body,
            R"({"channel":"#ops","username":"ops-bot","icon_emoji":":fire:","attachments":[{)"
            R"x("title":"APIDown (1)","title_link":"http://hw.example:9190/alerts",)x"
            R"("text":"api-1 down http://hw.example:9190/runbooks/api.md\napi-2 down http://hw.example:9190/runbooks/api.md\n",)"
            R"("fallback":"fb","callback_id":"","fields":[{"title":"Severity","value":"critical","short":true}],)"
            R"("footer":"hastewatch","color":"danger","mrkdwn_in":["fallback","pretext","text"]}]})");
}

TEST(SlackTest, DefaultsFromGlobalAndTemplates) {
  Sink sink;
  config::AmGlobalConfig g;
  g.slack_api_url = sink.url();
  config::ReceiverConfig r;
  r.slack_configs.emplace_back();
  auto slack = BuildOne(r, g);
  ASSERT_NE(slack, nullptr);
  Notification n = Sample();
  n.alerts.erase(n.alerts.begin());  // only the resolved one
  ASSERT_TRUE(slack->Notify(n).ok());
  ASSERT_EQ(sink.got().size(), 1u);
  rapidjson::Document d;
  d.Parse(sink.got()[0].body.c_str());
  ASSERT_FALSE(d.HasParseError()) << sink.got()[0].body;
  EXPECT_STREQ(d["username"].GetString(), "hastewatch");
  const auto& a = d["attachments"][0];
  EXPECT_STREQ(a["color"].GetString(), "good");
  EXPECT_STREQ(a["title"].GetString(),
               "[RESOLVED] APIDown (api-2 critical): api-2 down | runbook: http://hw.example:9190/runbooks/api.md");
  EXPECT_STREQ(a["title_link"].GetString(), "http://hw.example:9190/alerts?receiver=ops");
  EXPECT_STREQ(a["text"].GetString(),
               "*RESOLVED* APIDown: api-2 down\nRunbook: <http://hw.example:9190/runbooks/api.md|http://hw.example:9190/runbooks/api.md>\n");
  EXPECT_NE(std::string(a["fallback"].GetString()).find("runbook: http://hw.example:9190/runbooks/api.md"), std::string::npos);
  EXPECT_FALSE(a.HasMember("pretext"));
}

TEST(SlackTest, TemplateErrorIsPermanent) {
  Sink sink;
  config::ReceiverConfig r;
  auto& c = r.slack_configs.emplace_back();
  c.api_url = sink.url();
  c.title = "{{ template \"missing.title\" . }}";
  auto slack = BuildOne(r);
  ASSERT_NE(slack, nullptr);
  Status s = slack->Notify(Sample());
  EXPECT_EQ(s.code(), StatusCode::kBadData);
  EXPECT_NE(s.message().find("missing.title"), std::string::npos) << s.message();
  EXPECT_TRUE(sink.got().empty());
}

TEST(PagerdutyTest, PostsEventsV2TriggerAndResolveWithOneDedupKey) {
  Sink sink;
  const std::string key_file = testing::TempDir() + "/pd_key";
  std::ofstream(key_file) << "R0UTING\n";
  config::ReceiverConfig r;
  auto& c = r.pagerduty_configs.emplace_back();
  c.routing_key_file = key_file;
  c.url = sink.url();
  c.severity = "{{ .CommonLabels.severity }}";
  c.component = "api";
  c.group = "prod";
  c.class_ = "availability";
  c.details = {{"firing", "{{ .Alerts.Firing | len }}"}, {"note", "{{ .Note }}"}};
  auto pd = BuildOne(r);
  ASSERT_NE(pd, nullptr);
  EXPECT_EQ(pd->kind(), "pagerduty");
  ASSERT_TRUE(pd->Notify(Sample()).ok());
  Notification resolved = Sample();
  resolved.alerts.erase(resolved.alerts.begin());
  ASSERT_TRUE(pd->Notify(resolved).ok());
  ASSERT_EQ(sink.got().size(), 2u);
  const std::string dedup = "cbed497c10e817016ebdad0d44e5c7ce339bb64470db1191386dda543c0acda5";
  EXPECT_EQ(integrations::GroupKeyHash(Sample().group_key), dedup);
  const std::string link = R"("links":[{"href":"http://hw.example:9190/runbooks/api.md","text":"Runbook"}]})";
  EXPECT_EQ(sink.got()[0].body,
            R"({"routing_key":"R0UTING","dedup_key":")" + dedup + R"(","event_action":"trigger",)"
            R"("payload":{"summary":"[FIRING:1] APIDown (critical): api-1 down; api-2 down | runbook: http://hw.example:9190/runbooks/api.md",)"
            R"("source":"http://hw.example:9190/alerts?receiver=ops","severity":"critical","class":"availability",)"
            R"("component":"api","group":"prod","custom_details":{"firing":"1","note":""}},)"
            R"("client":"hastewatch","client_url":"http://hw.example:9190/alerts?receiver=ops",)" + link);
  EXPECT_EQ(sink.got()[1].body,
            R"({"routing_key":"R0UTING","dedup_key":")" + dedup + R"(","event_action":"resolve",)"
            R"("payload":{"summary":"[RESOLVED] APIDown (api-2 critical): api-2 down | runbook: http://hw.example:9190/runbooks/api.md",)"
            R"("source":"http://hw.example:9190/alerts?receiver=ops","severity":"critical","class":"availability",)"
            R"("component":"api","group":"prod","custom_details":{"firing":"0","note":""}},)"
            R"("client":"hastewatch","client_url":"http://hw.example:9190/alerts?receiver=ops",)" + link);
}

TEST(PagerdutyTest, SummaryIsCutTo1024CodePointsAndDefaultDetails) {
  config::PagerdutyConfig c;
  c.description = "{{ range .Alerts }}{{ .Annotations.long }}{{ end }}";
  Notification n = Sample();
  std::string long_text;
  for (int i = 0; i < 600; ++i) long_text += "\xc3\xa9";  // é, two bytes
  n.alerts[0].annotations["long"] = long_text;
  n.alerts[1].annotations["long"] = long_text;
  auto body = integrations::PagerdutyPayload(c, "k", *NotifyTemplates::Defaults(), n);
  ASSERT_TRUE(body.ok()) << body.status().message();
  rapidjson::Document d;
  d.Parse(body->c_str());
  ASSERT_FALSE(d.HasParseError());
  std::string summary = d["payload"]["summary"].GetString();
  EXPECT_EQ(summary.size(), 1023u * 2 + 3);  // 1023 é and "…"
  EXPECT_TRUE(summary.ends_with("\u2026"));
  EXPECT_STREQ(d["payload"]["severity"].GetString(), "error");
  const auto& details = d["payload"]["custom_details"];
  EXPECT_STREQ(details["num_firing"].GetString(), "1");
  EXPECT_STREQ(details["num_resolved"].GetString(), "1");
  EXPECT_NE(std::string(details["firing"].GetString()).find("Runbook: http://hw.example:9190/runbooks/api.md"),
            std::string::npos);
}

TEST(PagerdutyTest, ServiceKeyUsesEventsV1) {
  Sink sink;
  config::ReceiverConfig r;
  auto& c = r.pagerduty_configs.emplace_back();
  c.service_key = "SVC";
  c.url = sink.url();
  c.description = "{{ .CommonLabels.alertname }} down";
  c.details = {{"n", "{{ len .Alerts }}"}};
  auto pd = BuildOne(r);
  ASSERT_NE(pd, nullptr);
  ASSERT_TRUE(pd->Notify(Sample()).ok());
  ASSERT_EQ(sink.got().size(), 1u);
  EXPECT_EQ(sink.got()[0].body,
            R"({"service_key":"SVC","incident_key":"cbed497c10e817016ebdad0d44e5c7ce339bb64470db1191386dda543c0acda5",)"
            R"("event_type":"trigger","description":"APIDown down","client":"hastewatch",)"
            R"("client_url":"http://hw.example:9190/alerts?receiver=ops","details":{"n":"2"}})");
}

TEST(BuildIntegrationsTest, OrderGlobalsAndErrors) {
  config::AmGlobalConfig g;
  g.smtp_smarthost = "mail:25";
  g.smtp_from = "hw@example.com";
  g.slack_api_url = "http://slack.example/hook";
  config::ReceiverConfig r;
  r.name = "all";
  r.pagerduty_configs.emplace_back().routing_key = "k";
  r.slack_configs.emplace_back();
  r.email_configs.emplace_back().to = "ops@example.com";
  r.webhook_configs.emplace_back().url = "http://x/";
  auto built = BuildIntegrations(r, g, nullptr);
  ASSERT_TRUE(built.ok()) << built.status().message();
  ASSERT_EQ(built->size(), 4u);
  EXPECT_EQ((*built)[0]->kind(), "webhook");
  EXPECT_EQ((*built)[1]->kind(), "email");
  EXPECT_FALSE((*built)[1]->send_resolved());
  EXPECT_EQ((*built)[2]->kind(), "slack");
  EXPECT_EQ((*built)[3]->kind(), "pagerduty");

  struct {
    std::function<void(config::ReceiverConfig&)> edit;
    const char* want;
  } bad[] = {
      {[](auto& x) { x.webhook_configs.emplace_back(); }, "receiver \"bad\": webhook_configs[0]: one of url or url_file is required"},
      {[](auto& x) { x.email_configs.emplace_back().to = "a@b"; }, "receiver \"bad\": email_configs[0]: no smarthost"},
      {[](auto& x) { x.slack_configs.emplace_back(); }, "receiver \"bad\": slack_configs[0]: no api_url"},
      {[](auto& x) { x.pagerduty_configs.emplace_back(); }, "receiver \"bad\": pagerduty_configs[0]: missing service_key or routing_key"},
  };
  for (const auto& b : bad) {
    config::ReceiverConfig x;
    x.name = "bad";
    b.edit(x);
    auto res = BuildIntegrations(x, config::AmGlobalConfig{}, nullptr);
    ASSERT_FALSE(res.ok()) << b.want;
    EXPECT_TRUE(res.status().message().starts_with(b.want)) << res.status().message();
  }
}

}  // namespace
}  // namespace hw::alerting
