#include "incidents/simulate.h"

#include <fmt/format.h>

#include "incidents/escalation.h"

namespace hw::incidents {

std::string FormatStepLine(std::int64_t offset_ms, int level, int round,
                           const std::vector<std::string>& users,
                           const std::vector<std::string>& receivers, const std::string& reason) {
  std::string offset = offset_ms < 1000 ? "0" : HumanDuration(offset_ms);  // live: ms late
  return fmt::format("t+{:<7} level {}{} paged {} via {} ({})", offset, level,
                     round > 0 ? fmt::format(" (repeat {})", round) : "", JoinNames(users),
                     JoinNames(receivers), reason);
}

Result<std::vector<std::string>> SimulateEscalation(const config::IncidentsConfig& cfg,
                                                    const SimulationOptions& options) {
  if (options.severity < 1 || options.severity > 4) {
    return Status::BadData(
        fmt::format("cannot simulate escalation: severity {} is not P1..P4", options.severity));
  }
  std::string name =
      options.policy.empty() ? cfg.severities[options.severity - 1].policy : options.policy;
  if (name.empty()) {
    return Status::BadData(fmt::format("cannot simulate escalation: {} has no escalation policy",
                                       SeverityName(options.severity)));
  }
  const config::EscalationPolicyConfig* policy = cfg.FindPolicy(name);
  if (policy == nullptr) {
    return Status::BadData(
        fmt::format("cannot simulate escalation: no escalation policy {}", name));
  }
  Result<Schedules> schedules = Schedules::Compile(cfg);
  if (!schedules.ok()) return schedules.status().Wrap("cannot simulate escalation");
  Escalator escalator(cfg, *schedules, options.time_intervals);

  Incident inc;
  inc.id = 0;
  inc.title = "synthetic";
  inc.severity = options.severity;
  inc.policy = *policy;
  std::vector<std::string> lines;
  lines.push_back(
      fmt::format("{} incident, escalation policy {} ({} levels, repeat {}), "
                  "never acknowledged:",
                  SeverityName(options.severity), name, policy->levels.size(), policy->repeat));
  const std::int64_t end = options.start_ms + options.duration.count();
  escalator.Start(inc, options.start_ms);
  while (inc.escalation.next_due_ms != 0 && inc.escalation.next_due_ms <= end) {
    std::int64_t t = inc.escalation.next_due_ms;
    std::optional<EscalationStep> step = escalator.Next(inc, t);
    if (!step) {
      if (inc.escalation.next_due_ms > t) {
        lines.push_back(fmt::format("t+{:<7} outside business hours, waiting {}",
                                    HumanDuration(t - options.start_ms),
                                    HumanDuration(inc.escalation.next_due_ms - t)));
        continue;
      }
      break;
    }
    lines.push_back(FormatStepLine(t - options.start_ms, step->level, step->round, step->users,
                                   step->receivers, step->reason));
  }
  if (inc.escalation.exhausted) {
    lines.push_back("policy exhausted: nobody else is paged until someone acknowledges");
  } else if (inc.escalation.next_due_ms > end) {
    // Say when the next step would come rather than ending silently (a P4 opened on
    // a Saturday waits for Monday's business hours, beyond the default 24 h).
    lines.push_back(fmt::format("t+{:<7} stopped (--for): the next step is due at t+{}, {}",
                                HumanDuration(end - options.start_ms),
                                HumanDuration(inc.escalation.next_due_ms - options.start_ms),
                                FormatRfc3339Millis(inc.escalation.next_due_ms)));
  }
  return lines;
}

}  // namespace hw::incidents
