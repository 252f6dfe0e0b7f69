#include "scrape/targets_json.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace hw::scrape {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void LabelsObject(JsonWriter& w, const model::Labels& labels) {
  w.StartObject();
  for (const model::Label& l : labels) {
    Str(w, l.name);
    Str(w, l.value);
  }
  w.EndObject();
}

void Active(JsonWriter& w, const TargetStatus& t) {
  w.StartObject();
  w.Key("discoveredLabels");
  LabelsObject(w, t.discovered);
  w.Key("labels");
  LabelsObject(w, t.labels);
  w.Key("scrapePool");
  Str(w, t.scrape_pool);
  w.Key("scrapeUrl");
  Str(w, t.scrape_url);
  w.Key("globalUrl");
  Str(w, t.global_url);
  w.Key("lastError");
  Str(w, t.last_error);
  w.Key("lastScrape");
  Str(w, t.last_scrape_ms == 0 ? std::string("0001-01-01T00:00:00Z")
                               : FormatRfc3339Millis(t.last_scrape_ms));
  w.Key("lastScrapeDuration");
  // Go's float encoding: shortest form, no ".0" on whole numbers (fmt's "{}" agrees).
  std::string d = fmt::format("{}", t.last_scrape_duration_s);
  w.RawValue(d.data(), d.size(), rapidjson::kNumberType);
  w.Key("health");
  Str(w, HealthName(t.health));
  w.Key("scrapeInterval");
  Str(w, FormatDuration(t.scrape_interval));
  w.Key("scrapeTimeout");
  Str(w, FormatDuration(t.scrape_timeout));
  w.EndObject();
}

}  // namespace

std::string TargetsJson(const Manager& manager, std::string_view state,
                        std::string_view scrape_pool) {
  std::string s(state);
  s.erase(std::remove_if(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); }),
          s.end());
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  bool show_active = s.empty() || s == "any" || s == "active";
  bool show_dropped = s.empty() || s == "any" || s == "dropped";
  auto in_pool = [&](const TargetStatus& t) {
    return scrape_pool.empty() || t.scrape_pool == scrape_pool;
  };

  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("activeTargets");
  w.StartArray();
  if (show_active) {
    for (const TargetStatus& t : manager.ActiveTargets()) {
      if (in_pool(t)) Active(w, t);
    }
  }
  w.EndArray();
  w.Key("droppedTargets");
  w.StartArray();
  if (show_dropped) {
    for (const TargetStatus& t : manager.DroppedTargets()) {
      if (!in_pool(t)) continue;
      w.StartObject();
      w.Key("discoveredLabels");
      LabelsObject(w, t.discovered);
      w.Key("scrapePool");
      Str(w, t.scrape_pool);
      w.EndObject();
    }
  }
  w.EndArray();
  if (show_dropped) {
    w.Key("droppedTargetCounts");
    w.StartObject();
    for (const auto& [pool, n] : manager.DroppedTargetCounts()) {
      if (!scrape_pool.empty() && pool != scrape_pool) continue;
      Str(w, pool);
      w.Uint64(n);
    }
    w.EndObject();
  } else {
    w.Key("droppedTargetCounts");  // Go marshals the unset map as null
    w.Null();
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string MetadataJson(const Manager& manager, std::string_view metric, int limit,
                         int limit_per_metric) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  for (const auto& [name, entries] : manager.MetadataFor(metric, limit, limit_per_metric)) {
    Str(w, name);
    w.StartArray();
    for (const MetricMetadata& m : entries) {
      w.StartObject();
      w.Key("type");
      Str(w, MetricTypeName(m.type));
      w.Key("help");
      Str(w, m.help);
      w.Key("unit");
      Str(w, m.unit);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace hw::scrape
