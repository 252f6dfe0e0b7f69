// The webhook integration: Alertmanager's webhook payload, version 4.
//
//   {"receiver","status","alerts":[{"status","labels","annotations","startsAt","endsAt",
//    "generatorURL","fingerprint"}],"groupLabels","commonLabels","commonAnnotations",
//    "externalURL","version":"4","groupKey","truncatedAlerts"}
//
// Keys in this order, maps with sorted keys (Go's encoding/json), times RFC 3339 with
// Go's zero time "0001-01-01T00:00:00Z" for an unset one.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

#include "alerting/integrations/common.h"
#include "alerting/integrations/payloads.h"
#include "model/alert.h"

namespace hw::alerting::integrations {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

std::string Time(std::int64_t ms) {
  return ms == 0 ? "0001-01-01T00:00:00Z" : FormatRfc3339Millis(ms);
}

void KvObject(Writer& w, const rules::TemplateValue* kv) {
  w.StartObject();
  if (kv != nullptr) {
    for (const auto& [k, v] : kv->map) {
      Str(w, k);
      Str(w, v);
    }
  }
  w.EndObject();
}

class Webhook : public Integration {
 public:
  Webhook(config::WebhookConfig c, std::shared_ptr<const NotifyTemplates> t)
      : c_(std::move(c)), templates_(std::move(t)) {}
  std::string_view kind() const override { return "webhook"; }
  bool send_resolved() const override { return c_.send_resolved; }

  Status Notify(const Notification& n) override {
    auto url = ValueOrFile(c_.url, c_.url_file, "webhook url");
    if (!url.ok()) return url.status();
    if (url->empty()) return Status::BadData("cannot notify webhook: no url");
    std::string body = WebhookPayload(n, c_.max_alerts);
    return Post("webhook", *url, body, "application/json", c_.http_config, c_.timeout);
  }

 private:
  config::WebhookConfig c_;
  std::shared_ptr<const NotifyTemplates> templates_;
};

}  // namespace

std::string WebhookPayload(const Notification& n, std::int64_t max_alerts) {
  rules::TemplateValue data = NotifyData(n);
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("receiver");
  Str(w, n.receiver);
  w.Key("status");
  Str(w, n.Firing() ? "firing" : "resolved");
  w.Key("alerts");
  w.StartArray();
  std::size_t keep = n.alerts.size();
  if (max_alerts > 0 && static_cast<std::size_t>(max_alerts) < keep) keep = static_cast<std::size_t>(max_alerts);
  for (std::size_t i = 0; i < keep; ++i) {
    const model::Alert& a = n.alerts[i];
    w.StartObject();
    w.Key("status");
    Str(w, a.ResolvedAt(n.now_ms) ? "resolved" : "firing");
    w.Key("labels");
    w.StartObject();
    for (const auto& l : a.labels) {
      Str(w, l.name);
      Str(w, l.value);
    }
    w.EndObject();
    w.Key("annotations");
    w.StartObject();
    for (const auto& [k, v] : a.annotations) {
      Str(w, k);
      Str(w, v);
    }
    w.EndObject();
    w.Key("startsAt");
    Str(w, Time(a.starts_at_ms));
    w.Key("endsAt");
    Str(w, Time(a.ends_at_ms));
    w.Key("generatorURL");
    Str(w, a.generator_url);
    w.Key("fingerprint");
    Str(w, model::FingerprintHex(model::AlertFingerprint(a.labels)));
    w.EndObject();
  }
  w.EndArray();
  w.Key("groupLabels");
  KvObject(w, data.Field("GroupLabels"));
  w.Key("commonLabels");
  KvObject(w, data.Field("CommonLabels"));
  w.Key("commonAnnotations");
  KvObject(w, data.Field("CommonAnnotations"));
  w.Key("externalURL");
  Str(w, n.external_url);
  w.Key("version");
  Str(w, "4");
  w.Key("groupKey");
  Str(w, n.group_key);
  w.Key("truncatedAlerts");
  w.Uint64(n.alerts.size() - keep);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::unique_ptr<Integration> NewWebhook(config::WebhookConfig c,
                                        std::shared_ptr<const NotifyTemplates> t) {
  return std::make_unique<Webhook>(std::move(c), std::move(t));
}

}  // namespace hw::alerting::integrations
