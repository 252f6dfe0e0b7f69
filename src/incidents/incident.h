// Incident: one P1–P4 event someone must respond to, opened from a paging alert group
// or by hand, with its lifecycle state, the alerts attached to it, the escalation
// policy it was opened with (kept even if the config changes), its escalation
// progress, a timeline of everything that happened, and its post-mortem.
//
// Lifecycle: triggered → acknowledged → investigating → mitigated → resolved →
// postmortem_done. States move forward (skipping is allowed: triggered → resolved);
// the one way back is acknowledged → triggered (an ack timeout or an un-acknowledge).
// Transition() checks this and says why a move is refused.
//
// Plain values: not thread-safe; IncidentManager owns them under its lock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/incidents.h"

namespace hw::incidents {

enum class State {
  kTriggered,
  kAcknowledged,
  kInvestigating,
  kMitigated,
  kResolved,
  kPostmortemDone
};

std::string_view StateName(State s);  // "triggered", "acknowledged", ...
std::optional<State> ParseState(std::string_view s);
// "P1".."P4" for 1..4.
std::string SeverityName(int severity);
std::optional<int> ParseSeverityName(std::string_view s);

// What a timeline entry records.
enum class EntryKind {
  kOpened,
  kStateChange,
  kSeverityChange,
  kAlertAttached,
  kEscalation,
  kNotification,
  kNote,
  kResponderAction,
  kPostmortem
};
std::string_view EntryKindName(EntryKind k);
std::optional<EntryKind> ParseEntryKind(std::string_view s);

struct TimelineEntry {
  std::int64_t at_ms = 0;
  std::string actor;  // a user name, or "system"
  EntryKind kind = EntryKind::kNote;
  std::string text;
  bool operator==(const TimelineEntry&) const = default;
};

struct AttachedAlert {
  std::string fingerprint;  // identity within the group (the alert's label hash)
  std::map<std::string, std::string> labels;
  std::int64_t first_seen_ms = 0;
  std::int64_t last_seen_ms = 0;
  bool resolved = false;
  bool operator==(const AttachedAlert&) const = default;
};

struct ActionItem {
  int id = 0;  // 1-based within the incident
  std::string text;
  std::string owner;
  bool done = false;
  bool operator==(const ActionItem&) const = default;
};

// One escalation step as it was paged: what `hastewatch test-escalation --live` and
// the UI show without parsing timeline text.
struct PageRecord {
  std::int64_t at_ms = 0;
  int level = 1;  // 1-based
  int round = 0;  // 0 = first pass
  std::vector<std::string> users;
  std::vector<std::string> receivers;
  std::string reason;  // "opened", "unacknowledged after 15m", ...
  std::string error;   // "" when every receiver took the page
  // Receivers whose delivery outcome is not known yet (the server sends pages after
  // the step is recorded and reports back through IncidentManager::RecordPageResult).
  int pending = 0;
  bool operator==(const PageRecord&) const = default;
};

// Where the incident's policy has got to. `next_due_ms` 0 = nothing scheduled.
struct EscalationProgress {
  int level = 0;  // 0-based index of the level paged last; -1 before the first page
  int round = 0;  // 0 = first pass through the levels, 1.. = repeats
  std::int64_t next_due_ms = 0;
  bool exhausted = false;  // every level and repeat has been paged
  bool operator==(const EscalationProgress&) const = default;
};

struct Incident {
  std::int64_t id = 0;
  std::string title;
  int severity = 1;  // 1..4
  State state = State::kTriggered;
  std::string group_key;  // the alert group it was opened from; "" when opened by hand
  std::string opened_by;  // "system" or the user
  // A drill (`hastewatch test-escalation --live`): its pages say TEST, and it is left
  // out of MTTA/MTTR, breaches and the open-incident gauges.
  bool test = false;
  std::int64_t opened_ms = 0;
  std::int64_t acknowledged_ms = 0;  // first acknowledgement (or later state); 0 = never
  std::int64_t resolved_ms = 0;
  std::optional<config::EscalationPolicyConfig> policy;  // snapshot at opening
  EscalationProgress escalation;
  std::vector<PageRecord> pages;  // every step paged, oldest first
  std::vector<AttachedAlert> alerts;
  std::vector<TimelineEntry> timeline;
  std::string postmortem;  // markdown, drafted at resolution
  std::vector<ActionItem> action_items;
  bool operator==(const Incident&) const = default;

  bool IsOpen() const { return state < State::kResolved; }
  void Log(std::int64_t at_ms, std::string actor, EntryKind kind, std::string text);
};

// Moves `inc` to `to` at `now_ms` by `actor`, recording the change on the timeline and
// the acknowledgement / resolution times. BadData naming both states when the move is
// not allowed (e.g. "cannot move incident 7 from resolved to acknowledged: ...").
Status Transition(Incident& inc, State to, std::int64_t now_ms, const std::string& actor);

// The markdown post-mortem draft: summary, impact (duration, affected alerts), the
// timeline, and empty Root cause and Action items sections.
std::string DraftPostmortem(const Incident& inc);

// "1h 5m", "15m", "42s": durations for people.
std::string HumanDuration(std::int64_t ms);
// "alice, bob" ("nobody" for none): who a page went to, for people.
std::string JoinNames(const std::vector<std::string>& names);
// "2024-03-30 09:00:00 UTC".
std::string FormatTimeUtc(std::int64_t ms);

}  // namespace hw::incidents
