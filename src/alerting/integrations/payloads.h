// The bodies the integrations send, as pure functions (tested directly and through
// local sinks).
#pragma once

#include <cstdint>
#include <string>

#include "alerting/notification.h"
#include "alerting/notify_template.h"
#include "base/status.h"
#include "config/notifications.h"

namespace hw::alerting::integrations {

// Alertmanager's webhook JSON (version "4"); max_alerts 0 sends all.
std::string WebhookPayload(const Notification& n, std::int64_t max_alerts);

// Slack's incoming-webhook JSON for `c` (empty fields take the default templates).
Result<std::string> SlackPayload(const config::SlackConfig& c, const NotifyTemplates& t,
                                 const Notification& n);

// PagerDuty Events API v2 JSON (or v1 when c.service_key is set and no routing key).
// `key` is the routing (or service) key already read from its file.
Result<std::string> PagerdutyPayload(const config::PagerdutyConfig& c, const std::string& key,
                                     const NotifyTemplates& t, const Notification& n);

// sha256 hex of the group key: Alertmanager's notify.Key.Hash(), PagerDuty's dedup_key.
std::string GroupKeyHash(std::string_view group_key);

// The RFC 5322 message an email integration sends (headers, multipart/alternative
// text and HTML, quoted-printable), with `message_id` and `date_ms` given.
struct EmailMessage {
  std::string from;                // the envelope sender (address only)
  std::vector<std::string> to;     // envelope recipients (addresses only)
  std::string data;                // the message
};
Result<EmailMessage> BuildEmail(const config::EmailConfig& c, const NotifyTemplates& t,
                                const Notification& n, const std::string& message_id,
                                std::int64_t date_ms);

}  // namespace hw::alerting::integrations
