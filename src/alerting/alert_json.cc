#include "alerting/alert_json.h"

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

}  // namespace hw::alerting
