#include "alerting/alert_json.h"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "base/units.h"

namespace hw::alerting {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

}  // namespace

std::string PostableAlertsJson(std::span<const model::Alert> alerts) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartArray();
  for (const model::Alert& a : alerts) {
    w.StartObject();
    w.Key("labels");
    w.StartObject();
    for (const model::Label& l : a.labels) {
      Str(w, l.name);
      Str(w, l.value);
    }
    w.EndObject();
    w.Key("annotations");
    w.StartObject();
    for (const auto& [k, v] : a.annotations) {
      Str(w, k);
      Str(w, v);
    }
    w.EndObject();
    if (a.starts_at_ms != 0) {
      w.Key("startsAt");
      Str(w, FormatRfc3339Millis(a.starts_at_ms));
    }
    if (a.ends_at_ms != 0) {
      w.Key("endsAt");
      Str(w, FormatRfc3339Millis(a.ends_at_ms));
    }
    w.Key("generatorURL");
    Str(w, a.generator_url);
    w.EndObject();
  }
  w.EndArray();
  return std::string(buf.GetString(), buf.GetSize());
}

namespace {

bool ValidLabelName(std::string_view n) {
  if (n.empty()) return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const char c = n[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

Status ParseTime(const rapidjson::Value& obj, const char* key, std::size_t index,
                 std::int64_t* out) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return Status::Ok();
  if (!it->value.IsString()) {
    return Status::BadData(fmt::format("alerts[{}].{}: must be a string", index, key));
  }
  std::string_view text(it->value.GetString(), it->value.GetStringLength());
  if (text.starts_with("0001-01-01T00:00:00")) return Status::Ok();  // Go's zero time
  Result<std::int64_t> t = ParseRfc3339Millis(text);
  if (!t.ok()) return Status::BadData(fmt::format("alerts[{}].{}: {}", index, key, t.status().message()));
  *out = *t;
  return Status::Ok();
}

}  // namespace

Result<std::vector<model::Alert>> ParsePostableAlerts(std::string_view body) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (d.HasParseError()) return Status::BadData("cannot parse alerts: invalid JSON");
  if (!d.IsArray()) return Status::BadData("cannot parse alerts: expected a JSON array of alerts");
  std::vector<model::Alert> out;
  std::size_t i = 0;
  for (const rapidjson::Value& a : d.GetArray()) {
    if (!a.IsObject()) return Status::BadData(fmt::format("alerts[{}]: must be an object", i));
    model::Alert alert;
    auto labels = a.FindMember("labels");
    if (labels == a.MemberEnd() || !labels->value.IsObject() || labels->value.MemberCount() == 0) {
      return Status::BadData(fmt::format("alerts[{}].labels: at least one label pair required", i));
    }
    std::vector<std::pair<std::string_view, std::string_view>> pairs;
    for (const auto& m : labels->value.GetObject()) {
      std::string_view name(m.name.GetString(), m.name.GetStringLength());
      if (!ValidLabelName(name)) {
        return Status::BadData(fmt::format("alerts[{}].labels: invalid label name \"{}\"", i, name));
      }
      if (!m.value.IsString() || m.value.GetStringLength() == 0) {
        return Status::BadData(fmt::format("alerts[{}].labels.{}: value must be a non-empty string", i, name));
      }
      pairs.emplace_back(name, std::string_view(m.value.GetString(), m.value.GetStringLength()));
    }
    alert.labels = model::Labels::FromPairs(std::move(pairs));
    auto ann = a.FindMember("annotations");
    if (ann != a.MemberEnd() && !ann->value.IsNull()) {
      if (!ann->value.IsObject()) {
        return Status::BadData(fmt::format("alerts[{}].annotations: must be an object", i));
      }
      for (const auto& m : ann->value.GetObject()) {
        if (!m.value.IsString()) {
          return Status::BadData(fmt::format("alerts[{}].annotations.{}: must be a string", i,
                                             m.name.GetString()));
        }
        alert.annotations[m.name.GetString()] = std::string(m.value.GetString(), m.value.GetStringLength());
      }
    }
    HW_RETURN_IF_ERROR(ParseTime(a, "startsAt", i, &alert.starts_at_ms));
    HW_RETURN_IF_ERROR(ParseTime(a, "endsAt", i, &alert.ends_at_ms));
    auto gen = a.FindMember("generatorURL");
    if (gen != a.MemberEnd() && gen->value.IsString()) alert.generator_url = gen->value.GetString();
    if (alert.starts_at_ms != 0 && alert.ends_at_ms != 0 && alert.ends_at_ms < alert.starts_at_ms) {
      return Status::BadData(fmt::format("alerts[{}]: start time must be before end time", i));
    }
    out.push_back(std::move(alert));
    ++i;
  }
  return out;
}

}  // namespace hw::alerting
