// What a receiver integration gets at one flush of an aggregation group, and the
// integration interface (docs/ARCHITECTURE.md: alerting::Receiver — notify(group) →
// delivered / retry).
//
// Thread-safety: Notification is a plain value. An Integration is called from one
// dispatcher thread at a time but must be safe to destroy from another.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/alert.h"
#include "model/labels.h"

namespace hw::alerting {

struct Notification {
  // hastewatch's kinds beyond Alertmanager's plain notification.
  enum class Kind {
    kNormal,
    kHeldSummary,  // due outside active_time_intervals; every alert resolved meanwhile
                   // ("fired and resolved overnight"), sent when the interval opened
    kFlapping,     // alerts changing state too often, held and sent once as one
  };
  std::string receiver;
  std::string group_key;
  model::Labels group_labels;
  // Firing first, then resolved (ends_at_ms <= now_ms), each sorted by labels.
  std::vector<model::Alert> alerts;
  std::int64_t now_ms = 0;
  std::string external_url;  // hastewatch's, for links back
  Kind kind = Kind::kNormal;
  std::string note;  // for kHeldSummary / kFlapping: a sentence saying what happened

  bool Firing() const;  // any alert still firing
};

// One *_configs entry of a receiver: a webhook, an email address, a Slack channel, a
// PagerDuty service.
class Integration {
 public:
  virtual ~Integration() = default;
  // "webhook", "email", "slack" or "pagerduty".
  virtual std::string_view kind() const = 0;
  virtual bool send_resolved() const = 0;
  // Delivers `n`. Ok: delivered. kUnavailable or kTimeout: may succeed later, the
  // dispatcher retries with backoff. Any other code: will not succeed as configured
  // (bad template, 4xx), logged and counted, not retried.
  virtual Status Notify(const Notification& n) = 0;
};

}  // namespace hw::alerting
