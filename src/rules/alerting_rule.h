// An alerting rule and its state machine (Prometheus' rules.AlertingRule):
//
//   a series in the result with no active alert      -> pending, activeAt = t
//   pending and t - activeAt >= for                  -> firing, firedAt = t
//   firing and gone from the result, keep_firing_for -> stays firing until
//                                                       t - keepFiringSince >= it
//   pending and gone                                 -> dropped
//   firing and gone                                  -> inactive (resolved), resolvedAt = t,
//                                                       kept kResolvedRetention for notify
//
// Labels: the series' labels without __name__, then the group's and the rule's labels
// (templates expanded with $labels and $value; empty results delete the label), then
// alertname. Annotations are templates expanded the same way. A template that fails
// at evaluation puts "<error expanding template: ...>" in the value, as Prometheus.
//
// Not thread-safe: one group evaluates a rule at a time; ActiveAlerts() must not run
// concurrently with Eval (the group serialises them).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/alert.h"
#include "model/labels.h"
#include "rules/rule.h"
#include "rules/rule_file.h"
#include "rules/template.h"

namespace hw::rules {

// How long resolved alerts are kept and re-sent (Prometheus' resolvedRetention).
inline constexpr std::int64_t kResolvedRetentionMs = 15 * 60 * 1000;

enum class AlertState { kInactive, kPending, kFiring };
std::string_view AlertStateName(AlertState s);  // "inactive", "pending", "firing"

struct ActiveAlert {
  AlertState state = AlertState::kPending;
  model::Labels labels;  // includes alertname
  std::map<std::string, std::string> annotations;
  double value = 0;
  std::int64_t active_at = 0;   // ms
  std::int64_t fired_at = 0;    // ms, 0 until firing
  std::int64_t resolved_at = 0; // ms, 0 until resolved
  std::int64_t keep_firing_since = 0;  // ms, 0 while the expression still returns it
  std::int64_t last_seen = 0;   // ms, last evaluation that returned it
  std::int64_t last_sent = 0;   // ms, last time it went to the notifier; 0: never
  std::int64_t valid_until = 0; // ms, the end time sent with a firing alert
};

// When a firing or resolved alert goes to the notifier again (Prometheus' schedule):
// at once when it starts firing or resolves, then every `resend_delay`. A firing
// alert is sent with an end 4 x max(interval, resend_delay) ahead, so a receiver
// resolves it by itself if hastewatch stops sending (two missed sends are tolerated).
struct SendSchedule {
  std::int64_t resend_delay_ms = 60'000;
  std::int64_t interval_ms = 60'000;
};

class AlertingRule {
 public:
  // Templates are parsed here; rule files are checked at load, so this only fails
  // (returns the template error) for hand-built Rules.
  static Result<AlertingRule> Create(Rule spec, const LabelMap& group_labels,
                                     RuleContext ctx);

  // Evaluates at t_ms (querying at t_ms - offset_ms), advances the state machine and
  // returns the ALERTS and ALERTS_FOR_STATE samples to append for pending and firing
  // alerts. On a query error the state is unchanged; with more than `limit` alerts
  // (limit > 0) every alert is dropped and an error returned, as Prometheus does.
  Result<Vector> Eval(std::int64_t t_ms, const QueryFunc& query, std::int64_t limit = 0,
                      std::int64_t offset_ms = 0);

  // Pending, firing and recently resolved alerts, sorted by labels.
  std::vector<ActiveAlert> ActiveAlerts() const;
  // The highest state of any alert.
  AlertState State() const;
  // After a restart: the next Eval gives each new alert whose labels are in
  // `active_since_ms` (from ALERTS_FOR_STATE) that activeAt instead of now, so a
  // pending alert keeps its progress through `for` and a firing one fires again at
  // once. Used by one Eval, then forgotten.
  void SetRestoredState(std::map<model::Labels, std::int64_t> active_since_ms);
  // Takes over the alerts of `old` (a reload that changed the group but kept this
  // rule).
  void CopyStateFrom(const AlertingRule& old) { active_ = old.active_; }

  // The firing and resolved alerts due to the notifier at t_ms (see SendSchedule),
  // marked as sent. The generator URL links back to the expression.
  std::vector<model::Alert> AlertsToSend(std::int64_t t_ms, const SendSchedule& schedule,
                                         const std::string& generator_url);

  const std::string& name() const { return spec_.name; }
  const Rule& spec() const { return spec_; }

 private:
  AlertingRule() = default;
  std::string Expand(const Template& t, const TemplateData& data) const;

  Rule spec_;
  RuleContext ctx_;
  std::vector<std::pair<std::string, Template>> labels_;       // group + rule
  std::vector<std::pair<std::string, Template>> annotations_;
  std::map<std::uint64_t, ActiveAlert> active_;  // by Labels::Hash()
  std::map<model::Labels, std::int64_t> restored_;  // for the next Eval only
};

}  // namespace hw::rules
