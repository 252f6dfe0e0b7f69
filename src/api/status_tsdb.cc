// /api/v1/status/tsdb: cardinality statistics of the head, as Prometheus computes
// them from its head postings.
#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <string>

#include "api/json.h"
#include "api/status.h"

namespace hw::api {
namespace {

// The `limit` largest entries, by value descending, ties by name.
template <typename Map>
std::vector<TsdbStat> Top(const Map& counts, std::size_t limit) {
  std::vector<TsdbStat> out;
  out.reserve(counts.size());
  for (const auto& [name, value] : counts) out.push_back({name, static_cast<std::uint64_t>(value)});
  auto by_value = [](const TsdbStat& a, const TsdbStat& b) {
    return a.value != b.value ? a.value > b.value : a.name < b.name;
  };
  if (out.size() > limit) {
    std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(limit), out.end(),
                      by_value);
    out.resize(limit);
  } else {
    std::sort(out.begin(), out.end(), by_value);
  }
  return out;
}

void WriteStats(JsonWriter& w, const char* key, const std::vector<TsdbStat>& stats) {
  w.Key(key);
  w.StartArray();
  for (const TsdbStat& s : stats) {
    w.StartObject();
    w.Key("name");
    WriteString(w, s.name);
    w.Key("value");
    w.Uint64(s.value);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

TsdbStatus ComputeTsdbStatus(tsdb::Head& head, std::size_t limit) {
  TsdbStatus st;
  std::map<std::string, std::uint64_t, std::less<>> by_metric;
  std::map<std::string, std::uint64_t, std::less<>> by_pair;  // "name=value" -> series
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> values_by_name;
  for (const std::shared_ptr<tsdb::MemSeries>& s : head.SortedSeries()) {
    ++st.num_series;
    st.chunk_count += s->NumChunks();
    const model::Labels& labels = s->labels();
    if (std::string_view m = labels.MetricName(); !m.empty()) ++by_metric[std::string(m)];
    for (const model::Label& l : labels) {
      std::string pair;
      pair.reserve(l.name.size() + 1 + l.value.size());
      pair.append(l.name).append("=").append(l.value);
      ++by_pair[pair];
      values_by_name[std::string(l.name)].emplace(l.value);
    }
  }
  st.num_label_pairs = by_pair.size();
  std::map<std::string, std::uint64_t, std::less<>> value_counts;
  std::map<std::string, std::uint64_t, std::less<>> value_bytes;
  for (const auto& [name, values] : values_by_name) {
    value_counts[name] = values.size();
    std::uint64_t bytes = 0;
    for (const std::string& v : values) bytes += v.size();
    value_bytes[name] = bytes;
  }
  tsdb::HeadStats hs = head.Stats();
  st.min_time = hs.min_time;
  st.max_time = hs.max_time;
  st.series_count_by_metric_name = Top(by_metric, limit);
  st.label_value_count_by_label_name = Top(value_counts, limit);
  st.memory_in_bytes_by_label_name = Top(value_bytes, limit);
  st.series_count_by_label_value_pair = Top(by_pair, limit);
  return st;
}

http::Response HandleTsdbStatus(tsdb::Db& db, const http::Request& req) {
  std::size_t limit = 10;
  if (std::string s = req.Param("limit").value_or(""); !s.empty()) {
    long long v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v < 1) {
      return http::Response::Error(Status::BadData("limit must be a positive number"));
    }
    limit = static_cast<std::size_t>(v);
  }
  TsdbStatus st = ComputeTsdbStatus(db.head(), limit);
  JsonBody body;
  JsonWriter& w = body.writer();
  w.StartObject();
  w.Key("headStats");
  w.StartObject();
  w.Key("numSeries");
  w.Uint64(st.num_series);
  w.Key("numLabelPairs");
  w.Uint64(st.num_label_pairs);
  w.Key("chunkCount");
  w.Int64(st.chunk_count);
  w.Key("minTime");
  w.Int64(st.min_time);
  w.Key("maxTime");
  w.Int64(st.max_time);
  w.EndObject();
  WriteStats(w, "seriesCountByMetricName", st.series_count_by_metric_name);
  WriteStats(w, "labelValueCountByLabelName", st.label_value_count_by_label_name);
  WriteStats(w, "memoryInBytesByLabelName", st.memory_in_bytes_by_label_name);
  WriteStats(w, "seriesCountByLabelValuePair", st.series_count_by_label_value_pair);
  w.EndObject();
  return body.Finish();
}

}  // namespace hw::api
