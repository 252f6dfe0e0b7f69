// BuildIntegrations: a receiver's *_configs entries with the global defaults applied.
#include "alerting/integrations.h"

#include <fmt/format.h>

#include "alerting/integrations/common.h"

namespace hw::alerting {
namespace {

using integrations::NewEmail;
using integrations::NewPagerduty;
using integrations::NewSlack;
using integrations::NewWebhook;

// The receiver's http_config, or the global one when the receiver sets none.
config::HttpClientConfig HttpOr(const config::HttpClientConfig& own,
                                const config::AmGlobalConfig& global) {
  return own == config::HttpClientConfig{} ? global.http_config : own;
}

void Default(std::string* field, const std::string& global) {
  if (field->empty()) *field = global;
}

}  // namespace

Result<std::vector<std::unique_ptr<Integration>>> BuildIntegrations(
    const config::ReceiverConfig& receiver, const config::AmGlobalConfig& global,
    std::shared_ptr<const NotifyTemplates> templates) {
  if (templates == nullptr) templates = NotifyTemplates::Defaults();
  std::vector<std::unique_ptr<Integration>> out;
  auto fail = [&](std::string_view kind, std::size_t i, std::string_view problem) {
    return Status::BadData(
        fmt::format("receiver \"{}\": {}[{}]: {}", receiver.name, kind, i, problem));
  };
  for (std::size_t i = 0; i < receiver.webhook_configs.size(); ++i) {
    config::WebhookConfig c = receiver.webhook_configs[i];
    if (c.url.empty() && c.url_file.empty()) return fail("webhook_configs", i, "one of url or url_file is required");
    if (!c.url.empty() && !c.url_file.empty()) return fail("webhook_configs", i, "at most one of url and url_file");
    if (c.max_alerts < 0) return fail("webhook_configs", i, "max_alerts must not be negative");
    c.http_config = HttpOr(c.http_config, global);
    out.push_back(NewWebhook(std::move(c), templates));
  }
  for (std::size_t i = 0; i < receiver.email_configs.size(); ++i) {
    config::EmailConfig c = receiver.email_configs[i];
    Default(&c.from, global.smtp_from);
    Default(&c.hello, global.smtp_hello);
    Default(&c.smarthost, global.smtp_smarthost);
    if (c.auth_username.empty()) {
      c.auth_username = global.smtp_auth_username;
      Default(&c.auth_password, global.smtp_auth_password);
      Default(&c.auth_password_file, global.smtp_auth_password_file);
      Default(&c.auth_identity, global.smtp_auth_identity);
      Default(&c.auth_secret, global.smtp_auth_secret);
    }
    if (c.to.empty()) return fail("email_configs", i, "missing to address");
    if (c.smarthost.empty()) return fail("email_configs", i, "no smarthost (nor global.smtp_smarthost)");
    if (c.from.empty() && !c.headers.contains("From")) {
      return fail("email_configs", i, "no from address (nor global.smtp_from)");
    }
    out.push_back(NewEmail(std::move(c), templates));
  }
  for (std::size_t i = 0; i < receiver.slack_configs.size(); ++i) {
    config::SlackConfig c = receiver.slack_configs[i];
    if (c.api_url.empty() && c.api_url_file.empty()) {
      c.api_url = global.slack_api_url;
      c.api_url_file = global.slack_api_url_file;
    }
    if (c.api_url.empty() && c.api_url_file.empty()) {
      return fail("slack_configs", i, "no api_url (nor global.slack_api_url)");
    }
    c.http_config = HttpOr(c.http_config, global);
    out.push_back(NewSlack(std::move(c), templates));
  }
  for (std::size_t i = 0; i < receiver.pagerduty_configs.size(); ++i) {
    config::PagerdutyConfig c = receiver.pagerduty_configs[i];
    bool v2 = !c.routing_key.empty() || !c.routing_key_file.empty();
    bool v1 = !c.service_key.empty() || !c.service_key_file.empty();
    if (!v1 && !v2) return fail("pagerduty_configs", i, "missing service_key or routing_key");
    if (v2) Default(&c.url, global.pagerduty_url);
    c.http_config = HttpOr(c.http_config, global);
    out.push_back(NewPagerduty(std::move(c), templates));
  }
  return out;
}

}  // namespace hw::alerting
