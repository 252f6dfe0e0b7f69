// Inhibition (Alertmanager's inhibit rules): a firing source alert mutes the target
// alerts that share its `equal` labels — the example pack's firing DatabaseDown or
// APIDown muting the warnings it causes on the same service.
//
// A target is inhibited by a rule when it matches the rule's target matchers and some
// firing alert other than itself matches the source matchers and has the same values
// (absent counts as "") for every `equal` label.
//
// Thread-safety: an Inhibitor is immutable after Compile; a Snapshot is a value.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "alerting/matchers.h"
#include "config/notifications.h"
#include "model/alert.h"
#include "model/matcher.h"

namespace hw::alerting {

class Inhibitor {
 public:
  static Result<Inhibitor> Compile(const std::vector<config::InhibitRuleConfig>& rules);

  // The sources of every rule among the firing alerts, indexed for InhibitedBy.
  class Snapshot {
   public:
    // Fingerprints of the alerts inhibiting `target` (empty: not inhibited).
    std::vector<std::uint64_t> InhibitedBy(const model::Labels& target) const;

   private:
    friend class Inhibitor;
    const Inhibitor* inhibitor_ = nullptr;
    // Per rule: the equal-label values of its sources -> their fingerprints.
    std::vector<std::multimap<std::string, std::uint64_t>> sources_;
  };
  Snapshot Index(std::span<const model::Alert> firing) const;

  bool empty() const { return rules_.empty(); }

 private:
  struct Rule {
    std::vector<model::Matcher> source;
    std::vector<model::Matcher> target;
    std::vector<std::string> equal;
  };
  static std::string EqualKey(const Rule& r, const model::Labels& labels);
  std::vector<Rule> rules_;
};

}  // namespace hw::alerting
