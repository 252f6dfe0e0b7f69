#include "rules/group.h"

#include <chrono>

#include <fmt/format.h>

#include "http/request.h"
#include "model/hash.h"
#include "model/sample.h"

namespace hw::rules {

Result<std::unique_ptr<Group>> Group::Create(RuleGroup spec, GroupOptions options) {
  if (!options.query || options.appendable == nullptr) {
    return Status::Internal("cannot create rule group: query and appendable are required");
  }
  std::unique_ptr<Group> g(new Group());
  g->interval_ms_ = spec.interval.count() > 0 ? spec.interval.count() : options.default_interval_ms;
  if (g->interval_ms_ <= 0) return Status::BadData("cannot create rule group: interval must be > 0");
  // Prometheus spreads groups by a hash of file and name; any stable hash will do.
  std::uint64_t h = model::Labels::FromPairs({{"file", spec.file}, {"name", spec.name}}).Hash();
  g->offset_ms_ = static_cast<std::int64_t>(h % static_cast<std::uint64_t>(g->interval_ms_));
  for (const Rule& r : spec.rules) {
    g->health_.push_back({r.name, "", 0, 0});
    if (r.kind == Rule::Kind::kRecording) {
      g->rules_.emplace_back(RecordingRule(r, spec.labels));
    } else {
      auto a = AlertingRule::Create(r, spec.labels, options.context);
      if (!a.ok()) return a.status();
      g->rules_.emplace_back(std::move(*a));
    }
  }
  g->last_series_.resize(g->rules_.size());
  g->spec_ = std::move(spec);
  g->options_ = std::move(options);
  return g;
}

std::int64_t Group::EvalTimestamp(std::int64_t now_ms) const {
  std::int64_t base = now_ms - offset_ms_;
  std::int64_t r = base % interval_ms_;
  if (r < 0) r += interval_ms_;
  return now_ms - r;
}

Status Group::Iterate(std::int64_t now_ms) {
  std::int64_t t = EvalTimestamp(now_ms);
  if (last_eval_ >= 0) {
    if (t <= last_eval_) return Status::Ok();
    std::int64_t missed = (t - last_eval_) / interval_ms_ - 1;
    if (missed > 0) missed_ += missed;
  }
  if (restore_pending_ && options_.restore) {
    for (std::size_t i = 0; i < rules_.size(); ++i) {
      auto* a = std::get_if<AlertingRule>(&rules_[i]);
      // Alerts without `for` fire at once anyway: nothing to restore.
      if (a != nullptr && a->spec().for_duration.count() > 0) {
        a->SetRestoredState(options_.restore(a->spec(), t));
      }
    }
  }
  restore_pending_ = false;
  return EvalAt(t);
}

namespace {

bool SameIdentity(const Rule& a, const Rule& b) {
  return a.kind == b.kind && a.name == b.name && a.labels == b.labels;
}

// Prometheus' graph link for an expression, relative to the external URL.
std::string GeneratorUrl(const std::string& external_url, const std::string& expr) {
  return external_url + "/graph?g0.expr=" + http::QueryEscape(expr) + "&g0.tab=1";
}

}  // namespace

void Group::CopyStateFrom(const Group& old) {
  std::vector<bool> taken(old.rules_.size(), false);
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    for (std::size_t j = 0; j < old.rules_.size(); ++j) {
      if (taken[j] || !SameIdentity(spec_.rules[i], old.spec_.rules[j])) continue;
      taken[j] = true;
      last_series_[i] = old.last_series_[j];
      health_[i] = old.health_[j];
      auto* a = std::get_if<AlertingRule>(&rules_[i]);
      const auto* b = std::get_if<AlertingRule>(&old.rules_[j]);
      if (a != nullptr && b != nullptr) a->CopyStateFrom(*b);
      break;
    }
  }
}

Status Group::EvalAt(std::int64_t t_ms) {
  Status first;
  const std::int64_t offset = spec_.query_offset.count();
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const auto start = std::chrono::steady_clock::now();
    Result<Vector> out = std::visit(
        [&](auto& rule) { return rule.Eval(t_ms, options_.query, spec_.limit, offset); },
        rules_[i]);
    RuleHealth& health = health_[i];
    // Appending the output is part of the rule's cost, as in Prometheus.
    struct Timer {
      std::chrono::steady_clock::time_point start;
      double* out;
      ~Timer() { *out = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); }
    } timer{start, &health.eval_seconds};
    health.last_eval_ms = t_ms;
    health.samples = 0;
    if (!out.ok()) {
      health.last_error = out.status().message();
      if (first.ok()) first = out.status();
      continue;
    }
    health.last_error.clear();
    if (auto* a = std::get_if<AlertingRule>(&rules_[i]); a != nullptr && options_.notify) {
      std::vector<model::Alert> due =
          a->AlertsToSend(t_ms, {options_.resend_delay_ms, interval_ms_},
                          GeneratorUrl(options_.context.external_url, a->spec().expr));
      if (!due.empty()) options_.notify(std::move(due));
    }
    std::unique_ptr<storage::Appender> app = options_.appendable->NewAppender();
    std::set<model::Labels> now;
    std::string append_error;
    for (const promql::VectorSample& s : *out) {
      now.insert(s.metric);
      Result<storage::SeriesRef> r = app->Append(s.metric, s.t, s.v);
      if (r.ok()) {
        ++health.samples;
      } else if (append_error.empty()) {
        append_error = r.status().message();
      }
    }
    for (const model::Labels& gone : last_series_[i]) {
      if (!now.contains(gone)) (void)app->Append(gone, t_ms - offset, model::kStaleNaN);
    }
    last_series_[i] = std::move(now);
    Status c = app->Commit();
    if (!c.ok()) append_error = c.message();
    if (!append_error.empty()) {
      health.last_error = fmt::format("cannot append output of rule \"{}\": {}", health.name, append_error);
      if (first.ok()) first = Status::Execution(health.last_error);
    }
  }
  last_eval_ = t_ms;
  ++iterations_;
  return first;
}

std::vector<const AlertingRule*> Group::AlertingRules() const {
  std::vector<const AlertingRule*> out;
  for (const AnyRule& r : rules_) {
    if (const auto* a = std::get_if<AlertingRule>(&r)) out.push_back(a);
  }
  return out;
}

std::vector<AlertingRule*> Group::MutableAlertingRules() {
  std::vector<AlertingRule*> out;
  for (AnyRule& r : rules_) {
    if (auto* a = std::get_if<AlertingRule>(&r)) out.push_back(a);
  }
  return out;
}

}  // namespace hw::rules
