#include "incidents/escalation.h"

#include <fmt/format.h>

#include <algorithm>

namespace hw::incidents {

Escalator::Escalator(const config::IncidentsConfig& cfg, const Schedules& schedules,
                     const alerting::TimeIntervals* business_hours)
    : cfg_(cfg), schedules_(schedules), business_hours_(business_hours) {}

bool Escalator::WaitsForBusinessHours(const Incident& inc) const {
  return inc.severity == 4 && business_hours_ != nullptr && !cfg_.business_hours.empty();
}

void Escalator::Start(Incident& inc, std::int64_t now_ms) const {
  inc.escalation = EscalationProgress{};
  inc.escalation.level = -1;
  if (!inc.policy || inc.policy->levels.empty()) return;
  inc.escalation.next_due_ms = now_ms;
  if (WaitsForBusinessHours(inc)) {
    std::optional<std::int64_t> open = business_hours_->NextActive({cfg_.business_hours}, now_ms);
    inc.escalation.next_due_ms = open.value_or(0);
  }
}

Duration Escalator::LevelTimeout(const Incident& inc, int level) const {
  if (inc.policy && level >= 0 && level < static_cast<int>(inc.policy->levels.size())) {
    const auto& t = inc.policy->levels[level].timeout;
    if (t) return *t;
  }
  const config::SeverityConfig& sev = cfg_.severities[std::clamp(inc.severity, 1, 4) - 1];
  return sev.response_time.count() > 0 ? sev.response_time
                                       : config::DefaultResponseTime(inc.severity);
}

std::vector<std::string> Escalator::ResolveUsers(const config::EscalationLevelConfig& level,
                                                 std::int64_t t_ms,
                                                 std::vector<std::string>* unresolved) const {
  std::vector<std::string> users;
  auto why = [unresolved](std::string text) {
    if (unresolved != nullptr) unresolved->push_back(std::move(text));
  };
  for (const std::string& target : level.notify) {
    std::string user = target;
    if (target.starts_with("schedule:")) {
      const std::string name = target.substr(9);
      const Schedule* s = schedules_.Find(name);
      user = s != nullptr ? s->OnCallAt(t_ms) : "";
      if (s == nullptr) {
        why(fmt::format("schedule {} does not exist", name));
      } else if (user.empty()) {
        why(fmt::format("schedule {} has nobody on call", name));
      }
    } else if (level.receivers.empty() && cfg_.FindUser(target) == nullptr) {
      // Without the level's receivers a page reaches a user through their own.
      why(fmt::format("user {} is not configured", target));
    }
    if (!user.empty() && std::find(users.begin(), users.end(), user) == users.end()) {
      users.push_back(std::move(user));
    }
  }
  return users;
}

std::optional<EscalationStep> Escalator::Next(Incident& inc, std::int64_t now_ms) const {
  EscalationProgress& p = inc.escalation;
  if (inc.state != State::kTriggered || !inc.policy || inc.policy->levels.empty() || p.exhausted ||
      p.next_due_ms == 0 || now_ms < p.next_due_ms) {
    return std::nullopt;
  }
  if (WaitsForBusinessHours(inc) && !business_hours_->AnyActive({cfg_.business_hours}, now_ms)) {
    p.next_due_ms = business_hours_->NextActive({cfg_.business_hours}, now_ms).value_or(0);
    return std::nullopt;
  }
  const int levels = static_cast<int>(inc.policy->levels.size());
  EscalationStep step;
  step.incident_id = inc.id;
  step.at_ms = now_ms;
  if (p.level < 0) {
    step.reason = "opened";
    p.level = 0;
  } else {
    step.reason =
        fmt::format("unacknowledged after {}", HumanDuration(LevelTimeout(inc, p.level).count()));
    if (p.level + 1 < levels) {
      ++p.level;
    } else {
      // Only reachable with repeats left: the last level of the last round ends it.
      p.level = 0;
      ++p.round;
      step.reason += ", repeating the policy";
    }
  }
  step.level = p.level + 1;
  step.round = p.round;
  const config::EscalationLevelConfig& level = inc.policy->levels[p.level];
  step.users = ResolveUsers(level, now_ms, &step.unresolved);
  step.receivers = level.receivers;
  if (step.receivers.empty()) {
    for (const std::string& u : step.users) {
      if (const config::IncidentUserConfig* user = cfg_.FindUser(u)) {
        for (const std::string& r : user->receivers) {
          if (std::find(step.receivers.begin(), step.receivers.end(), r) == step.receivers.end()) {
            step.receivers.push_back(r);
          }
        }
      }
    }
  }
  bool last = p.level + 1 == levels && p.round >= inc.policy->repeat;
  if (last) {
    p.exhausted = true;
    p.next_due_ms = 0;
  } else {
    p.next_due_ms = now_ms + LevelTimeout(inc, p.level).count();
  }
  return step;
}

}  // namespace hw::incidents
