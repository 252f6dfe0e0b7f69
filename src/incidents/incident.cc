#include "incidents/incident.h"

#include <fmt/format.h>

#include <ctime>

#include "incidents/text.h"

namespace hw::incidents {
namespace {

constexpr std::string_view kStates[] = {"triggered", "acknowledged", "investigating",
                                        "mitigated", "resolved",     "postmortem_done"};
constexpr std::string_view kKinds[] = {"opened",         "state_change",     "severity_change",
                                       "alert_attached", "escalation",       "notification",
                                       "note",           "responder_action", "postmortem"};

}  // namespace

std::string_view StateName(State s) { return kStates[static_cast<int>(s)]; }

std::optional<State> ParseState(std::string_view s) {
  for (int i = 0; i < 6; ++i) {
    if (kStates[i] == s) return static_cast<State>(i);
  }
  return std::nullopt;
}

std::string SeverityName(int severity) { return fmt::format("P{}", severity); }

std::optional<int> ParseSeverityName(std::string_view s) {
  if (s.size() == 2 && (s[0] == 'P' || s[0] == 'p') && s[1] >= '1' && s[1] <= '4') {
    return s[1] - '0';
  }
  return std::nullopt;
}

std::string_view EntryKindName(EntryKind k) { return kKinds[static_cast<int>(k)]; }

std::optional<EntryKind> ParseEntryKind(std::string_view s) {
  for (int i = 0; i < 9; ++i) {
    if (kKinds[i] == s) return static_cast<EntryKind>(i);
  }
  return std::nullopt;
}

void Incident::Log(std::int64_t at_ms, std::string actor, EntryKind kind, std::string text) {
  timeline.push_back({at_ms, std::move(actor), kind, std::move(text)});
}

Status Transition(Incident& inc, State to, std::int64_t now_ms, const std::string& actor) {
  const State from = inc.state;
  auto refuse = [&](std::string_view why) {
    return Status::BadData(fmt::format("cannot move incident {} from {} to {}: {}", inc.id,
                                       StateName(from), StateName(to), why));
  };
  if (to == from) return refuse("it is already there");
  if (to == State::kPostmortemDone && from != State::kResolved) {
    return refuse("only a resolved incident's post-mortem can be done");
  }
  if (from == State::kPostmortemDone) return refuse("the incident is closed");
  if (from == State::kResolved && to != State::kPostmortemDone) {
    return refuse("resolved incidents only move to postmortem_done");
  }
  if (to < from && !(to == State::kTriggered && from == State::kAcknowledged)) {
    return refuse("states only move forward (acknowledged may return to triggered)");
  }
  inc.state = to;
  if (to >= State::kAcknowledged && inc.acknowledged_ms == 0) inc.acknowledged_ms = now_ms;
  if (to == State::kResolved) inc.resolved_ms = now_ms;
  inc.Log(now_ms, actor, EntryKind::kStateChange,
          fmt::format("{} → {}", StateName(from), StateName(to)));
  return Status::Ok();
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "nobody" : out;
}

std::string HumanDuration(std::int64_t ms) {
  std::int64_t s = ms / 1000;
  std::int64_t d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60, sec = s % 60;
  std::string out;
  if (d > 0) out += fmt::format("{}d ", d);
  if (h > 0) out += fmt::format("{}h ", h);
  if (m > 0) out += fmt::format("{}m ", m);
  if (sec > 0 || out.empty()) out += fmt::format("{}s ", sec);
  out.pop_back();
  return out;
}

std::string FormatTimeUtc(std::int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string DraftPostmortem(const Incident& inc) {
  // The draft is edited and saved back, so it must pass the post-mortem's own check
  // (incidents/text.h): each line is one line of text, and a huge incident (hundreds
  // of alerts, long notes) is summarised, the rest left to the incident's timeline.
  constexpr std::size_t kMaxLine = 300;
  constexpr std::size_t kMaxAlerts = 100;
  constexpr std::size_t kMaxEntries = 400;
  std::string md = fmt::format("# Post-mortem: incident {} — {}\n\n", inc.id,
                               OneLine(inc.title, kMaxTitleBytes));
  md += "## Summary\n\n";
  md += fmt::format("{} incident opened {} by {}", SeverityName(inc.severity),
                    FormatTimeUtc(inc.opened_ms), OneLine(inc.opened_by, kMaxLine));
  if (inc.acknowledged_ms != 0) {
    md +=
        fmt::format(", acknowledged after {}", HumanDuration(inc.acknowledged_ms - inc.opened_ms));
  }
  if (inc.resolved_ms != 0) {
    md += fmt::format(", resolved {}", FormatTimeUtc(inc.resolved_ms));
  }
  md += ".\n\n## Impact\n\n";
  std::int64_t end = inc.resolved_ms != 0 ? inc.resolved_ms : inc.opened_ms;
  md += fmt::format("- Duration: {}\n", HumanDuration(end - inc.opened_ms));
  md += fmt::format("- Affected alerts: {}\n", inc.alerts.size());
  for (std::size_t i = 0; i < inc.alerts.size() && i < kMaxAlerts; ++i) {
    const AttachedAlert& a = inc.alerts[i];
    auto name = a.labels.find("alertname");
    std::string labels;
    for (const auto& [k, v] : a.labels) {
      if (k == "alertname") continue;
      labels += fmt::format("{}{}=\"{}\"", labels.empty() ? "" : ", ", k, v);
    }
    md += fmt::format("  - {} from {}\n",
                      OneLine(fmt::format("{} {{{}}}",
                                          name != a.labels.end() ? name->second : a.fingerprint,
                                          labels),
                              kMaxLine),
                      FormatTimeUtc(a.first_seen_ms));
  }
  if (inc.alerts.size() > kMaxAlerts) {
    md += fmt::format("  - … {} more (see the incident)\n", inc.alerts.size() - kMaxAlerts);
  }
  md += "\n## Timeline\n\n";
  for (std::size_t i = 0; i < inc.timeline.size() && i < kMaxEntries; ++i) {
    const TimelineEntry& e = inc.timeline[i];
    md += fmt::format("- {} — {} ({}): {}\n", FormatTimeUtc(e.at_ms), OneLine(e.actor, kMaxLine),
                      EntryKindName(e.kind), OneLine(e.text, kMaxLine));
  }
  if (inc.timeline.size() > kMaxEntries) {
    md += fmt::format("- … {} more entries (see the incident's timeline)\n",
                      inc.timeline.size() - kMaxEntries);
  }
  md += "\n## Root cause\n\n\n## Action items\n\n";
  return md;
}

}  // namespace hw::incidents
