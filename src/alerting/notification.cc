#include "alerting/notification.h"

#include <algorithm>

namespace hw::alerting {

bool Notification::Firing() const {
  return std::any_of(alerts.begin(), alerts.end(),
                     [&](const model::Alert& a) { return !a.ResolvedAt(now_ms); });
}

}  // namespace hw::alerting
