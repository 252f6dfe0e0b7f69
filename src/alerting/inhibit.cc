#include "alerting/inhibit.h"

#include <fmt/format.h>

namespace hw::alerting {

Result<Inhibitor> Inhibitor::Compile(const std::vector<config::InhibitRuleConfig>& rules) {
  Inhibitor inh;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    Rule r;
    Result<std::vector<model::Matcher>> s = CompileMatchers(rules[i].source_matchers);
    if (!s.ok()) return s.status().Wrap(fmt::format("inhibit_rules[{}].source_matchers", i));
    Result<std::vector<model::Matcher>> t = CompileMatchers(rules[i].target_matchers);
    if (!t.ok()) return t.status().Wrap(fmt::format("inhibit_rules[{}].target_matchers", i));
    r.source = std::move(s).value();
    r.target = std::move(t).value();
    r.equal = rules[i].equal;
    inh.rules_.push_back(std::move(r));
  }
  return inh;
}

std::string Inhibitor::EqualKey(const Rule& r, const model::Labels& labels) {
  std::string key;
  for (const std::string& name : r.equal) {
    key += labels.Get(name);
    key += '\xff';
  }
  return key;
}

Inhibitor::Snapshot Inhibitor::Index(std::span<const model::Alert> firing) const {
  Snapshot snap;
  snap.inhibitor_ = this;
  snap.sources_.resize(rules_.size());
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    for (const model::Alert& a : firing) {
      if (MatchesAll(rules_[i].source, a.labels)) {
        snap.sources_[i].emplace(EqualKey(rules_[i], a.labels), model::AlertFingerprint(a.labels));
      }
    }
  }
  return snap;
}

std::vector<std::uint64_t> Inhibitor::Snapshot::InhibitedBy(const model::Labels& target) const {
  std::vector<std::uint64_t> by;
  if (inhibitor_ == nullptr) return by;
  const std::uint64_t self = model::AlertFingerprint(target);
  for (std::size_t i = 0; i < inhibitor_->rules_.size(); ++i) {
    const Rule& r = inhibitor_->rules_[i];
    if (!MatchesAll(r.target, target)) continue;
    auto [lo, hi] = sources_[i].equal_range(EqualKey(r, target));
    for (auto it = lo; it != hi; ++it) {
      if (it->second != self) by.push_back(it->second);  // an alert never mutes itself
    }
  }
  return by;
}

}  // namespace hw::alerting
