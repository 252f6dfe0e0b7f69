// SLO specs -> rule groups the rules manager runs (and a Prometheus rule file).
//
// One group per SLO, named "slo:<service>:<name>", with the spec's file as its file.
// Recording rules first (evaluated in order, so the alerts of the same iteration see
// them), every series labelled {slo, service}:
//
//   slo:sli_error:ratio_rate<w>   share of bad events over w, for w in 5m 30m 1h 2h
//                                 6h 1d 3d (traffic-weighted: sum of rates / sum)
//   slo:sli_events:increase<w>    events over w, for the alerts' long windows 1h 6h
//                                 1d 3d (low-traffic protection)
//   slo:sli_error_critical:ratio_rate<w>   latency SLOs with a critical threshold:
//                                 the share slower than it, for w in 5m 1h
//
// Then the multi-window, multi-burn-rate alerts of the SRE workbook (budget over 30
// days; a 1× burn spends exactly the budget in 30 days):
//
//   alert            burn  long  short  for  labels
//   SLOBurnRate1h    14.4  1h    5m     2m   severity=critical action=page
//   SLOBurnRate6h    6     6h    30m    2m   severity=critical action=page
//   SLOBurnRate1d    3     1d    2h     15m  severity=warning  action=notify
//   SLOBurnRate3d    1     3d    6h     15m  severity=warning  action=notify
//
// each firing when the bad-event share over both windows exceeds burn × (1 −
// objective) and at least min_events events happened in the long window. The short
// window makes an alert clear soon after the burn stops. `for` keeps a single bad
// evaluation from paging (and satisfies the lint's "paging alert without for").
//
// SLOCriticalObjectiveBreached (severity=critical action=page, for 5m): the SLI over
// the last hour and the last 5 minutes is worse than the critical objective (for
// latency SLOs: measured at the critical threshold), with min_events in the hour.
//
// Every alert carries labels slo, service, severity, action (plus the spec's labels)
// and annotations summary, description (with humanizePercentage) and runbook_url
// when the spec names a runbook.
#pragma once

#include <string>
#include <vector>

#include "rules/rule_file.h"
#include "slo/spec.h"

namespace hw::slo {

// One burn-rate alert's parameters (the table above).
struct BurnWindow {
  const char* alert;
  double burn;
  const char* long_window;
  const char* short_window;
  bool page;
};
// The four alerts, in the table's order.
const std::vector<BurnWindow>& BurnWindows();

// The windows of slo:sli_error:ratio_rate<w>.
const std::vector<std::string>& RatioWindows();

// PromQL for the share of bad events over `window` (a duration such as "5m"),
// aggregated with sum() over every matching series; NaN when there were no events.
std::string ErrorRatioExpr(const EventSelectors& s, const std::string& window);
// PromQL for the number of events of `selector` over `range`: sum(increase(...)).
std::string CountExpr(const std::string& selector, const std::string& range);

// The rule group of one SLO.
rules::RuleGroup GenerateGroup(const Spec& spec);
// The groups of all specs, in spec order.
std::vector<rules::RuleGroup> GenerateGroups(const std::vector<Spec>& specs);

// Loads the spec files of `patterns` (slos: in hastewatch.yml) and generates their
// groups: the rules manager's extra groups (rules::ManagerOptions::extra_groups).
Result<std::vector<rules::RuleGroup>> LoadGroups(const std::vector<std::string>& patterns);

// The groups as a Prometheus rule file (`groups:` form), loadable by hastewatch's
// rule_files, promtool and Prometheus. `header` is written as a leading comment.
std::string RuleFileYaml(const std::vector<rules::RuleGroup>& groups, const std::string& header);

}  // namespace hw::slo
