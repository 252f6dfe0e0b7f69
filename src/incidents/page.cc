#include "incidents/page.h"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace hw::incidents {

std::map<std::string, std::string> IncidentAnnotations(std::int64_t incident_id, bool test,
                                                       const std::string& recipient,
                                                       const IncidentLinks& links,
                                                       const std::string& external_url_arg) {
  std::string external_url = external_url_arg;
  while (!external_url.empty() && external_url.back() == '/') external_url.pop_back();
  std::map<std::string, std::string> out;
  out["incident_url"] = fmt::format("{}/ui/incidents/{}", external_url, incident_id);
  if (std::optional<IncidentLinks::ActionUrls> urls = links.Urls(incident_id, recipient)) {
    out["acknowledge_url"] = std::move(urls->acknowledge);
    out["resolve_url"] = std::move(urls->resolve);
  }
  if (test) out["test"] = "true";
  return out;
}

alerting::Notification BuildPage(const Incident& inc, const EscalationStep& step,
                                 const std::string& receiver, const IncidentLinks& links,
                                 const std::string& external_url) {
  // Who the signed links say acted when used.
  const std::string recipient = fmt::format("{} via {}", JoinNames(step.users), receiver);
  // Annotations every alert of the page gets.
  const std::map<std::string, std::string> extra =
      IncidentAnnotations(inc.id, inc.test, recipient, links, external_url);
  const std::string test_tag = inc.test ? "TEST " : "";
  alerting::Notification n;
  n.group_key = fmt::format("incident/{}", inc.id);
  // Label values outlive the string_views FromPairs reads.
  const std::string id_text = std::to_string(inc.id);
  const std::string severity_text = SeverityName(inc.severity);
  std::vector<std::pair<std::string_view, std::string_view>> group = {{"incident", id_text},
                                                                      {"severity", severity_text}};
  if (inc.test) group.emplace_back("test", "true");
  n.group_labels = model::Labels::FromPairs(std::move(group));
  const std::string summary =
      fmt::format("{}P{} incident #{}: {}", test_tag, inc.severity, inc.id, inc.title);
  for (const AttachedAlert& a : inc.alerts) {
    if (a.resolved) continue;
    model::Alert alert;
    std::vector<std::pair<std::string_view, std::string_view>> pairs(a.labels.begin(),
                                                                     a.labels.end());
    alert.labels = model::Labels::FromPairs(std::move(pairs));
    alert.starts_at_ms = a.first_seen_ms;
    alert.annotations = extra;
    alert.annotations["summary"] = summary;
    alert.annotations["description"] = fmt::format(
        "Escalation level {}{} ({}); acknowledge to stop escalation.", step.level,
        step.round > 0 ? fmt::format(", repeat {}", step.round) : std::string(), step.reason);
    n.alerts.push_back(std::move(alert));
  }
  if (n.alerts.empty()) {  // opened by hand: one synthetic alert carries the page
    model::Alert alert;
    std::vector<std::pair<std::string_view, std::string_view>> labels = {{"alertname", "Incident"},
                                                                         {"incident", id_text}};
    if (inc.test) labels.emplace_back("test", "true");
    alert.labels = model::Labels::FromPairs(std::move(labels));
    alert.annotations = extra;
    alert.annotations["summary"] = summary;
    alert.annotations["description"] = fmt::format(
        "{}Escalation level {}{} ({}); acknowledge to stop escalation.",
        inc.test ? "TEST (a drill, nothing is broken): " : "", step.level,
        step.round > 0 ? fmt::format(", repeat {}", step.round) : std::string(), step.reason);
    n.alerts.push_back(std::move(alert));
  }
  n.note = fmt::format("{}escalation level {} of incident #{}", test_tag, step.level, inc.id);
  return n;
}

}  // namespace hw::incidents
