// `hastewatch test-rules FILE...`: runs promtool's rule unit-test files unchanged
// (rule_files, evaluation_interval, group_eval_order, tests with interval,
// input_series in the expanding notation `a+bxN`, alert_rule_test and
// promql_expr_test), each test on a fresh tsdb::Head and promql::Engine, with time
// simulated from 0 in steps of evaluation_interval (every group evaluated at every
// step, as promtool does, whatever the group's own interval).
//
// Output reads like promtool's: "Unit Testing:  FILE" then "  SUCCESS" or
// "  FAILED:" followed by each difference (expected and got).
//
// Thread-safety: reentrant; each call owns its storage.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace hw::rules {

struct RuleTestOptions {
  // Prometheus 2.x PromQL semantics (range windows closed at both ends), to give the
  // verdicts of a 2.x promtool.
  bool v2 = false;
};

// Runs each file, printing to `out`. Returns the exit code: 0 when all pass, 1 otherwise.
int RunRuleUnitTests(const std::vector<std::string>& files, const RuleTestOptions& options,
                     std::ostream& out);

}  // namespace hw::rules
