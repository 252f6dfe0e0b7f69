// Receiver integrations: the webhook, Slack, PagerDuty and email senders behind
// alerting::Integration (notification.h), built from a receiver's config.
//
//   webhook    POST Alertmanager's webhook payload (version "4") as JSON
//   slack      POST a Slack incoming-webhook message (one attachment)
//   pagerduty  POST a PagerDuty Events API v2 event (v1 with service_key)
//   email      SMTP (libcurl): STARTTLS, AUTH, multipart/alternative text + HTML
//
// Every templated field runs through the shared NotifyTemplates (defaults plus the
// user's `templates:` files). Delivery results follow Integration::Notify: 2xx is
// delivered; 5xx, 429, timeouts and connection failures are kUnavailable / kTimeout
// (retried); other 4xx, template errors and bad settings are kBadData (not retried).
//
// Thread-safety: as Integration; the integrations keep no mutable state.
#pragma once

#include <memory>
#include <vector>

#include "alerting/notification.h"
#include "alerting/notify_template.h"
#include "base/status.h"
#include "config/notifications.h"

namespace hw::alerting {

// One Integration per *_configs entry of `receiver`, in the order webhook, email,
// Slack, PagerDuty (each in config order). Settings left empty take the global ones
// (smtp_*, slack_api_url, pagerduty_url, http_config) and Alertmanager's default
// templates. Errors name the entry: "receiver \"ops\": webhook_configs[0]: ...".
Result<std::vector<std::unique_ptr<Integration>>> BuildIntegrations(
    const config::ReceiverConfig& receiver, const config::AmGlobalConfig& global,
    std::shared_ptr<const NotifyTemplates> templates);

}  // namespace hw::alerting
