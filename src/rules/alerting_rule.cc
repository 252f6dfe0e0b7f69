#include "rules/alerting_rule.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace hw::rules {

std::string_view AlertStateName(AlertState s) {
  switch (s) {
    case AlertState::kInactive: return "inactive";
    case AlertState::kPending: return "pending";
    case AlertState::kFiring: return "firing";
  }
  return "inactive";
}

Result<AlertingRule> AlertingRule::Create(Rule spec, const LabelMap& group_labels,
                                          RuleContext ctx) {
  AlertingRule r;
  LabelMap labels = group_labels;
  for (const auto& [k, v] : spec.labels) labels[k] = v;
  for (const auto& [k, v] : labels) {
    auto t = Template::Parse(k, v);
    if (!t.ok()) {
      return t.status().Wrap(fmt::format("cannot create alerting rule \"{}\"", spec.name));
    }
    r.labels_.emplace_back(k, std::move(*t));
  }
  for (const auto& [k, v] : spec.annotations) {
    auto t = Template::Parse(k, v);
    if (!t.ok()) {
      return t.status().Wrap(fmt::format("cannot create alerting rule \"{}\"", spec.name));
    }
    r.annotations_.emplace_back(k, std::move(*t));
  }
  r.spec_ = std::move(spec);
  r.ctx_ = std::move(ctx);
  return r;
}

std::string AlertingRule::Expand(const Template& t, const TemplateData& data) const {
  Result<std::string> out = t.Execute(data);
  if (!out.ok()) return "<error expanding template: " + out.status().message() + ">";
  return *out;
}

Result<Vector> AlertingRule::Eval(std::int64_t t_ms, const QueryFunc& query,
                                  std::int64_t limit, std::int64_t offset_ms) {
  const std::int64_t qt = t_ms - offset_ms;
  Result<Vector> res = query(spec_.expr, qt);
  if (!res.ok()) {
    return res.status().Wrap(fmt::format("cannot evaluate alerting rule \"{}\"", spec_.name));
  }
  TemplateQueryFunc tq = [&](std::string_view expr) -> Result<std::vector<TemplateSample>> {
    Result<Vector> r = query(expr, qt);
    if (!r.ok()) return r.status();
    std::vector<TemplateSample> out;
    for (const auto& s : *r) out.push_back({s.metric, s.v});
    return out;
  };

  std::map<std::uint64_t, ActiveAlert> seen;
  for (const promql::VectorSample& s : *res) {
    TemplateData data;
    for (const auto& l : s.metric) data.labels[std::string(l.name)] = std::string(l.value);
    data.value = s.v;
    data.external_labels = ctx_.external_labels;
    data.external_url = ctx_.external_url;
    data.query = tq;
    model::LabelsBuilder b(s.metric);
    b.Del(model::kMetricName);
    for (const auto& [k, t] : labels_) b.Set(k, Expand(t, data));
    b.Set("alertname", spec_.name);
    ActiveAlert a;
    a.labels = b.Build();
    for (const auto& [k, t] : annotations_) a.annotations[k] = Expand(t, data);
    a.value = s.v;
    std::uint64_t h = a.labels.Hash();
    if (seen.contains(h)) {
      return Status::Execution(fmt::format(
          "cannot evaluate alerting rule \"{}\": vector contains metrics with the same "
          "labelset after applying alert labels: {}",
          spec_.name, a.labels.ToString()));
    }
    seen.emplace(h, std::move(a));
  }

  for (auto& [h, a] : seen) {
    auto it = active_.find(h);
    if (it != active_.end() && it->second.state != AlertState::kInactive) {
      it->second.value = a.value;
      it->second.annotations = std::move(a.annotations);
      it->second.labels = a.labels;
      it->second.keep_firing_since = 0;
      it->second.last_seen = t_ms;
      continue;
    }
    a.state = AlertState::kPending;
    a.active_at = t_ms;
    if (auto r = restored_.find(a.labels); r != restored_.end() && r->second < t_ms) {
      a.active_at = r->second;
    }
    a.last_seen = t_ms;
    active_[h] = std::move(a);
  }

  for (auto it = active_.begin(); it != active_.end();) {
    ActiveAlert& a = it->second;
    if (seen.contains(it->first)) {
      if (a.state == AlertState::kPending && t_ms - a.active_at >= spec_.for_duration.count()) {
        a.state = AlertState::kFiring;
        a.fired_at = t_ms;
      }
      ++it;
      continue;
    }
    if (a.state == AlertState::kFiring && spec_.keep_firing_for.count() > 0) {
      if (a.keep_firing_since == 0) a.keep_firing_since = t_ms;
      if (t_ms - a.keep_firing_since < spec_.keep_firing_for.count()) {
        ++it;
        continue;
      }
    }
    if (a.state == AlertState::kPending ||
        (a.resolved_at != 0 && t_ms - a.resolved_at > kResolvedRetentionMs)) {
      it = active_.erase(it);
      continue;
    }
    if (a.state != AlertState::kInactive) {
      a.state = AlertState::kInactive;
      a.resolved_at = t_ms;
    }
    ++it;
  }

  restored_.clear();
  std::int64_t live = 0;
  for (const auto& [h, a] : active_) live += a.state != AlertState::kInactive;
  if (limit > 0 && live > limit) {
    active_.clear();
    return Status::Execution(fmt::format(
        "cannot evaluate alerting rule \"{}\": exceeded limit of {} with {} alerts",
        spec_.name, limit, live));
  }

  Vector out;
  for (const auto& [h, a] : active_) {
    if (a.state == AlertState::kInactive) continue;
    model::LabelsBuilder b(a.labels);
    b.Set(model::kMetricName, "ALERTS");
    b.Set("alertstate", AlertStateName(a.state));
    out.push_back({b.Build(), qt, 1});
    model::LabelsBuilder f(a.labels);
    f.Set(model::kMetricName, "ALERTS_FOR_STATE");
    out.push_back({f.Build(), qt, static_cast<double>(a.active_at) / 1000.0});
  }
  return out;
}

std::vector<ActiveAlert> AlertingRule::ActiveAlerts() const {
  std::vector<ActiveAlert> out;
  for (const auto& [h, a] : active_) out.push_back(a);
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.labels < y.labels; });
  return out;
}

AlertState AlertingRule::State() const {
  AlertState s = AlertState::kInactive;
  for (const auto& [h, a] : active_) s = std::max(s, a.state);
  return s;
}

void AlertingRule::SetRestoredState(std::map<model::Labels, std::int64_t> active_since_ms) {
  restored_ = std::move(active_since_ms);
}

std::vector<model::Alert> AlertingRule::AlertsToSend(std::int64_t t_ms,
                                                     const SendSchedule& schedule,
                                                     const std::string& generator_url) {
  std::vector<model::Alert> out;
  const std::int64_t hold = 4 * std::max(schedule.interval_ms, schedule.resend_delay_ms);
  for (auto& [h, a] : active_) {
    if (a.state == AlertState::kPending) continue;
    const bool resolved_since_sent = a.resolved_at != 0 && a.resolved_at > a.last_sent;
    if (!resolved_since_sent && a.last_sent != 0 && a.last_sent + schedule.resend_delay_ms >= t_ms) {
      continue;
    }
    a.last_sent = t_ms;
    a.valid_until = t_ms + hold;
    model::Alert sent;
    sent.labels = a.labels;
    sent.annotations = a.annotations;
    sent.starts_at_ms = a.fired_at != 0 ? a.fired_at : a.active_at;
    sent.ends_at_ms = a.resolved_at != 0 ? a.resolved_at : a.valid_until;
    sent.generator_url = generator_url;
    out.push_back(std::move(sent));
  }
  return out;
}

}  // namespace hw::rules
