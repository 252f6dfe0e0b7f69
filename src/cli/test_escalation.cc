#include <fmt/format.h>

#include "alerting/time_interval.h"
#include "base/clock.h"
#include "cli/commands.h"
#include "config/config.h"
#include "incidents/simulate.h"

namespace hw::cli {

int TestEscalation(const TestEscalationOptions& o) {
  int severity = 0;
  if (o.severity.size() == 2 && (o.severity[0] == 'P' || o.severity[0] == 'p') &&
      o.severity[1] >= '1' && o.severity[1] <= '4') {
    severity = o.severity[1] - '0';
  } else {
    fmt::print(stderr, "hastewatch test-escalation: severity \"{}\": expected P1, P2, P3 or P4\n",
               o.severity);
    return 2;
  }
  Result<config::Config> cfg = config::LoadConfigFile(o.config_file);
  if (!cfg.ok()) {
    fmt::print(stderr, "{}\n", cfg.status().message());
    return 1;
  }
  // Business hours (for P4) are a notifications time interval.
  Result<alerting::TimeIntervals> intervals =
      alerting::TimeIntervals::Compile(cfg->notifications.time_intervals);
  if (!intervals.ok()) {
    fmt::print(stderr, "hastewatch test-escalation: {}\n", intervals.status().message());
    return 1;
  }
  incidents::SimulationOptions sim;
  sim.severity = severity;
  sim.policy = o.policy;
  sim.start_ms = o.start_ms != 0 ? o.start_ms : RealClock().NowMillis();
  sim.duration = Duration(o.duration_ms);
  sim.time_intervals = &*intervals;
  Result<std::vector<std::string>> lines = incidents::SimulateEscalation(cfg->incidents, sim);
  if (!lines.ok()) {
    fmt::print(stderr, "hastewatch test-escalation: {}\n", lines.status().message());
    return 1;
  }
  for (const std::string& line : *lines) fmt::print("{}\n", line);
  fmt::print("(simulated: nobody was notified)\n");
  return 0;
}

}  // namespace hw::cli
