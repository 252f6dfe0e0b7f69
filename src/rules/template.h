// Alert templates: the subset of Go's text/template that Prometheus alerting rules use
// in labels and annotations, with Prometheus' template functions.
//
// Syntax: text with {{ actions }}; `{{-` / `-}}` trim adjacent white space; comments
// {{/* ... */}}; pipelines `a | f b | g`; parenthesised pipelines; variables
// ($labels, $value, $externalLabels, $externalURL, `$` and `$x := ...`); fields
// (.Labels.x, .Value, .ExternalLabels.x, .ExternalURL, $labels.x, .x on a map);
// {{ if }} / {{ else if }} / {{ else }} / {{ with }} / {{ range }} ... {{ end }}.
// Missing map keys read as "" (Prometheus runs templates with missingkey=zero).
//
// Functions: humanize, humanize1024, humanizeDuration, humanizePercentage,
// humanizeTimestamp, printf (%s %d %f %g %e %v %q %x %% with flags, width, precision),
// title, toUpper, toLower, reReplaceAll, match, query, first, value, label, strvalue,
// sortByLabel, len, index, eq, ne, lt, le, gt, ge, and, or, not, print, println.
//
// Numbers print as Go's fmt does (%v of a float64: 0.1, 1e+06, NaN, +Inf).
//
// Parse errors (unknown function, unclosed action, unbalanced end) are found by
// Parse, so rule files fail at load; execution errors (a failed query, a function
// given the wrong kind of value) by Execute.
//
// The same parser and executor run Alertmanager-style notification templates through
// TemplateSet (template_set.h), which adds define/template and a generic value model.
//
// Thread-safety: a parsed Template is immutable and may be executed concurrently.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "rules/template_set.h"

namespace hw::rules {

// Runs an instant query for the `query` template function (at the evaluation time).
using TemplateQueryFunc =
    std::function<Result<std::vector<TemplateSample>>(std::string_view expr)>;

// What `.`/the preamble variables hold while a rule's template runs.
struct TemplateData {
  std::map<std::string, std::string> labels;           // .Labels, $labels
  double value = 0;                                    // .Value, $value
  std::map<std::string, std::string> external_labels;  // $externalLabels
  std::string external_url;                            // $externalURL
  TemplateQueryFunc query;                             // may be empty: query fails
};

class Template {
 public:
  // `name` appears in error messages: "<name>:<line>:<col>: <problem>".
  static Result<Template> Parse(std::string_view name, std::string_view text);
  Result<std::string> Execute(const TemplateData& data) const;

 private:
  std::string name_;
  std::shared_ptr<const tmpl::Node> root_;
};

// Go's fmt %v of a float64.
std::string FormatGoFloat(double v);

// The template functions, exposed for tests.
std::string Humanize(double v);
std::string Humanize1024(double v);
std::string HumanizeDuration(double seconds);
std::string HumanizePercentage(double ratio);
std::string HumanizeTimestamp(double unix_seconds);

}  // namespace hw::rules
