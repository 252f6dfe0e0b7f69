#include "incidents/store.h"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace hw::incidents {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
using Value = rapidjson::Value;

void Str(Writer& w, const std::string& s) {
  w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
}

void Strings(Writer& w, const std::vector<std::string>& v) {
  w.StartArray();
  for (const std::string& s : v) Str(w, s);
  w.EndArray();
}

void Labels(Writer& w, const std::map<std::string, std::string>& m) {
  w.StartObject();
  for (const auto& [k, v] : m) {
    Str(w, k);
    Str(w, v);
  }
  w.EndObject();
}

// Readers tolerate missing members (defaults) so older rows load after fields are added.
std::string GetStr(const Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsString()
             ? std::string(it->value.GetString(), it->value.GetStringLength())
             : std::string();
}

std::int64_t GetInt(const Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}

bool GetBool(const Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}

const Value* GetArray(const Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsArray() ? &it->value : nullptr;
}

std::vector<std::string> GetStrings(const Value& o, const char* key) {
  std::vector<std::string> out;
  if (const Value* a = GetArray(o, key)) {
    for (const Value& v : a->GetArray()) {
      if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
    }
  }
  return out;
}

std::map<std::string, std::string> GetLabels(const Value& o, const char* key) {
  std::map<std::string, std::string> out;
  auto it = o.FindMember(key);
  if (it == o.MemberEnd() || !it->value.IsObject()) return out;
  for (const auto& m : it->value.GetObject()) {
    if (m.value.IsString()) out[m.name.GetString()] = m.value.GetString();
  }
  return out;
}

}  // namespace

std::string IncidentToJson(const Incident& inc) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("id");
  w.Int64(inc.id);
  w.Key("title");
  Str(w, inc.title);
  w.Key("severity");
  w.Int(inc.severity);
  w.Key("state");
  Str(w, std::string(StateName(inc.state)));
  w.Key("group_key");
  Str(w, inc.group_key);
  w.Key("opened_by");
  Str(w, inc.opened_by);
  w.Key("test");
  w.Bool(inc.test);
  w.Key("opened_ms");
  w.Int64(inc.opened_ms);
  w.Key("acknowledged_ms");
  w.Int64(inc.acknowledged_ms);
  w.Key("resolved_ms");
  w.Int64(inc.resolved_ms);
  if (inc.policy) {
    w.Key("policy");
    w.StartObject();
    w.Key("name");
    Str(w, inc.policy->name);
    w.Key("repeat");
    w.Int(inc.policy->repeat);
    w.Key("levels");
    w.StartArray();
    for (const auto& l : inc.policy->levels) {
      w.StartObject();
      w.Key("notify");
      Strings(w, l.notify);
      w.Key("receivers");
      Strings(w, l.receivers);
      if (l.timeout) {
        w.Key("timeout_ms");
        w.Int64(l.timeout->count());
      }
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.Key("escalation");
  w.StartObject();
  w.Key("level");
  w.Int(inc.escalation.level);
  w.Key("round");
  w.Int(inc.escalation.round);
  w.Key("next_due_ms");
  w.Int64(inc.escalation.next_due_ms);
  w.Key("exhausted");
  w.Bool(inc.escalation.exhausted);
  w.EndObject();
  w.Key("pages");
  w.StartArray();
  for (const PageRecord& p : inc.pages) {
    w.StartObject();
    w.Key("at_ms");
    w.Int64(p.at_ms);
    w.Key("level");
    w.Int(p.level);
    w.Key("round");
    w.Int(p.round);
    w.Key("users");
    Strings(w, p.users);
    w.Key("receivers");
    Strings(w, p.receivers);
    w.Key("reason");
    Str(w, p.reason);
    w.Key("error");
    Str(w, p.error);
    w.Key("pending");
    w.Int(p.pending);
    w.EndObject();
  }
  w.EndArray();
  w.Key("alerts");
  w.StartArray();
  for (const AttachedAlert& a : inc.alerts) {
    w.StartObject();
    w.Key("fingerprint");
    Str(w, a.fingerprint);
    w.Key("labels");
    Labels(w, a.labels);
    w.Key("first_seen_ms");
    w.Int64(a.first_seen_ms);
    w.Key("last_seen_ms");
    w.Int64(a.last_seen_ms);
    w.Key("resolved");
    w.Bool(a.resolved);
    w.EndObject();
  }
  w.EndArray();
  w.Key("timeline");
  w.StartArray();
  for (const TimelineEntry& e : inc.timeline) {
    w.StartObject();
    w.Key("at_ms");
    w.Int64(e.at_ms);
    w.Key("actor");
    Str(w, e.actor);
    w.Key("kind");
    Str(w, std::string(EntryKindName(e.kind)));
    w.Key("text");
    Str(w, e.text);
    w.EndObject();
  }
  w.EndArray();
  w.Key("postmortem");
  Str(w, inc.postmortem);
  w.Key("action_items");
  w.StartArray();
  for (const ActionItem& a : inc.action_items) {
    w.StartObject();
    w.Key("id");
    w.Int(a.id);
    w.Key("text");
    Str(w, a.text);
    w.Key("owner");
    Str(w, a.owner);
    w.Key("done");
    w.Bool(a.done);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return buf.GetString();
}

Result<Incident> IncidentFromJson(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str(), json.size());
  if (d.HasParseError() || !d.IsObject()) return Status::Internal("corrupt incident row");
  Incident inc;
  inc.id = GetInt(d, "id");
  inc.title = GetStr(d, "title");
  inc.severity = static_cast<int>(GetInt(d, "severity"));
  std::optional<State> state = ParseState(GetStr(d, "state"));
  if (!state || inc.severity < 1 || inc.severity > 4) {
    return Status::Internal(fmt::format("corrupt incident row {}: bad state or severity", inc.id));
  }
  inc.state = *state;
  inc.group_key = GetStr(d, "group_key");
  inc.opened_by = GetStr(d, "opened_by");
  inc.test = GetBool(d, "test");
  inc.opened_ms = GetInt(d, "opened_ms");
  inc.acknowledged_ms = GetInt(d, "acknowledged_ms");
  inc.resolved_ms = GetInt(d, "resolved_ms");
  auto pol = d.FindMember("policy");
  if (pol != d.MemberEnd() && pol->value.IsObject()) {
    config::EscalationPolicyConfig p;
    p.name = GetStr(pol->value, "name");
    p.repeat = static_cast<int>(GetInt(pol->value, "repeat"));
    if (const Value* levels = GetArray(pol->value, "levels")) {
      for (const Value& l : levels->GetArray()) {
        config::EscalationLevelConfig& lc = p.levels.emplace_back();
        lc.notify = GetStrings(l, "notify");
        lc.receivers = GetStrings(l, "receivers");
        if (l.HasMember("timeout_ms")) lc.timeout = Duration(GetInt(l, "timeout_ms"));
      }
    }
    inc.policy = std::move(p);
  }
  auto esc = d.FindMember("escalation");
  if (esc != d.MemberEnd() && esc->value.IsObject()) {
    inc.escalation.level = static_cast<int>(GetInt(esc->value, "level"));
    inc.escalation.round = static_cast<int>(GetInt(esc->value, "round"));
    inc.escalation.next_due_ms = GetInt(esc->value, "next_due_ms");
    inc.escalation.exhausted = GetBool(esc->value, "exhausted");
  }
  if (const Value* pages = GetArray(d, "pages")) {
    for (const Value& p : pages->GetArray()) {
      inc.pages.push_back({GetInt(p, "at_ms"), static_cast<int>(GetInt(p, "level")),
                           static_cast<int>(GetInt(p, "round")), GetStrings(p, "users"),
                           GetStrings(p, "receivers"), GetStr(p, "reason"), GetStr(p, "error"),
                           static_cast<int>(GetInt(p, "pending"))});
    }
  }
  if (const Value* alerts = GetArray(d, "alerts")) {
    for (const Value& a : alerts->GetArray()) {
      inc.alerts.push_back({GetStr(a, "fingerprint"), GetLabels(a, "labels"),
                            GetInt(a, "first_seen_ms"), GetInt(a, "last_seen_ms"),
                            GetBool(a, "resolved")});
    }
  }
  if (const Value* timeline = GetArray(d, "timeline")) {
    for (const Value& e : timeline->GetArray()) {
      EntryKind kind = ParseEntryKind(GetStr(e, "kind")).value_or(EntryKind::kNote);
      inc.timeline.push_back({GetInt(e, "at_ms"), GetStr(e, "actor"), kind, GetStr(e, "text")});
    }
  }
  inc.postmortem = GetStr(d, "postmortem");
  if (const Value* items = GetArray(d, "action_items")) {
    for (const Value& a : items->GetArray()) {
      inc.action_items.push_back({static_cast<int>(GetInt(a, "id")), GetStr(a, "text"),
                                  GetStr(a, "owner"), GetBool(a, "done")});
    }
  }
  return inc;
}

Result<IncidentStore> IncidentStore::Open(alerting::StateDb& db) {
  auto lock = db.Lock();
  HW_RETURN_IF_ERROR(db.db().Exec(R"(CREATE TABLE IF NOT EXISTS incidents (
      id INTEGER PRIMARY KEY, open INTEGER NOT NULL, group_key TEXT NOT NULL,
      next_due INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS incidents_open ON incidents (open, group_key))"));
  return IncidentStore(db);
}

Status IncidentStore::Save(const Incident& inc) {
  std::string body = IncidentToJson(inc);
  auto lock = db_->Lock();
  Result<Sqlite::Statement> st = db_->db().Prepare(
      "INSERT OR REPLACE INTO incidents (id, open, group_key, next_due, body) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!st.ok()) return st.status().Wrap("cannot save incident");
  st->Bind(1, inc.id).Bind(2, inc.IsOpen() ? 1 : 0).Bind(3, inc.group_key);
  st->Bind(4, inc.escalation.next_due_ms).Bind(5, body);
  Status s = st->Run();
  if (!s.ok()) return s.Wrap(fmt::format("cannot save incident {}", inc.id));
  return Status::Ok();
}

Result<std::vector<Incident>> IncidentStore::LoadAll() {
  auto lock = db_->Lock();
  Result<Sqlite::Statement> q = db_->db().Prepare("SELECT body FROM incidents ORDER BY id");
  if (!q.ok()) return q.status().Wrap("cannot load incidents");
  std::vector<Incident> out;
  while (q->Step()) {
    Result<Incident> inc = IncidentFromJson(q->Text(0));
    if (!inc.ok()) return inc.status().Wrap("cannot load incidents");
    out.push_back(std::move(inc).value());
  }
  if (!q->status().ok()) return q->status().Wrap("cannot load incidents");
  return out;
}

Result<std::int64_t> IncidentStore::MaxId() {
  auto lock = db_->Lock();
  Result<Sqlite::Statement> q = db_->db().Prepare("SELECT COALESCE(MAX(id), 0) FROM incidents");
  if (!q.ok()) return q.status();
  if (!q->Step()) return q->status().ok() ? Status::Internal("no max id") : q->status();
  return q->Int(0);
}

}  // namespace hw::incidents
