// rules::Manager: runs the rule groups of the config's `rule_files` in the server.
//
// ApplyConfig expands each rule_files glob, loads every file (rules::LoadRuleFile) and
// builds its groups, each evaluated through a QueryFunc over promql::Engine::Instant
// against the storage and appending to it. Run starts one evaluation thread that
// wakes at each group's next aligned slot (Group::EvalTimestamp) and calls
// Group::Iterate; missed slots are counted by the group, not caught up.
//
// Reload: a group whose spec (name, file, interval, limit, query_offset, labels and
// rules) is unchanged is kept as it is, with its alerts' state and stale-marker
// bookkeeping; a changed group (same file and name) takes over the state of the rules
// it kept (Group::CopyStateFrom); a new group starts afresh.
//
// Restart: the groups of the first ApplyConfig restore their alerts' activeAt from
// the newest ALERTS_FOR_STATE sample within `outage_tolerance` before their first
// evaluation (not a stale marker: that alert had resolved), so a pending alert keeps
// its progress through `for` and a firing alert is firing again at once.
//
// Notification: after each evaluation of an alerting rule the alerts due (firing,
// just resolved, or due for a re-send every resend_delay; see SendSchedule) get the
// external labels they lack and go to `sink`.
//
// Self-metrics: hastewatch_rule_group_last_duration_seconds{rule_group},
// hastewatch_rule_evaluation_failures_total{rule_group} and
// hastewatch_rule_group_iterations_missed_total{rule_group}, where rule_group is
// "file;name" as Prometheus.
//
// Thread-safety: every method may be called from any thread. One mutex guards the
// groups; an iteration holds it, so Snapshot() waits for the running evaluation.
#pragma once

#include <condition_variable>
#include <functional>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/logger.h"
#include "base/metrics.h"
#include "base/status.h"
#include "model/alert.h"
#include "config/config.h"
#include "promql/engine.h"
#include "rules/group.h"
#include "rules/rule_file.h"
#include "storage/interface.h"

namespace hw::rules {

// Expands the globs and loads every matched file, in pattern order then name order.
// Fails with every file's errors (each "file:line:col: ...") joined by newlines.
Result<std::vector<RuleFile>> LoadRuleFiles(const std::vector<std::string>& patterns);

// What /api/v1/rules and /api/v1/alerts show of one rule.
struct RuleSnapshot {
  Rule spec;
  RuleHealth health;
  std::vector<ActiveAlert> alerts;  // alerting rules only
  AlertState state = AlertState::kInactive;
};

struct GroupSnapshot {
  std::string name;
  std::string file;
  std::int64_t interval_ms = 0;
  std::int64_t limit = 0;
  std::vector<RuleSnapshot> rules;
  double evaluation_seconds = 0;    // duration of the last iteration
  std::int64_t last_evaluation_ms = 0;  // wall-clock start of it; 0: never
};

struct ManagerOptions {
  storage::Queryable* queryable = nullptr;    // not owned
  storage::Appendable* appendable = nullptr;  // not owned
  std::shared_ptr<const promql::Engine> engine;
  Logger* log = nullptr;                       // not owned
  metrics::Registry* registry = nullptr;       // not owned; may be null
  std::string external_url;
  model::AlertSink* sink = nullptr;  // not owned; null: alerts are not sent
  std::int64_t resend_delay_ms = 60'000;
  std::int64_t outage_tolerance_ms = 3'600'000;
  // Groups generated from the config beside its rule_files (the SLOs' rules, see
  // slo/rules.h), built and reloaded with them; may be null. An error fails Prepare
  // like a broken rule file.
  std::function<Result<std::vector<RuleGroup>>(const config::Config&)> extra_groups;
};

class Manager {
 public:
  explicit Manager(ManagerOptions options);
  ~Manager();

  // Groups built from a config, ready to Install (nothing running changed yet).
  struct Prepared;
  // Loads the config's rule files and builds their groups, then options.extra_groups'
  // (after them, as one more file). Fails with every file problem; nothing changes.
  Result<std::shared_ptr<Prepared>> Prepare(const config::Config& cfg);
  // Replaces the running groups by `prepared` (see Reload above). Cannot fail.
  void Install(std::shared_ptr<Prepared> prepared);
  // Prepare, then Install. On error the running groups stay.
  Status ApplyConfig(const config::Config& cfg);
  // Starts the evaluation thread; Stop() ends it (waiting for the iteration in
  // progress). Both are idempotent.
  void Run();
  void Stop();

  std::vector<GroupSnapshot> Snapshot() const;

 private:
  struct Entry {
    RuleGroup spec;
    std::unique_ptr<Group> group;
    double last_duration = 0;
    std::int64_t last_start_ms = 0;  // the slot last evaluated
    std::int64_t last_wall_ms = 0;   // when that evaluation started (for the API)
    std::int64_t failures = 0;
  };
  void Loop();
  void Collect(metrics::TextWriter& w) const;
  std::map<model::Labels, std::int64_t> StoredActiveSince(const Rule& rule, std::int64_t t_ms);
  void Notify(std::vector<model::Alert> alerts);

  ManagerOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Entry>> entries_;  // guarded by mu_
  bool stop_ = false;                            // guarded by mu_
  bool changed_ = false;  // guarded by mu_: groups replaced, recompute the wake-up
  bool installed_once_ = false;  // guarded by mu_: later groups come from reloads
  std::map<std::string, std::string> external_labels_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace hw::rules
