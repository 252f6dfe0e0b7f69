// Rule lint: rules that load but cannot do what their author meant.
//
// LintRuleFiles() looks at loaded rule files (rules::LoadRuleFile already rejected
// everything invalid, with file:line:col) and reports findings, each positioned in its
// file and naming its rule:
//
// Static checks (always):
//   * the monitoring guide's loose expressions, with the corrected expression
//     (promql::LintHints: histogram_quantile over a non-_bucket series or without `le`,
//     an unaggregated ratio of two different metrics);
//   * a paging alert (label action="page", or severity "critical" or "page", rule or
//     group label) without `for`, or with `for: 0s`;
//   * a paging alert without a `runbook_url` annotation;
//   * rate / irate / increase / resets over a metric whose name does not look like a
//     counter (_total, _count, _sum, _bucket), unless live metadata says it is one.
//
// Live checks (when a LiveSource is given), against the series a running server has:
//   * each vector selector that matches no series;
//   * a binary operation between two vectors whose match signatures (on/ignoring
//     applied, __name__ dropped) never intersect, so the result is always empty;
//   * rate-family functions over a metric whose metadata type is gauge (an error).
//
// Positions: a finding points at the offending part of the expression when the
// expression's text can be found in the file (plain, single-quoted-free and literal
// block scalars); otherwise at the start of the rule.
//
// Severity: everything is a warning except rate over a gauge confirmed by metadata and
// a failing live source, which are errors.
//
// Thread-safety: LintRuleFiles is reentrant; it calls the LiveSource from the calling
// thread only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "model/matcher.h"
#include "rules/rule_file.h"

namespace hw::rules {

enum class Severity { kWarning, kError };
std::string_view SeverityName(Severity s);  // "warning", "error"

struct Finding {
  std::string file;
  int line = 0;  // 1-based
  int column = 0;
  std::string rule;  // the alert or record name
  Severity severity = Severity::kWarning;
  std::string message;
  std::string suggestion;  // a corrected expression or setting; "" when none

  // `file:line:col: warning: rule "X": message (suggestion: ...)`.
  std::string ToString() const;
};

// What the live checks need from a running server. Implementations may block on I/O;
// errors are reported as error-level findings and stop the live checks.
class LiveSource {
 public:
  virtual ~LiveSource() = default;

  struct SeriesSet {
    std::vector<model::Labels> series;  // at most `limit`
    bool truncated = false;             // more series exist than were returned
  };
  // The series matching every matcher (a selector's matchers, __name__ included).
  virtual Result<SeriesSet> Series(const std::vector<model::Matcher>& matchers,
                                   std::size_t limit) const = 0;
  // The metadata type of a metric family ("counter", "gauge", "histogram", "summary",
  // "unknown", ...); "" when the server has no metadata for it.
  virtual Result<std::string> MetricType(const std::string& metric) const = 0;
};

struct LintOptions {
  // Series fetched per selector for the vector-matching check; a side with more is
  // not judged (its signatures are incomplete).
  std::size_t series_limit = 2000;
};

// Findings in file order, then rule order, then position in the expression.
// `live` may be null: static checks only.
std::vector<Finding> LintRuleFiles(const std::vector<RuleFile>& files, const LiveSource* live,
                                   const LintOptions& options = {});

// True when a metric name looks like a counter or a classic histogram/summary series:
// it (or the metric part of a recording rule name level:metric:ops) ends in _total,
// _count, _sum or _bucket.
bool LooksLikeCounter(std::string_view metric);

}  // namespace hw::rules
