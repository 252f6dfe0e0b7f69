// SimulateEscalation: what an escalation policy would do for a synthetic incident that
// nobody acknowledges, on a simulated clock — the output of `hastewatch
// test-escalation P1`:
//
//   t+0     level 1 paged alice via oncall-pager (opened)
//   t+15m   level 2 paged bob via oncall-pager (unacknowledged after 15m)
//
// Thread-safety: a pure function.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "alerting/time_interval.h"
#include "base/status.h"
#include "base/units.h"
#include "config/incidents.h"

namespace hw::incidents {

struct SimulationOptions {
  int severity = 1;                  // 1..4
  std::string policy;                // "" = the severity's configured policy
  std::int64_t start_ms = 0;         // the simulated opening time (schedules resolve at it)
  Duration duration{24 * 3600'000};  // stop after this much simulated time
  const alerting::TimeIntervals* time_intervals = nullptr;  // for P4 business hours
};

// One step as `test-escalation` prints it, offline and --live alike:
// "t+15m    level 2 paged bob via oncall-pager (unacknowledged after 15m)".
std::string FormatStepLine(std::int64_t offset_ms, int level, int round,
                           const std::vector<std::string>& users,
                           const std::vector<std::string>& receivers, const std::string& reason);

// One line per step; BadData when the severity has no policy or the policy is unknown.
Result<std::vector<std::string>> SimulateEscalation(const config::IncidentsConfig& cfg,
                                                    const SimulationOptions& options);

}  // namespace hw::incidents
