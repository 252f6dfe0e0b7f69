#include "rules/manager.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "base/glob.h"
#include "rules/lint.h"

namespace hw::rules {
namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool SameRule(const Rule& a, const Rule& b) {
  return a.kind == b.kind && a.name == b.name && a.expr == b.expr &&
         a.for_duration == b.for_duration && a.keep_firing_for == b.keep_firing_for &&
         a.labels == b.labels && a.annotations == b.annotations;
}

bool SameGroup(const RuleGroup& a, const RuleGroup& b) {
  if (a.name != b.name || a.file != b.file || a.interval != b.interval ||
      a.limit != b.limit || a.query_offset != b.query_offset || a.labels != b.labels ||
      a.rules.size() != b.rules.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.rules.size(); ++i) {
    if (!SameRule(a.rules[i], b.rules[i])) return false;
  }
  return true;
}

}  // namespace

Result<std::vector<RuleFile>> LoadRuleFiles(const std::vector<std::string>& patterns) {
  std::vector<RuleFile> files;
  Status s = LoadGlobbedFiles(patterns, "rule_files: ", [&files](const std::string& path) {
    Result<RuleFile> f = LoadRuleFile(path);
    if (!f.ok()) return f.status();
    files.push_back(std::move(f).value());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return files;
}

Manager::Manager(ManagerOptions options) : options_(std::move(options)) {
  if (options_.registry != nullptr) {
    options_.registry->AddCollector([this](metrics::TextWriter& w) { Collect(w); });
  }
}

Manager::~Manager() { Stop(); }

struct Manager::Prepared {
  std::vector<std::unique_ptr<Entry>> entries;  // groups not yet running
  std::map<std::string, std::string> external_labels;
  std::int64_t default_interval_ms = 0;
};

Result<std::shared_ptr<Manager::Prepared>> Manager::Prepare(const config::Config& cfg) {
  Result<std::vector<RuleFile>> files = LoadRuleFiles(cfg.rule_files);
  if (!files.ok()) return files.status();
  if (options_.extra_groups) {
    Result<std::vector<RuleGroup>> extra = options_.extra_groups(cfg);
    if (!extra.ok()) return extra.status();
    if (!extra->empty()) files->push_back(RuleFile{"(generated)", std::move(extra).value()});
  }
  // Rules that load but look wrong are logged, as `check-config` reports them.
  if (options_.log != nullptr) {
    for (const Finding& f : LintRuleFiles(*files, nullptr)) {
      options_.log->Warn("rule lint", {{"rule", f.rule}, {"finding", f.ToString()}});
    }
  }

  GroupOptions go;
  storage::Queryable* q = options_.queryable;
  std::shared_ptr<const promql::Engine> engine = options_.engine;
  go.query = [q, engine](std::string_view expr, std::int64_t t) -> Result<Vector> {
    Result<promql::QueryResult> r = engine->Instant(*q, expr, t);
    if (!r.ok()) return r.status();
    if (r->value.type == promql::ValueType::kScalar) {
      return Vector{{model::Labels(), t, r->value.scalar}};
    }
    if (r->value.type != promql::ValueType::kVector) {
      return Status::BadData("rule expressions must return a vector or a scalar");
    }
    return std::move(r->value.vector);
  };
  go.restore = [this](const Rule& rule, std::int64_t t) { return StoredActiveSince(rule, t); };
  if (options_.sink != nullptr) {
    go.notify = [this](std::vector<model::Alert> alerts) { Notify(std::move(alerts)); };
  }
  go.resend_delay_ms = options_.resend_delay_ms;
  go.appendable = options_.appendable;
  go.context.external_labels = cfg.global.external_labels;
  go.context.external_url = options_.external_url;
  go.default_interval_ms = cfg.global.evaluation_interval.count();

  auto prepared = std::make_shared<Prepared>();
  prepared->external_labels = cfg.global.external_labels;
  prepared->default_interval_ms = go.default_interval_ms;
  for (RuleFile& file : *files) {
    for (RuleGroup& spec : file.groups) {
      auto entry = std::make_unique<Entry>();
      entry->spec = spec;
      Result<std::unique_ptr<Group>> g = Group::Create(std::move(spec), go);
      if (!g.ok()) return g.status();
      entry->group = std::move(g).value();
      prepared->entries.push_back(std::move(entry));
    }
  }
  return prepared;
}

void Manager::Install(std::shared_ptr<Prepared> prepared) {
  std::lock_guard lock(mu_);
  std::vector<std::unique_ptr<Entry>> next;
  for (std::unique_ptr<Entry>& entry : prepared->entries) {
    const std::int64_t interval = entry->spec.interval.count() > 0
                                      ? entry->spec.interval.count()
                                      : prepared->default_interval_ms;
    // An unchanged group keeps running as it is (alerts, stale-marker bookkeeping).
    auto same = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) {
      return e != nullptr && SameGroup(e->spec, entry->spec) &&
             e->group->interval_ms() == interval;
    });
    if (same != entries_.end()) {
      next.push_back(std::move(*same));
      continue;
    }
    auto renamed = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) {
      return e != nullptr && e->spec.file == entry->spec.file && e->spec.name == entry->spec.name;
    });
    if (renamed != entries_.end()) {
      entry->group->CopyStateFrom(*(*renamed)->group);
    } else if (!installed_once_) {
      entry->group->RequestRestore();
    }
    next.push_back(std::move(entry));
  }
  entries_ = std::move(next);
  external_labels_ = std::move(prepared->external_labels);
  installed_once_ = true;
  changed_ = true;
  cv_.notify_all();
}

Status Manager::ApplyConfig(const config::Config& cfg) {
  Result<std::shared_ptr<Prepared>> prepared = Prepare(cfg);
  if (!prepared.ok()) return prepared.status();
  Install(std::move(prepared).value());
  return Status::Ok();
}

std::map<model::Labels, std::int64_t> Manager::StoredActiveSince(const Rule& rule,
                                                                 std::int64_t t_ms) {
  std::map<model::Labels, std::int64_t> out;
  // Samples strictly before this evaluation: it is about to write its own.
  const std::int64_t mint = t_ms - options_.outage_tolerance_ms;
  const std::int64_t maxt = t_ms - 1;
  Result<std::unique_ptr<storage::Querier>> querier = options_.queryable->NewQuerier(mint, maxt);
  if (!querier.ok()) return out;
  std::vector<model::Matcher> matchers = {model::Matcher::Equal(model::kMetricName, "ALERTS_FOR_STATE"),
                                          model::Matcher::Equal("alertname", rule.name)};
  std::unique_ptr<storage::SeriesSet> set = (*querier)->Select(matchers, mint, maxt);
  while (set->Next()) {
    const storage::Series& series = set->At();
    std::unique_ptr<storage::SampleIterator> it = series.Iterator();
    bool any = false;
    model::Sample last;
    while (it->Next()) {
      last = it->At();
      any = true;
    }
    // A stale marker last: the alert resolved (or its rule went) before the restart.
    if (!any || model::IsStaleNaN(last.v) || !std::isfinite(last.v)) continue;
    model::LabelsBuilder b(series.labels());
    b.Del(model::kMetricName);
    out[b.Build()] = static_cast<std::int64_t>(std::llround(last.v * 1000));
  }
  if (!set->Err().ok() && options_.log != nullptr) {
    options_.log->Warn("cannot restore alert state",
                       {{"alertname", rule.name}, {"error", set->Err().message()}});
  }
  (void)(*querier)->Close();
  return out;
}

void Manager::Notify(std::vector<model::Alert> alerts) {
  // Called from an evaluation, under mu_.
  if (!external_labels_.empty()) {
    for (model::Alert& a : alerts) {
      model::LabelsBuilder b(a.labels);
      for (const auto& [k, v] : external_labels_) {
        if (a.labels.Get(k).empty()) b.Set(k, v);
      }
      a.labels = b.Build();
    }
  }
  options_.sink->Send(std::move(alerts));
}

void Manager::Run() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Manager::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void Manager::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    changed_ = false;
    std::int64_t now = NowMs();
    std::int64_t wake = now + 60'000;
    for (auto& e : entries_) {
      Group& g = *e->group;
      const std::int64_t slot = g.EvalTimestamp(now);
      if (slot > e->last_start_ms) {
        auto start = std::chrono::steady_clock::now();
        Status s = g.Iterate(now);
        e->last_duration =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        e->last_start_ms = slot;
        e->last_wall_ms = NowMs() - static_cast<std::int64_t>(e->last_duration * 1000);
        if (!s.ok()) {
          ++e->failures;
          if (options_.log != nullptr) {
            options_.log->Warn("rule evaluation failed",
                               {{"group", g.name()}, {"file", g.file()}, {"error", s.message()}});
          }
        }
      }
      wake = std::min(wake, g.EvalTimestamp(now) + g.interval_ms());
    }
    std::int64_t delay = std::max<std::int64_t>(1, wake - NowMs());
    cv_.wait_for(lock, std::chrono::milliseconds(delay), [this] { return stop_ || changed_; });
  }
}

std::vector<GroupSnapshot> Manager::Snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<GroupSnapshot> out;
  for (const auto& e : entries_) {
    const Group& g = *e->group;
    GroupSnapshot gs;
    gs.name = g.name();
    gs.file = g.file();
    gs.interval_ms = g.interval_ms();
    gs.limit = e->spec.limit;
    gs.evaluation_seconds = e->last_duration;
    gs.last_evaluation_ms = e->last_wall_ms;
    std::vector<const AlertingRule*> alerting = g.AlertingRules();
    std::size_t next_alerting = 0;
    for (std::size_t i = 0; i < e->spec.rules.size(); ++i) {
      RuleSnapshot rs;
      rs.spec = e->spec.rules[i];
      if (i < g.health().size()) rs.health = g.health()[i];
      if (rs.spec.kind == Rule::Kind::kAlerting && next_alerting < alerting.size()) {
        const AlertingRule* r = alerting[next_alerting++];
        rs.alerts = r->ActiveAlerts();
        rs.state = r->State();
      }
      gs.rules.push_back(std::move(rs));
    }
    out.push_back(std::move(gs));
  }
  return out;
}

void Manager::Collect(metrics::TextWriter& w) const {
  std::lock_guard lock(mu_);
  const std::vector<std::string> names = {"rule_group"};
  w.Family("hastewatch_rule_group_last_duration_seconds", "gauge",
           "The duration of the last rule group evaluation.");
  for (const auto& e : entries_) {
    w.Sample("hastewatch_rule_group_last_duration_seconds", names,
             {e->spec.file + ";" + e->spec.name}, e->last_duration);
  }
  w.Family("hastewatch_rule_evaluation_failures_total", "counter",
           "Rule group iterations in which at least one rule failed.");
  for (const auto& e : entries_) {
    w.Sample("hastewatch_rule_evaluation_failures_total", names,
             {e->spec.file + ";" + e->spec.name}, static_cast<double>(e->failures));
  }
  w.Family("hastewatch_rule_group_iterations_missed_total", "counter",
           "Rule group evaluations missed due to slow rule group evaluation.");
  for (const auto& e : entries_) {
    w.Sample("hastewatch_rule_group_iterations_missed_total", names,
             {e->spec.file + ";" + e->spec.name},
             static_cast<double>(e->group->missed_iterations()));
  }
}

}  // namespace hw::rules
