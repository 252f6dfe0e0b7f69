// /api/v1/series, /api/v1/labels, /api/v1/label/<name>/values, /api/v1/metadata and
// the helpers shared by the query API's handlers.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "api/json.h"
#include "api/params.h"
#include "api/query.h"
#include "api/query_internal.h"
#include "base/utf8.h"

namespace hw::api {
namespace internal {

Result<std::size_t> LimitParam(const http::Request& req) {
  std::string s = req.Param("limit").value_or("");
  if (s.empty()) return std::size_t{0};
  long long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) {
    // Prometheus passes Go's strconv.Atoi error through.
    std::string_view why =
        ec == std::errc::result_out_of_range ? "value out of range" : "invalid syntax";
    return Status::BadData(
        fmt::format("invalid parameter \"limit\": strconv.Atoi: parsing \"{}\": {}", s, why));
  }
  if (v < 0) return Status::BadData("invalid parameter \"limit\": limit must be non-negative");
  return static_cast<std::size_t>(v);
}

Status InvalidParam(std::string_view name, const Status& cause) {
  return Status(cause.code(), fmt::format("invalid parameter \"{}\": {}", name, cause.message()));
}

void MergeSorted(std::vector<std::string>* into, std::vector<std::string> more) {
  into->insert(into->end(), std::make_move_iterator(more.begin()),
               std::make_move_iterator(more.end()));
  std::sort(into->begin(), into->end());
  into->erase(std::unique(into->begin(), into->end()), into->end());
}

}  // namespace internal

namespace {

// The parameters the series and label endpoints share.
struct SeriesParams {
  std::size_t limit = 0;
  std::int64_t start = kMinTime;
  std::int64_t end = kMaxTime;
  std::vector<std::vector<model::Matcher>> matcher_sets;
};

Result<SeriesParams> ParseSeriesParams(const http::Request& req) {
  SeriesParams p;
  Result<std::size_t> limit = internal::LimitParam(req);
  if (!limit.ok()) return limit.status();
  p.limit = *limit;
  Result<std::int64_t> start = TimeParamOr(req, "start", kMinTime);
  if (!start.ok()) return start.status();
  p.start = *start;
  Result<std::int64_t> end = TimeParamOr(req, "end", kMaxTime);
  if (!end.ok()) return end.status();
  p.end = *end;
  Result<std::vector<std::vector<model::Matcher>>> sets = MatchParams(req);
  if (!sets.ok()) return sets.status();
  p.matcher_sets = std::move(sets).value();
  return p;
}

// Storage failures while listing are execution errors in Prometheus.
Status ExecError(const Status& s) {
  return s.code() == StatusCode::kInternal || s.code() == StatusCode::kBadData
             ? Status::Execution(s.message())
             : s;
}

}  // namespace

std::string UnescapeLabelName(std::string_view name) {
  if (!name.starts_with("U__")) return std::string(name);
  std::string_view s = name.substr(3);
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '_') {
      out.push_back(s[i]);
      continue;
    }
    if (++i >= s.size()) return std::string(name);
    if (s[i] == '_') {
      out.push_back('_');
      continue;
    }
    // _<hex code point>_
    std::uint32_t cp = 0;
    int digits = 0;
    for (; i < s.size() && s[i] != '_'; ++i, ++digits) {
      char c = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
      if (digits >= 6) return std::string(name);
      if (c >= '0' && c <= '9') {
        cp = cp * 16 + static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        cp = cp * 16 + static_cast<std::uint32_t>(c - 'a' + 10);
      } else {
        return std::string(name);
      }
    }
    if (i >= s.size() || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return std::string(name);
    }
    AppendUtf8(cp, &out);
  }
  return out;
}

http::Response HandleSeries(const QueryDeps& deps, const http::Request& req) {
  if (req.Params("match[]").empty()) {
    return http::Response::Error(Status::BadData("no match[] parameter provided"));
  }
  Result<SeriesParams> p = ParseSeriesParams(req);
  if (!p.ok()) return http::Response::Error(p.status());
  auto querier = deps.storage->NewQuerier(p->start, p->end);
  if (!querier.ok()) return http::Response::Error(ExecError(querier.status()));
  std::vector<model::Labels> series;
  std::vector<std::string> warnings;
  storage::SelectHints hints;
  hints.start_ms = p->start;
  hints.end_ms = p->end;
  hints.func = "series";  // Prometheus' token for "labels only, no samples needed"
  for (const auto& matchers : p->matcher_sets) {
    std::unique_ptr<storage::SeriesSet> set =
        (*querier)->Select(matchers, p->start, p->end, &hints);
    while (set->Next()) series.push_back(set->At().labels());
    if (Status s = set->Err(); !s.ok()) return http::Response::Error(ExecError(s));
    for (std::string& w : set->Warnings()) warnings.push_back(std::move(w));
  }
  (void)(*querier)->Close();
  if (p->matcher_sets.size() > 1) {
    std::sort(series.begin(), series.end());
    series.erase(std::unique(series.begin(), series.end()), series.end());
  }
  if (p->limit > 0 && series.size() > p->limit) {
    series.resize(p->limit);
    warnings.emplace_back(internal::kTruncatedWarning);
  }
  JsonBody body;
  body.writer().StartArray();
  for (const model::Labels& l : series) WriteLabels(body.writer(), l);
  body.writer().EndArray();
  return body.Finish(warnings);
}

http::Response HandleLabelNames(const QueryDeps& deps, const http::Request& req) {
  Result<SeriesParams> p = ParseSeriesParams(req);
  if (!p.ok()) return http::Response::Error(p.status());
  auto querier = deps.storage->NewQuerier(p->start, p->end);
  if (!querier.ok()) return http::Response::Error(ExecError(querier.status()));
  std::vector<std::string> names;
  if (p->matcher_sets.empty()) p->matcher_sets.emplace_back();
  for (const auto& matchers : p->matcher_sets) {
    Result<std::vector<std::string>> got = (*querier)->LabelNames(matchers);
    if (!got.ok()) return http::Response::Error(ExecError(got.status()));
    internal::MergeSorted(&names, std::move(got).value());
  }
  (void)(*querier)->Close();
  std::vector<std::string> warnings;
  if (p->limit > 0 && names.size() > p->limit) {
    names.resize(p->limit);
    warnings.emplace_back(internal::kTruncatedWarning);
  }
  JsonBody body;
  WriteStringArray(body.writer(), names);
  return body.Finish(warnings);
}

http::Response HandleLabelValues(const QueryDeps& deps, const http::Request& req) {
  std::string name = UnescapeLabelName(req.RouteParam("name"));
  // Prometheus 3 validates names as UTF-8 (any non-empty valid UTF-8 string).
  if (name.empty() || !ValidUtf8(name)) {
    std::string quoted;
    model::AppendQuoted(&quoted, name);
    return http::Response::Error(Status::BadData("invalid label name: " + quoted));
  }
  Result<SeriesParams> p = ParseSeriesParams(req);
  if (!p.ok()) return http::Response::Error(p.status());
  auto querier = deps.storage->NewQuerier(p->start, p->end);
  if (!querier.ok()) return http::Response::Error(ExecError(querier.status()));
  std::vector<std::string> values;
  if (p->matcher_sets.empty()) p->matcher_sets.emplace_back();
  for (const auto& matchers : p->matcher_sets) {
    Result<std::vector<std::string>> got = (*querier)->LabelValues(name, matchers);
    if (!got.ok()) return http::Response::Error(ExecError(got.status()));
    internal::MergeSorted(&values, std::move(got).value());
  }
  (void)(*querier)->Close();
  std::vector<std::string> warnings;
  if (p->limit > 0 && values.size() > p->limit) {
    values.resize(p->limit);
    warnings.emplace_back(internal::kTruncatedWarning);
  }
  JsonBody body;
  WriteStringArray(body.writer(), values);
  return body.Finish(warnings);
}

http::Response HandleMetadata(const QueryDeps& deps, const http::Request& req) {
  auto int_param = [&req](std::string_view key, long long* out) {
    std::string s = req.Param(key).value_or("");
    if (s.empty()) return true;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && end == s.data() + s.size();
  };
  long long limit = -1;
  long long per_metric = -1;
  if (!int_param("limit", &limit)) {
    return http::Response::Error(Status::BadData("limit must be a number"));
  }
  if (!int_param("limit_per_metric", &per_metric)) {
    return http::Response::Error(Status::BadData("limit_per_metric must be a number"));
  }
  std::string metric = req.Param("metric").value_or("");
  MetadataMap all = deps.metadata ? deps.metadata->Metadata() : MetadataMap{};

  JsonBody body;
  JsonWriter& w = body.writer();
  w.StartObject();
  long long written = 0;
  for (const auto& [name, entries] : all) {
    if (!metric.empty() && name != metric) continue;
    if (limit >= 0 && written >= limit) break;
    ++written;
    w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    w.StartArray();
    long long n = 0;
    for (const MetricMetadata& m : entries) {
      if (per_metric > 0 && n++ >= per_metric) break;
      w.StartObject();
      w.Key("type");
      WriteString(w, m.type);
      w.Key("help");
      WriteString(w, m.help);
      w.Key("unit");
      WriteString(w, m.unit);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return body.Finish();
}

}  // namespace hw::api
