#include "rules/manager.h"

#include <glob.h>

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

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
  std::string errors;
  auto add_error = [&errors](const std::string& e) {
    if (!errors.empty()) errors += '\n';
    errors += e;
  };
  for (const std::string& pattern : patterns) {
    glob_t g{};
    int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
    std::vector<std::string> paths;
    if (rc == 0) {
      for (std::size_t i = 0; i < g.gl_pathc; ++i) paths.emplace_back(g.gl_pathv[i]);
    } else if (rc != GLOB_NOMATCH) {
      add_error(fmt::format("rule_files: cannot expand \"{}\"", pattern));
    }
    ::globfree(&g);
    std::sort(paths.begin(), paths.end());
    for (const std::string& path : paths) {
      Result<RuleFile> f = LoadRuleFile(path);
      if (!f.ok()) {
        add_error(f.status().message());
        continue;
      }
      files.push_back(std::move(f).value());
    }
  }
  if (!errors.empty()) return Status::BadData(errors);
  return files;
}

Manager::Manager(ManagerOptions options) : options_(std::move(options)) {
  if (options_.registry != nullptr) {
    options_.registry->AddCollector([this](metrics::TextWriter& w) { Collect(w); });
  }
}

Manager::~Manager() { Stop(); }

Status Manager::ApplyConfig(const config::Config& cfg) {
  Result<std::vector<RuleFile>> files = LoadRuleFiles(cfg.rule_files);
  if (!files.ok()) return files.status();

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
  go.appendable = options_.appendable;
  go.context.external_labels = cfg.global.external_labels;
  go.context.external_url = options_.external_url;
  go.default_interval_ms = cfg.global.evaluation_interval.count();

  std::lock_guard lock(mu_);
  std::vector<std::unique_ptr<Entry>> next;
  for (RuleFile& file : *files) {
    for (RuleGroup& spec : file.groups) {
      // An unchanged group keeps its state (alerts, stale-marker bookkeeping).
      auto old = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) {
        return e != nullptr && SameGroup(e->spec, spec) &&
               e->group->interval_ms() ==
                   (spec.interval.count() > 0 ? spec.interval.count() : go.default_interval_ms);
      });
      if (old != entries_.end()) {
        next.push_back(std::move(*old));
        continue;
      }
      auto entry = std::make_unique<Entry>();
      entry->spec = spec;
      Result<std::unique_ptr<Group>> g = Group::Create(std::move(spec), go);
      if (!g.ok()) return g.status();
      entry->group = std::move(g).value();
      next.push_back(std::move(entry));
    }
  }
  entries_ = std::move(next);
  changed_ = true;
  cv_.notify_all();
  return Status::Ok();
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
    gs.last_evaluation_ms = e->last_start_ms;
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
