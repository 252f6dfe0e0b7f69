// Rule files: the typed form of the files named by `rule_files` in hastewatch.yml.
//
// Two shapes are accepted, in one file or side by side:
//
//   * Prometheus' `groups:` form, exactly as prometheus.yml's rule files: each group has
//     name, interval, limit, query_offset, labels and rules; each rule is an alerting
//     rule (alert, expr, for, keep_firing_for, labels, annotations) or a recording rule
//     (record, expr, labels).
//   * The monitoring guide's `alerts:` form ("Alert Configuration"): a top-level list of
//     {name, expr, for, severity, action, runbook} plus optional labels, annotations,
//     keep_firing_for, interval and group. `severity` and `action` become labels of the
//     same name, `runbook` the `runbook_url` annotation. Alerts are gathered into groups
//     by `group` (default: "alerts"), in file order; alerts of one group must agree on
//     `interval` (or leave it out).
//
// Duplicate alert names are allowed in both forms, as in Prometheus: the usual
// warning/critical pair shares a name and differs in `severity` and threshold. What is
// rejected is two alerts of one group with the same name AND the same labels: their
// ALERTS series would collide. Recording rules may repeat a name too (Prometheus
// allows it; the series differ by labels).
//
// Everything is checked at load and every problem reported at once, each as
// "file:line:col: key.path: problem": unknown keys, wrong types, bad durations, invalid
// label names, rules with both or neither of alert/record, recording rules with
// alert-only keys, PromQL parse errors (positioned inside the file, at the offending
// byte of the expression) and template errors in labels and annotations (naming the
// rule).
//
// Plain values: a RuleFile is immutable once loaded and safe to share.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hw::rules {

using LabelMap = std::map<std::string, std::string>;
using Millis = std::chrono::milliseconds;

struct Rule {
  enum class Kind { kAlerting, kRecording };
  Kind kind = Kind::kAlerting;
  std::string name;  // `alert` or `record`
  std::string expr;  // PromQL, validated at load
  Millis for_duration{0};
  Millis keep_firing_for{0};
  LabelMap labels;       // may hold templates (alerting rules)
  LabelMap annotations;  // templates; alerting rules only
  int line = 0;          // where the rule starts in its file (1-based)
  int column = 0;
};

struct RuleGroup {
  std::string name;
  std::string file;       // the file it came from
  Millis interval{0};     // 0: the global evaluation_interval
  std::int64_t limit = 0;  // 0: no limit on alerts / series per rule
  Millis query_offset{0};
  LabelMap labels;        // added to every rule's output (rule labels win)
  std::vector<Rule> rules;
};

struct RuleFile {
  std::string path;
  std::vector<RuleGroup> groups;
};

// Parses `content`, reporting positions against `file`. On failure the status is
// kBadData and its message holds every error, one per line.
Result<RuleFile> ParseRuleFile(std::string_view file, std::string_view content);
// Reads and parses the file at `path`.
Result<RuleFile> LoadRuleFile(const std::string& path);

}  // namespace hw::rules
