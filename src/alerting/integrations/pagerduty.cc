// The PagerDuty integration, shaped as Alertmanager's pagerduty notifier sends it.
//
// Events API v2 (routing_key), POSTed to url (global.pagerduty_url by default):
//   {"routing_key","dedup_key","event_action":"trigger"|"resolve","payload":{"summary",
//    "source","severity","class","component","group","custom_details"},"client",
//    "client_url","links":[{"href","text"}]}
// Events API v1 (service_key), POSTed to the generic create_event endpoint:
//   {"service_key","incident_key","event_type","description","client","client_url",
//    "details"}
//
// dedup_key / incident_key is the sha256 hex of the group key, so every update of a
// group lands on one incident. The summary is cut to 1024 code points. hastewatch
// adds each alert's runbook as a link ("Runbook"), and an incident page's signed
// acknowledge / resolve links ("Acknowledge", "Resolve").
#include <openssl/sha.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

#include "alerting/integrations/common.h"
#include "alerting/integrations/payloads.h"

namespace hw::alerting::integrations {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
void Opt(Writer& w, const char* key, const std::string& v) {
  if (v.empty()) return;
  w.Key(key);
  Str(w, v);
}

constexpr std::size_t kMaxSummaryRunes = 1024;  // Events API v2 payload.summary limit
constexpr std::string_view kV1Url =
    "https://events.pagerduty.com/generic/2010-04-15/create_event.json";
constexpr std::string_view kV2Url = "https://events.pagerduty.com/v2/enqueue";

const std::string& Or(const std::string& v, const std::string& def) { return v.empty() ? def : v; }

bool IsV1(const config::PagerdutyConfig& c) {
  return c.routing_key.empty() && c.routing_key_file.empty() &&
         (!c.service_key.empty() || !c.service_key_file.empty());
}

class Pagerduty : public Integration {
 public:
  Pagerduty(config::PagerdutyConfig c, std::shared_ptr<const NotifyTemplates> t)
      : c_(std::move(c)), templates_(std::move(t)) {}
  std::string_view kind() const override { return "pagerduty"; }
  bool send_resolved() const override { return c_.send_resolved; }

  Status Notify(const Notification& n) override {
    bool v1 = IsV1(c_);
    auto key = v1 ? ValueOrFile(c_.service_key, c_.service_key_file, "pagerduty service_key")
                  : ValueOrFile(c_.routing_key, c_.routing_key_file, "pagerduty routing_key");
    if (!key.ok()) return key.status();
    auto body = PagerdutyPayload(c_, *key, *templates_, n);
    if (!body.ok()) return body.status();
    std::string url = c_.url;
    if (v1 && (url.empty() || url == kV2Url)) url = std::string(kV1Url);
    if (url.empty()) url = std::string(kV2Url);
    return Post("pagerduty", url, *body, "application/json", c_.http_config, Duration(0));
  }

 private:
  config::PagerdutyConfig c_;
  std::shared_ptr<const NotifyTemplates> templates_;
};

}  // namespace

std::string GroupKeyHash(std::string_view group_key) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(group_key.data()), group_key.size(), digest);
  std::string out;
  for (unsigned char b : digest) out += fmt::format("{:02x}", b);
  return out;
}

Result<std::string> PagerdutyPayload(const config::PagerdutyConfig& c, const std::string& key,
                                     const NotifyTemplates& t, const Notification& n) {
  static const std::string kClient = R"({{ template "pagerduty.default.client" . }})";
  static const std::string kClientUrl = R"({{ template "pagerduty.default.clientURL" . }})";
  static const std::string kDescription = R"({{ template "pagerduty.default.description" .}})";
  static const std::map<std::string, std::string> kDetails = {
      {"firing", R"({{ template "pagerduty.default.instances" .Alerts.Firing }})"},
      {"resolved", R"({{ template "pagerduty.default.instances" .Alerts.Resolved }})"},
      {"num_firing", R"({{ .Alerts.Firing | len }})"},
      {"num_resolved", R"({{ .Alerts.Resolved | len }})"},
  };
  Expander e(t, n);
  std::string client = e.Expand(Or(c.client, kClient));
  std::string client_url = e.Expand(Or(c.client_url, kClientUrl));
  std::string summary = TruncateRunes(e.Expand(Or(c.description, kDescription)), kMaxSummaryRunes);
  std::map<std::string, std::string> details;
  for (const auto& [k, v] : c.details.empty() ? kDetails : c.details) details[k] = e.Expand(v);
  std::string severity = e.Expand(Or(c.severity, "error"));
  std::string source = c.source.empty() ? (client_url.empty() ? client : client_url) : e.Expand(c.source);
  std::string klass = e.Expand(c.class_);
  std::string component = e.Expand(c.component);
  std::string group = e.Expand(c.group);
  if (!e.status().ok()) return e.status();
  bool firing = n.Firing();

  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  if (IsV1(c)) {
    w.Key("service_key");
    Str(w, key);
    w.Key("incident_key");
    Str(w, GroupKeyHash(n.group_key));
    w.Key("event_type");
    Str(w, firing ? "trigger" : "resolve");
    Opt(w, "description", summary);
    Opt(w, "client", client);
    Opt(w, "client_url", client_url);
    if (!details.empty()) {
      w.Key("details");
      w.StartObject();
      for (const auto& [k, v] : details) {
        Str(w, k);
        Str(w, v);
      }
      w.EndObject();
    }
    w.EndObject();
    return std::string(buf.GetString(), buf.GetSize());
  }
  w.Key("routing_key");
  Str(w, key);
  w.Key("dedup_key");
  Str(w, GroupKeyHash(n.group_key));
  w.Key("event_action");
  Str(w, firing ? "trigger" : "resolve");
  w.Key("payload");
  w.StartObject();
  w.Key("summary");
  Str(w, summary);
  w.Key("source");
  Str(w, source);
  w.Key("severity");
  Str(w, severity);
  Opt(w, "class", klass);
  Opt(w, "component", component);
  Opt(w, "group", group);
  if (!details.empty()) {
    w.Key("custom_details");
    w.StartObject();
    for (const auto& [k, v] : details) {
      Str(w, k);
      Str(w, v);
    }
    w.EndObject();
  }
  w.EndObject();
  Opt(w, "client", client);
  Opt(w, "client_url", client_url);
  std::vector<std::pair<std::string, std::string>> links;  // href, text
  const rules::TemplateValue* runbooks = e.data().Field("RunbookURLs");
  if (runbooks != nullptr && runbooks->list) {
    for (const auto& r : *runbooks->list) links.emplace_back(r.s, "Runbook");
  }
  // An incident page's signed one-click links (the first alert's; a page's alerts share them).
  if (!n.alerts.empty()) {
    for (const auto& [key, text] : {std::pair<const char*, const char*>{"acknowledge_url", "Acknowledge"},
                                    {"resolve_url", "Resolve"}}) {
      auto it = n.alerts.front().annotations.find(key);
      if (it != n.alerts.front().annotations.end() && !it->second.empty()) {
        links.emplace_back(it->second, text);
      }
    }
  }
  if (!links.empty()) {
    w.Key("links");
    w.StartArray();
    for (const auto& [href, text] : links) {
      w.StartObject();
      w.Key("href");
      Str(w, href);
      w.Key("text");
      Str(w, text);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::unique_ptr<Integration> NewPagerduty(config::PagerdutyConfig c,
                                          std::shared_ptr<const NotifyTemplates> t) {
  return std::make_unique<Pagerduty>(std::move(c), std::move(t));
}

}  // namespace hw::alerting::integrations
