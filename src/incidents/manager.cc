#include "incidents/manager.h"

#include <fmt/format.h>

#include <algorithm>

#include "incidents/text.h"

namespace hw::incidents {
namespace {

constexpr const char* kSystem = "system";
const std::string kTestPrefix = "[TEST] ";

std::string JoinWith(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// Why an open incident's policy (kept from its opening) cannot run under `cfg`: the
// first schedule or user a level names that `cfg` no longer has; "" when none.
std::string MissingTarget(const Incident& inc, const config::IncidentsConfig& cfg) {
  // A drill (test incident) never blocks a reload: a killed `test-escalation --live`
  // may leave one open.
  if (!inc.IsOpen() || !inc.policy || inc.test) return "";
  for (std::size_t i = 0; i < inc.policy->levels.size(); ++i) {
    for (const std::string& target : inc.policy->levels[i].notify) {
      std::string missing;
      if (target.starts_with("schedule:")) {
        if (cfg.FindSchedule(target.substr(9)) == nullptr) {
          missing = fmt::format("schedule \"{}\"", target.substr(9));
        }
      } else if (cfg.FindUser(target) == nullptr) {
        missing = fmt::format("user \"{}\"", target);
      }
      if (!missing.empty()) {
        return fmt::format(
            "open incident {} (escalation policy {}) level {} names {}, which the new config "
            "does not have: restore it, or resolve the incident first",
            inc.id, inc.policy->name, i + 1, missing);
      }
    }
  }
  return "";
}

std::string AlertName(const GroupAlert& a) {
  auto it = a.labels.find("alertname");
  return it != a.labels.end() ? it->second : a.fingerprint;
}

}  // namespace

std::optional<int> SeverityFor(const config::IncidentsConfig& cfg,
                               const std::map<std::string, std::string>& labels) {
  for (const config::SeverityRuleConfig& rule : cfg.severity_rules) {
    bool match = std::all_of(rule.match.begin(), rule.match.end(), [&](const auto& kv) {
      auto it = labels.find(kv.first);
      return it != labels.end() && it->second == kv.second;
    });
    if (match) return rule.severity;
  }
  return std::nullopt;
}

IncidentManager::IncidentManager(ManagerOptions options, IncidentStore store, Schedules schedules)
    : options_(std::move(options)),
      store_(std::move(store)),
      schedules_(std::move(schedules)),
      escalator_(options_.config, schedules_, options_.time_intervals) {}

Result<std::unique_ptr<IncidentManager>> IncidentManager::Open(ManagerOptions options) {
  if (options.db == nullptr || options.clock == nullptr || options.pager == nullptr) {
    return Status::Internal("cannot open incidents: db, clock and pager are required");
  }
  Result<IncidentStore> store = IncidentStore::Open(*options.db);
  if (!store.ok()) return store.status().Wrap("cannot open incidents");
  Result<Schedules> schedules = Schedules::Compile(options.config);
  if (!schedules.ok()) return schedules.status().Wrap("cannot open incidents");
  Result<std::vector<Incident>> loaded = store->LoadAll();
  if (!loaded.ok()) return loaded.status().Wrap("cannot open incidents");
  std::unique_ptr<IncidentManager> m(new IncidentManager(
      std::move(options), std::move(store).value(), std::move(schedules).value()));
  std::lock_guard lock(m->mu_);
  for (Incident& inc : *loaded) {
    m->next_id_ = std::max(m->next_id_, inc.id + 1);
    m->incidents_.emplace(inc.id, std::move(inc));
  }
  // Pages still queued when the server died were never reported: say so rather than
  // leave them pending (or looking sent) for ever.
  for (auto& [id, inc] : m->incidents_) {
    bool lost = std::any_of(inc.pages.begin(), inc.pages.end(),
                            [](const PageRecord& p) { return p.pending > 0; });
    if (!lost) continue;
    (void)m->Mutate(id, [&](Incident& copy) {
      for (PageRecord& p : copy.pages) {
        if (p.pending == 0) continue;
        p.pending = 0;
        p.error += std::string(p.error.empty() ? "" : "; ") +
                   "outcome unknown: the server stopped before the page was sent";
      }
      return Status::Ok();
    });
  }
  // Timers that came due while the server was down fire now.
  m->TickLocked();
  return m;
}

std::optional<config::EscalationPolicyConfig> IncidentManager::PolicyFor(int severity) const {
  const std::string& name = options_.config.severities[severity - 1].policy;
  if (name.empty()) return std::nullopt;
  const config::EscalationPolicyConfig* p = options_.config.FindPolicy(name);
  if (p == nullptr) return std::nullopt;
  return *p;
}

Status IncidentManager::Mutate(std::int64_t id, const std::function<Status(Incident&)>& fn) {
  auto it = incidents_.find(id);
  if (it == incidents_.end()) return Status::NotFound(fmt::format("no incident {}", id));
  Incident copy = it->second;
  HW_RETURN_IF_ERROR(fn(copy));
  HW_RETURN_IF_ERROR(store_.Save(copy));
  it->second = std::move(copy);
  return Status::Ok();
}

Result<std::int64_t> IncidentManager::Create(Incident inc) {
  const std::int64_t now = options_.clock->NowMillis();
  inc.id = next_id_;
  inc.opened_ms = now;
  inc.policy = PolicyFor(inc.severity);
  inc.Log(now, inc.opened_by, EntryKind::kOpened,
          fmt::format("{} opened: {}{}", SeverityName(inc.severity), inc.title,
                      inc.policy ? fmt::format(" (escalation policy {})", inc.policy->name)
                                 : std::string(" (no escalation policy)")));
  escalator_.Start(inc, now);
  HW_RETURN_IF_ERROR(store_.Save(inc));
  ++next_id_;
  std::int64_t id = inc.id;
  incidents_.emplace(id, std::move(inc));
  TickLocked();  // pages level 1 at once
  return id;
}

Result<std::optional<std::int64_t>> IncidentManager::OnAlertGroup(
    const std::string& group_key, const std::vector<GroupAlert>& alerts) {
  std::lock_guard lock(mu_);
  const std::int64_t now = options_.clock->NowMillis();
  auto attach = [&](Incident& inc) {
    for (const GroupAlert& a : alerts) {
      auto it = std::find_if(inc.alerts.begin(), inc.alerts.end(), [&](const AttachedAlert& x) {
        return x.fingerprint == a.fingerprint;
      });
      if (it == inc.alerts.end()) {
        inc.alerts.push_back({a.fingerprint, a.labels, now, now, a.resolved});
        inc.Log(now, kSystem, EntryKind::kAlertAttached,
                fmt::format("alert {} {}", AlertName(a),
                            a.resolved ? "attached (resolved)" : "attached"));
      } else {
        if (a.resolved && !it->resolved) {
          inc.Log(now, kSystem, EntryKind::kAlertAttached,
                  fmt::format("alert {} resolved", AlertName(a)));
        } else if (!a.resolved && it->resolved) {
          inc.Log(now, kSystem, EntryKind::kAlertAttached,
                  fmt::format("alert {} firing again", AlertName(a)));
        }
        it->last_seen_ms = now;
        it->resolved = a.resolved;
      }
    }
    return Status::Ok();
  };
  for (auto& [id, inc] : incidents_) {
    if (inc.IsOpen() && !group_key.empty() && inc.group_key == group_key) {
      HW_RETURN_IF_ERROR(Mutate(id, attach));
      return std::optional<std::int64_t>(id);
    }
  }
  std::optional<int> severity;
  const GroupAlert* first = nullptr;
  for (const GroupAlert& a : alerts) {
    if (a.resolved) continue;
    std::optional<int> s = SeverityFor(options_.config, a.labels);
    if (s && (!severity || *s < *severity)) {
      severity = s;
      first = &a;
    }
  }
  if (!severity) return std::optional<std::int64_t>();
  Incident inc;
  inc.title = fmt::format("{} ({})", AlertName(*first), group_key);
  inc.severity = *severity;
  inc.group_key = group_key;
  inc.opened_by = kSystem;
  HW_RETURN_IF_ERROR(attach(inc));
  Result<std::int64_t> id = Create(std::move(inc));
  if (!id.ok()) return id.status();
  return std::optional<std::int64_t>(*id);
}

Result<std::int64_t> IncidentManager::OpenManual(const std::string& title, int severity,
                                                 const std::string& actor, bool test) {
  if (severity < 1 || severity > 4) {
    return Status::BadData(fmt::format("cannot open incident: severity {} is not 1..4", severity));
  }
  const std::string full_title =
      test && title.rfind(kTestPrefix, 0) != 0 ? kTestPrefix + title : title;
  if (Status s = CheckText("title", full_title, kMaxTitleBytes, TextShape::kLine); !s.ok()) {
    return s.Wrap("cannot open incident");
  }
  std::lock_guard lock(mu_);
  Incident inc;
  inc.title = full_title;
  inc.severity = severity;
  inc.opened_by = actor;
  inc.test = test;
  return Create(std::move(inc));
}

Status IncidentManager::Acknowledge(std::int64_t id, const std::string& actor) {
  return SetState(id, State::kAcknowledged, actor);
}

Status IncidentManager::SetState(std::int64_t id, State to, const std::string& actor) {
  std::lock_guard lock(mu_);
  const std::int64_t now = options_.clock->NowMillis();
  return Mutate(id, [&](Incident& inc) {
    State from = inc.state;
    HW_RETURN_IF_ERROR(Transition(inc, to, now, actor));
    if (to == State::kTriggered) {
      escalator_.Start(inc, now);  // un-acknowledged: the policy starts over
    } else if (from == State::kTriggered) {
      inc.escalation.next_due_ms = 0;  // escalation stops
      if (inc.policy) inc.Log(now, actor, EntryKind::kEscalation, "escalation stopped");
    }
    if (to == State::kAcknowledged && options_.config.ack_timeout.count() > 0) {
      // The ack timer reuses next_due_ms: in `acknowledged` it means "re-trigger".
      inc.escalation.next_due_ms = now + options_.config.ack_timeout.count();
    } else if (to != State::kTriggered) {
      inc.escalation.next_due_ms = 0;
    }
    if (to == State::kResolved) {
      inc.postmortem = DraftPostmortem(inc);
      inc.Log(now, kSystem, EntryKind::kPostmortem, "post-mortem draft generated");
    }
    return Status::Ok();
  });
}

Status IncidentManager::ChangeSeverity(std::int64_t id, int severity, const std::string& actor) {
  if (severity < 1 || severity > 4) {
    return Status::BadData(
        fmt::format("cannot change severity of incident {}: {} is not 1..4", id, severity));
  }
  std::lock_guard lock(mu_);
  const std::int64_t now = options_.clock->NowMillis();
  return Mutate(id, [&](Incident& inc) {
    if (inc.severity == severity) {
      return Status::BadData(fmt::format("cannot change severity of incident {}: already {}", id,
                                         SeverityName(severity)));
    }
    inc.Log(now, actor, EntryKind::kSeverityChange,
            fmt::format("{} → {}", SeverityName(inc.severity), SeverityName(severity)));
    inc.severity = severity;
    return Status::Ok();
  });
}

Status IncidentManager::AddNote(std::int64_t id, const std::string& actor,
                                const std::string& text) {
  if (Status s = CheckText("note", text, kMaxNoteBytes, TextShape::kMultiline); !s.ok()) {
    return s.Wrap(fmt::format("cannot add a note to incident {}", id));
  }
  std::lock_guard lock(mu_);
  const std::int64_t now = options_.clock->NowMillis();
  return Mutate(id, [&](Incident& inc) {
    inc.Log(now, actor, EntryKind::kNote, text);
    return Status::Ok();
  });
}

Status IncidentManager::RecordAction(std::int64_t id, const std::string& actor,
                                     const std::string& text) {
  std::lock_guard lock(mu_);
  const std::int64_t now = options_.clock->NowMillis();
  return Mutate(id, [&](Incident& inc) {
    inc.Log(now, actor, EntryKind::kResponderAction, text);
    return Status::Ok();
  });
}

Status IncidentManager::EditPostmortem(std::int64_t id, const std::string& markdown,
                                       const std::string& actor) {
  if (Status s = CheckText("post-mortem", markdown, kMaxPostmortemBytes, TextShape::kMultiline,
                           /*required=*/false);
      !s.ok()) {
    return s.Wrap(fmt::format("cannot edit the post-mortem of incident {}", id));
  }
  std::lock_guard lock(mu_);
  const std::int64_t now = options_.clock->NowMillis();
  return Mutate(id, [&](Incident& inc) {
    if (inc.IsOpen()) {
      return Status::BadData(
          fmt::format("cannot edit the post-mortem of incident {}: it is not resolved yet", id));
    }
    inc.postmortem = markdown;
    inc.Log(now, actor, EntryKind::kPostmortem, "post-mortem edited");
    return Status::Ok();
  });
}

Result<int> IncidentManager::AddActionItem(std::int64_t id, const std::string& text,
                                           const std::string& owner, const std::string& actor) {
  for (Status s : {CheckText("text", text, kMaxActionItemBytes, TextShape::kLine),
                   CheckText("owner", owner, kMaxOwnerBytes, TextShape::kLine, false)}) {
    if (!s.ok()) return s.Wrap("cannot add action item");
  }
  std::lock_guard lock(mu_);
  const std::int64_t now = options_.clock->NowMillis();
  int item_id = 0;
  Status s = Mutate(id, [&](Incident& inc) {
    item_id = static_cast<int>(inc.action_items.size()) + 1;
    inc.action_items.push_back({item_id, text, owner, false});
    inc.Log(now, actor, EntryKind::kPostmortem,
            fmt::format("action item {} added: {}{}", item_id, text,
                        owner.empty() ? "" : " (owner " + owner + ")"));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return item_id;
}

Status IncidentManager::SetActionItemDone(std::int64_t id, int item, bool done,
                                          const std::string& actor) {
  std::lock_guard lock(mu_);
  const std::int64_t now = options_.clock->NowMillis();
  return Mutate(id, [&](Incident& inc) {
    if (item < 1 || item > static_cast<int>(inc.action_items.size())) {
      return Status::NotFound(fmt::format("incident {} has no action item {}", id, item));
    }
    inc.action_items[item - 1].done = done;
    inc.Log(now, actor, EntryKind::kPostmortem,
            fmt::format("action item {} {}", item, done ? "done" : "reopened"));
    return Status::Ok();
  });
}

void IncidentManager::Tick() {
  std::lock_guard lock(mu_);
  TickLocked();
}

void IncidentManager::TickLocked() {
  const std::int64_t now = options_.clock->NowMillis();
  for (auto& [id, current] : incidents_) {
    const EscalationProgress& p = current.escalation;
    if (p.next_due_ms == 0 || now < p.next_due_ms) continue;
    if (current.state != State::kTriggered && current.state != State::kAcknowledged) continue;
    // A deferred (queueing) pager gets the steps once the incident with their page
    // records is saved: a failed save then sends nothing, and the next Tick retries
    // the still-due step once, with its own record.
    const bool defer = options_.pager->deferred();
    std::vector<EscalationStep> to_send;
    Status s = Mutate(id, [&](Incident& inc) {
      if (inc.state == State::kAcknowledged) {
        HW_RETURN_IF_ERROR(Transition(inc, State::kTriggered, now, kSystem));
        inc.timeline.back().text += fmt::format(" (not resolved within the {} ack timeout)",
                                                HumanDuration(options_.config.ack_timeout.count()));
        escalator_.Start(inc, now);
      }
      while (std::optional<EscalationStep> step = escalator_.Next(inc, now)) {
        inc.Log(now, kSystem, EntryKind::kEscalation,
                fmt::format("level {}{}: {} → {}", step->level,
                            step->round > 0 ? fmt::format(" (repeat {})", step->round) : "",
                            step->reason, JoinNames(step->users)));
        if (step->users.empty() || step->receivers.empty()) {
          // Say why nobody is reached rather than "paged nobody via nobody".
          std::vector<std::string> why = step->unresolved;
          if (why.empty()) {
            why.push_back(step->users.empty()
                              ? "the level names nobody"
                              : fmt::format("no receivers for {} (set the level's receivers or "
                                            "the users')",
                                            JoinNames(step->users)));
          }
          inc.Log(now, kSystem, EntryKind::kEscalation,
                  fmt::format("level {} paged nobody: {}", step->level, JoinWith(why, "; ")));
        }
        step->page_index = inc.pages.size();
        Status sent = defer ? Status::Ok() : options_.pager->Page(inc, *step);
        PageRecord record{now,          step->level,  step->round, step->users,
                          step->receivers, step->reason, sent.ok() ? "" : sent.message()};
        if (defer) {
          record.pending = static_cast<int>(step->receivers.size());
          to_send.push_back(*step);
        }
        inc.pages.push_back(std::move(record));
        inc.Log(now, kSystem, EntryKind::kNotification,
                sent.ok() ? fmt::format("paged {} via {}", JoinNames(step->users), JoinNames(step->receivers))
                          : fmt::format("page to {} via {} failed: {}", JoinNames(step->users),
                                        JoinNames(step->receivers), sent.message()));
        if (inc.escalation.exhausted) {
          inc.Log(now, kSystem, EntryKind::kEscalation, "escalation policy exhausted");
        }
        if (inc.escalation.next_due_ms > now) break;
      }
      return Status::Ok();
    });
    if (!s.ok()) continue;  // a failed save leaves the step due: the next Tick retries it
    const Incident& saved = incidents_.at(id);
    for (const EscalationStep& step : to_send) {
      // The queueing pager cannot fail here; its outcomes come through RecordPageResult.
      (void)options_.pager->Page(saved, step);
    }
  }
}

Status IncidentManager::RecordPageResult(std::int64_t id, std::size_t page_index,
                                         const std::string& receiver, const Status& result) {
  std::lock_guard lock(mu_);
  const std::int64_t now = options_.clock->NowMillis();
  return Mutate(id, [&](Incident& inc) {
    if (page_index >= inc.pages.size()) {
      return Status::NotFound(fmt::format("incident {} has no page {}", id, page_index));
    }
    PageRecord& page = inc.pages[page_index];
    if (page.pending > 0) --page.pending;
    if (!result.ok()) {
      page.error += fmt::format("{}{}: {}", page.error.empty() ? "" : "; ", receiver,
                                result.message());
      inc.Log(now, kSystem, EntryKind::kNotification,
              fmt::format("page to {} via {} failed: {}", JoinNames(page.users), receiver,
                          result.message()));
    }
    return Status::Ok();
  });
}

std::optional<std::int64_t> IncidentManager::NextDue() const {
  std::lock_guard lock(mu_);
  std::optional<std::int64_t> next;
  for (const auto& [id, inc] : incidents_) {
    std::int64_t due = inc.escalation.next_due_ms;
    if (due != 0 && (inc.state == State::kTriggered || inc.state == State::kAcknowledged) &&
        (!next || due < *next)) {
      next = due;
    }
  }
  return next;
}

Result<Incident> IncidentManager::Get(std::int64_t id) const {
  std::lock_guard lock(mu_);
  auto it = incidents_.find(id);
  if (it == incidents_.end()) return Status::NotFound(fmt::format("no incident {}", id));
  return it->second;
}

std::vector<Incident> IncidentManager::List(const ListFilter& f) const {
  auto matches = [&](const Incident& inc) {
    return (!f.open_only || inc.IsOpen()) && (!f.severity || inc.severity == *f.severity) &&
           (!f.state || inc.state == *f.state) && (f.before_id <= 0 || inc.id < f.before_id);
  };
  std::lock_guard lock(mu_);
  std::vector<Incident> out;
  if (f.limit == 0) {
    for (const auto& [id, inc] : incidents_) {
      if (matches(inc)) out.push_back(inc);
    }
    return out;
  }
  for (auto it = incidents_.rbegin(); it != incidents_.rend() && out.size() < f.limit; ++it) {
    if (matches(it->second)) out.push_back(it->second);
  }
  return out;
}

Result<PreparedConfig> IncidentManager::PrepareConfig(
    const config::IncidentsConfig& cfg,
    std::shared_ptr<const alerting::TimeIntervals> time_intervals) const {
  Result<Schedules> schedules = Schedules::Compile(cfg);
  if (!schedules.ok()) return schedules.status().Wrap("cannot apply the incidents config");
  std::lock_guard lock(mu_);
  for (const auto& [id, inc] : incidents_) {
    if (std::string missing = MissingTarget(inc, cfg); !missing.empty()) {
      return Status::BadData("cannot apply the incidents config: " + missing);
    }
  }
  return PreparedConfig{cfg, std::move(schedules).value(), std::move(time_intervals)};
}

std::vector<std::string> IncidentManager::CommitConfig(PreparedConfig prepared) {
  std::lock_guard lock(mu_);
  // Incidents opened since PrepareConfig checked (the reload's other steps ran in
  // between) are checked again; the commit cannot fail any more, so they are reported.
  std::vector<std::string> stranded;
  for (const auto& [id, inc] : incidents_) {
    if (std::string missing = MissingTarget(inc, prepared.config); !missing.empty()) {
      stranded.push_back(std::move(missing));
    }
  }
  options_.config = std::move(prepared.config);  // the escalator reads these in place
  schedules_ = std::move(prepared.schedules);
  reloaded_intervals_ = std::move(prepared.time_intervals);
  options_.time_intervals = reloaded_intervals_.get();
  escalator_.set_business_hours(options_.time_intervals);
  return stranded;
}

Status IncidentManager::ApplyConfig(const config::IncidentsConfig& cfg,
                                    std::shared_ptr<const alerting::TimeIntervals> time_intervals) {
  Result<PreparedConfig> prepared = PrepareConfig(cfg, std::move(time_intervals));
  if (!prepared.ok()) return prepared.status();
  CommitConfig(std::move(prepared).value());
  return Status::Ok();
}

Result<std::string> IncidentManager::OnCallAt(const std::string& schedule,
                                              std::int64_t t_ms) const {
  std::optional<Schedule> s;
  {
    std::lock_guard lock(mu_);
    if (const Schedule* found = schedules_.Find(schedule)) s = *found;
  }
  if (!s) return Status::NotFound(fmt::format("no schedule {}", schedule));
  return s->OnCallAt(t_ms);
}

std::vector<Schedule> IncidentManager::ScheduleSnapshot() const {
  std::lock_guard lock(mu_);
  std::vector<Schedule> out;
  for (const config::ScheduleConfig& c : options_.config.schedules) {
    if (const Schedule* s = schedules_.Find(c.name)) out.push_back(*s);
  }
  return out;
}

std::vector<std::string> IncidentManager::ScheduleNames() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const config::ScheduleConfig& s : options_.config.schedules) out.push_back(s.name);
  return out;
}

Result<std::vector<Handoff>> IncidentManager::HandoffsAfter(const std::string& schedule,
                                                            std::int64_t t_ms,
                                                            std::int64_t horizon_ms,
                                                            std::size_t max) const {
  std::optional<Schedule> s;
  {
    // Copied under the lock, sampled outside it: the dispatcher takes this lock too.
    std::lock_guard lock(mu_);
    if (const Schedule* found = schedules_.Find(schedule)) s = *found;
  }
  if (!s) return Status::NotFound(fmt::format("no schedule {}", schedule));
  return NextHandoffs(*s, t_ms, t_ms + horizon_ms, max);
}

std::int64_t IncidentManager::ResponseTimeMs(int severity) const {
  std::lock_guard lock(mu_);
  return ResponseTimeMsLocked(severity);
}

bool IncidentManager::ResponseBreached(const Incident& inc, std::int64_t now_ms) const {
  std::lock_guard lock(mu_);
  return ResponseBreachedLocked(inc, now_ms);
}

std::int64_t IncidentManager::ResponseTimeMsLocked(int severity) const {
  const config::SeverityConfig& sc = options_.config.severities[severity - 1];
  return sc.response_time.count() > 0 ? sc.response_time.count()
                                      : config::DefaultResponseTime(severity).count();
}

bool IncidentManager::ResponseBreachedLocked(const Incident& inc, std::int64_t now_ms) const {
  const std::int64_t response = ResponseTimeMsLocked(inc.severity);
  if (inc.acknowledged_ms != 0) return inc.acknowledged_ms - inc.opened_ms > response;
  return inc.IsOpen() && now_ms - inc.opened_ms > response;
}

std::array<SeverityFigures, config::kIncidentSeverities> IncidentManager::Figures() const {
  std::lock_guard lock(mu_);
  const std::int64_t now = options_.clock->NowMillis();
  std::array<SeverityFigures, config::kIncidentSeverities> out{};
  for (const auto& [id, inc] : incidents_) {
    if (inc.test) continue;  // drills would skew MTTA/MTTR
    SeverityFigures& f = out[inc.severity - 1];
    if (inc.IsOpen()) ++f.open;
    if (inc.acknowledged_ms != 0) {
      ++f.acknowledged;
      f.mtta_s += (inc.acknowledged_ms - inc.opened_ms) / 1000.0;
    }
    if (ResponseBreachedLocked(inc, now)) ++f.response_breaches;
    if (inc.resolved_ms != 0) {
      ++f.resolved;
      f.mttr_s += (inc.resolved_ms - inc.opened_ms) / 1000.0;
    }
  }
  for (SeverityFigures& f : out) {
    if (f.acknowledged > 0) f.mtta_s /= f.acknowledged;
    if (f.resolved > 0) f.mttr_s /= f.resolved;
  }
  return out;
}

void IncidentManager::RegisterMetrics(metrics::Registry& registry) {
  registry.AddCollector([this](metrics::TextWriter& w) {
    auto figures = Figures();
    const std::vector<std::string> names = {"severity"};
    auto family = [&](const char* name, const char* type, const char* help, auto value) {
      w.Family(name, type, help);
      for (int s = 1; s <= config::kIncidentSeverities; ++s) {
        w.Sample(name, names, {SeverityName(s)}, value(figures[s - 1]));
      }
    };
    family("hastewatch_incidents_open", "gauge", "Incidents not yet resolved, by severity.",
           [](const SeverityFigures& f) { return double(f.open); });
    family("hastewatch_incidents_mtta_seconds", "gauge",
           "Mean time from opening to first acknowledgement, by severity.",
           [](const SeverityFigures& f) { return f.mtta_s; });
    family("hastewatch_incidents_mttr_seconds", "gauge",
           "Mean time from opening to resolution, by severity.",
           [](const SeverityFigures& f) { return f.mttr_s; });
    family("hastewatch_incidents_response_breaches", "gauge",
           "Incidents acknowledged later than their severity's response time, or not yet "
           "and already late, by severity.",
           [](const SeverityFigures& f) { return double(f.response_breaches); });
  });
}

}  // namespace hw::incidents
