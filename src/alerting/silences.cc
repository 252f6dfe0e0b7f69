#include "alerting/silences.h"

#include <algorithm>
#include <random>

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace hw::alerting {
namespace {

// Matchers stored as [["name","op","value"],...].
std::string MatchersJson(const std::vector<model::Matcher>& ms) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartArray();
  for (const model::Matcher& m : ms) {
    w.StartArray();
    w.String(m.name().c_str());
    w.String(std::string(model::MatchTypeString(m.type())).c_str());
    w.String(m.value().c_str(), static_cast<rapidjson::SizeType>(m.value().size()));
    w.EndArray();
  }
  w.EndArray();
  return buf.GetString();
}

Result<std::vector<model::Matcher>> ParseMatchersJson(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  if (d.HasParseError() || !d.IsArray()) return Status::Internal("corrupt silence matchers");
  std::vector<model::Matcher> out;
  for (const auto& m : d.GetArray()) {
    if (!m.IsArray() || m.Size() != 3) return Status::Internal("corrupt silence matcher");
    const std::string op = m[1].GetString();
    model::MatchType type = op == "=" ? model::MatchType::kEqual
                            : op == "!=" ? model::MatchType::kNotEqual
                            : op == "=~" ? model::MatchType::kRegexMatch
                                         : model::MatchType::kRegexNoMatch;
    Result<model::Matcher> mm = model::Matcher::Make(
        type, m[0].GetString(), std::string_view(m[2].GetString(), m[2].GetStringLength()));
    if (!mm.ok()) return mm.status();
    out.push_back(std::move(mm).value());
  }
  return out;
}

bool SameMatchers(const std::vector<model::Matcher>& a, const std::vector<model::Matcher>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].type() != b[i].type() || a[i].name() != b[i].name() || a[i].value() != b[i].value()) {
      return false;
    }
  }
  return true;
}

Status Validate(const Silence& s) {
  if (s.matchers.empty()) return Status::BadData("silence invalid: at least one matcher required");
  if (std::all_of(s.matchers.begin(), s.matchers.end(),
                  [](const model::Matcher& m) { return m.MatchesEmpty(); })) {
    return Status::BadData(
        "silence invalid: at least one matcher must not match the empty string");
  }
  for (const model::Matcher& m : s.matchers) {
    if (m.name().empty()) return Status::BadData("silence invalid: matcher with an empty label name");
  }
  if (s.ends_at_ms <= s.starts_at_ms) {
    return Status::BadData("silence invalid: end time must not be before start time");
  }
  return Status::Ok();
}

}  // namespace

bool Silence::Matches(const model::Labels& labels) const {
  for (const model::Matcher& m : matchers) {
    if (!m.Matches(labels.Get(m.name()))) return false;
  }
  return true;
}

std::string_view SilenceStateName(SilenceState s) {
  switch (s) {
    case SilenceState::kPending: return "pending";
    case SilenceState::kActive: return "active";
    case SilenceState::kExpired: return "expired";
  }
  return "expired";
}

SilenceState StateAt(const Silence& s, std::int64_t now_ms) {
  if (now_ms >= s.ends_at_ms) return SilenceState::kExpired;
  if (now_ms < s.starts_at_ms) return SilenceState::kPending;
  return SilenceState::kActive;
}

Result<std::unique_ptr<Silences>> Silences::Open(StateDb& db, const Clock& clock,
                                                 std::int64_t retention_ms) {
  std::unique_ptr<Silences> s(new Silences(db, clock, retention_ms));
  auto lock = db.Lock();
  HW_RETURN_IF_ERROR(db.db().Exec(R"(CREATE TABLE IF NOT EXISTS silences (
      id TEXT PRIMARY KEY, matchers TEXT NOT NULL, starts_at INTEGER NOT NULL,
      ends_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, created_by TEXT NOT NULL,
      comment TEXT NOT NULL))"));
  Result<Sqlite::Statement> q = db.db().Prepare(
      "SELECT id, matchers, starts_at, ends_at, updated_at, created_by, comment FROM silences");
  if (!q.ok()) return q.status();
  while (q->Step()) {
    Silence sil;
    sil.id = q->Text(0);
    Result<std::vector<model::Matcher>> ms = ParseMatchersJson(q->Text(1));
    if (!ms.ok()) return ms.status().Wrap(fmt::format("silence {}", sil.id));
    sil.matchers = std::move(ms).value();
    sil.starts_at_ms = q->Int(2);
    sil.ends_at_ms = q->Int(3);
    sil.updated_at_ms = q->Int(4);
    sil.created_by = q->Text(5);
    sil.comment = q->Text(6);
    s->silences_.emplace(sil.id, std::move(sil));
  }
  if (!q->status().ok()) return q->status();
  return s;
}

std::string Silences::NewId() {
  // A random (version 4) UUID, as Alertmanager's ids.
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uint64_t a = rng(), b = rng();
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xffff,
                     b >> 48, b & 0xffffffffffffULL);
}

Status Silences::Store(const Silence& s) {
  auto lock = db_.Lock();
  Result<Sqlite::Statement> st = db_.db().Prepare(
      "INSERT OR REPLACE INTO silences (id, matchers, starts_at, ends_at, updated_at, "
      "created_by, comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!st.ok()) return st.status();
  return st->Bind(1, s.id)
      .Bind(2, MatchersJson(s.matchers))
      .Bind(3, s.starts_at_ms)
      .Bind(4, s.ends_at_ms)
      .Bind(5, s.updated_at_ms)
      .Bind(6, s.created_by)
      .Bind(7, s.comment)
      .Run();
}

Result<std::string> Silences::Set(Silence s) {
  const std::int64_t now = clock_.NowMillis();
  std::lock_guard lock(mu_);
  HW_RETURN_IF_ERROR(Validate(s));
  if (!s.id.empty()) {
    auto it = silences_.find(s.id);
    if (it == silences_.end()) {
      return Status::NotFound(fmt::format("silence {} not found", s.id));
    }
    Silence& prev = it->second;
    const SilenceState state = StateAt(prev, now);
    bool in_place = state != SilenceState::kExpired && SameMatchers(prev.matchers, s.matchers);
    if (in_place && state == SilenceState::kPending && s.starts_at_ms < now) in_place = false;
    if (in_place && state == SilenceState::kActive && s.starts_at_ms != prev.starts_at_ms) {
      in_place = false;
    }
    if (in_place && s.ends_at_ms < now) in_place = false;
    if (in_place) {
      s.updated_at_ms = now;
      HW_RETURN_IF_ERROR(Store(s));
      prev = s;
      return s.id;
    }
    // Replaced: the old one ends now (if it has not already) and a new one starts.
    if (state != SilenceState::kExpired) {
      Silence ended = prev;
      ended.ends_at_ms = state == SilenceState::kPending ? prev.starts_at_ms : now;
      ended.updated_at_ms = now;
      HW_RETURN_IF_ERROR(Store(ended));
      prev = ended;
    }
  }
  if (s.ends_at_ms < now) return Status::BadData("silence invalid: end time can't be in the past");
  if (s.starts_at_ms < now) s.starts_at_ms = now;
  if (s.ends_at_ms <= s.starts_at_ms) {
    return Status::BadData("silence invalid: end time must not be before start time");
  }
  s.id = NewId();
  s.updated_at_ms = now;
  HW_RETURN_IF_ERROR(Store(s));
  silences_[s.id] = s;
  return s.id;
}

Status Silences::Expire(const std::string& id) {
  const std::int64_t now = clock_.NowMillis();
  std::lock_guard lock(mu_);
  auto it = silences_.find(id);
  if (it == silences_.end()) return Status::NotFound(fmt::format("silence {} not found", id));
  Silence s = it->second;
  switch (StateAt(s, now)) {
    case SilenceState::kExpired:
      return Status::BadData(fmt::format("silence {} already expired", id));
    case SilenceState::kPending:
      s.ends_at_ms = s.starts_at_ms;
      break;
    case SilenceState::kActive:
      s.ends_at_ms = now;
      break;
  }
  s.updated_at_ms = now;
  HW_RETURN_IF_ERROR(Store(s));
  it->second = s;
  return Status::Ok();
}

std::optional<Silence> Silences::Get(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = silences_.find(id);
  if (it == silences_.end()) return std::nullopt;
  return it->second;
}

std::vector<Silence> Silences::List() const {
  std::lock_guard lock(mu_);
  std::vector<Silence> out;
  for (const auto& [id, s] : silences_) out.push_back(s);
  std::sort(out.begin(), out.end(), [](const Silence& a, const Silence& b) {
    return a.updated_at_ms != b.updated_at_ms ? a.updated_at_ms > b.updated_at_ms : a.id < b.id;
  });
  return out;
}

std::vector<std::string> Silences::Mutes(const model::Labels& labels, std::int64_t now_ms) const {
  std::lock_guard lock(mu_);
  std::vector<std::string> ids;
  for (const auto& [id, s] : silences_) {
    if (StateAt(s, now_ms) == SilenceState::kActive && s.Matches(labels)) ids.push_back(id);
  }
  return ids;
}

void Silences::Gc() {
  const std::int64_t cutoff = clock_.NowMillis() - retention_ms_;
  std::lock_guard lock(mu_);
  std::vector<std::string> gone;
  for (const auto& [id, s] : silences_) {
    if (s.ends_at_ms < cutoff) gone.push_back(id);
  }
  if (gone.empty()) return;
  auto db_lock = db_.Lock();
  Result<Sqlite::Statement> del = db_.db().Prepare("DELETE FROM silences WHERE id = ?1");
  for (const std::string& id : gone) {
    if (del.ok()) (void)del->Bind(1, id).Run();
    silences_.erase(id);
  }
}

}  // namespace hw::alerting
