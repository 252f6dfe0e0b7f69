// A recording rule: evaluates its expression and returns the result renamed to the
// rule's `record` name, with the rule's (and its group's) labels set. The group
// appends the samples; the rule holds no state. Thread-compatible (const after
// construction).
#pragma once

#include <string>

#include "rules/rule.h"
#include "rules/rule_file.h"

namespace hw::rules {

class RecordingRule {
 public:
  // `group_labels` are set first, so the rule's own labels win.
  RecordingRule(Rule spec, const LabelMap& group_labels);

  // Samples to append at t_ms - offset: the expression evaluated at that time. Fails
  // when the query fails, when more than `limit` series result (limit > 0), or when
  // two results share a label set once renamed.
  Result<Vector> Eval(std::int64_t t_ms, const QueryFunc& query, std::int64_t limit = 0,
                      std::int64_t offset_ms = 0) const;

  const std::string& name() const { return spec_.name; }
  const Rule& spec() const { return spec_; }

 private:
  Rule spec_;
  LabelMap labels_;  // group labels overlaid with the rule's
};

}  // namespace hw::rules
