// Internal to the integrations: pieces every HTTP integration shares.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "alerting/notification.h"
#include "alerting/notify_template.h"
#include "base/status.h"
#include "base/units.h"
#include "config/notifications.h"
#include "http/client.h"

namespace hw::alerting::integrations {

// Runs many template fields against one notification, keeping the first error (as
// Alertmanager's tmplText does): check status() after the last Expand.
class Expander {
 public:
  Expander(const NotifyTemplates& templates, const Notification& n)
      : templates_(templates), data_(NotifyData(n)) {}
  std::string Expand(std::string_view text, bool html = false);
  const Status& status() const { return status_; }
  const rules::TemplateValue& data() const { return data_; }

 private:
  const NotifyTemplates& templates_;
  rules::TemplateValue data_;
  Status status_;
};

// `value`, or the contents of `file` without trailing white space when value is empty.
Result<std::string> ValueOrFile(const std::string& value, const std::string& file,
                                std::string_view what);

// POSTs `body` with the receiver's http_config (auth header, TLS) and maps the
// response: 2xx ok; 5xx and 429 kUnavailable; other statuses kBadData. `what` names
// the integration in messages ("webhook", "slack").
Status Post(std::string_view what, const std::string& url, std::string_view body,
            std::string_view content_type, const config::HttpClientConfig& http_config,
            Duration timeout);

// Alertmanager's notify.TruncateInRunes: at most n code points, the last "…".
std::string TruncateRunes(std::string_view s, std::size_t n);

// The unique_ptr factories, one per integration file.
std::unique_ptr<Integration> NewWebhook(config::WebhookConfig c,
                                        std::shared_ptr<const NotifyTemplates> t);
std::unique_ptr<Integration> NewSlack(config::SlackConfig c,
                                      std::shared_ptr<const NotifyTemplates> t);
std::unique_ptr<Integration> NewPagerduty(config::PagerdutyConfig c,
                                          std::shared_ptr<const NotifyTemplates> t);
std::unique_ptr<Integration> NewEmail(config::EmailConfig c,
                                      std::shared_ptr<const NotifyTemplates> t);

constexpr Duration kDefaultTimeout = Duration(30'000);

}  // namespace hw::alerting::integrations
