// /api/v1/query, /api/v1/query_range, /api/v1/format_query, /api/v1/query_exemplars
// and the route table of the query API.
#include "api/query.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "api/json.h"
#include "api/params.h"
#include "api/query_internal.h"
#include "promql/parser.h"
#include "promql/printer.h"

namespace hw::api {
namespace {

// Prometheus: "sufficient for 60s resolution for a week or 1h resolution for a year".
constexpr std::int64_t kMaxPointsPerSeries = 11'000;

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view ResultTypeName(promql::ValueType t) {
  switch (t) {
    case promql::ValueType::kScalar:
      return "scalar";
    case promql::ValueType::kString:
      return "string";
    case promql::ValueType::kVector:
      return "vector";
    case promql::ValueType::kMatrix:
      return "matrix";
    case promql::ValueType::kNone:
      break;
  }
  return "none";
}

// timeout and lookback_delta, and the request's own deadline.
Result<promql::QueryOptions> QueryOptionsFrom(const http::Request& req) {
  promql::QueryOptions opts;
  if (std::optional<std::string> to = req.Param("timeout"); to && !to->empty()) {
    Result<std::int64_t> ms = ParseDurationParam("timeout", *to);
    if (!ms.ok()) return ms.status();
    opts.timeout = std::chrono::milliseconds(std::max<std::int64_t>(*ms, 1));
  }
  if (req.deadline.time_since_epoch().count() != 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        req.deadline - std::chrono::steady_clock::now());
    left = std::max(left, std::chrono::milliseconds(1));
    if (opts.timeout.count() == 0 || left < opts.timeout) opts.timeout = left;
  }
  if (std::optional<std::string> lb = req.Param("lookback_delta"); lb && !lb->empty()) {
    Result<std::int64_t> ms = ParseDurationParam("lookback_delta", *lb);
    if (!ms.ok()) {
      return Status::BadData("error parsing lookback delta duration: " + ms.status().message());
    }
    opts.lookback_delta_ms = *ms;
  }
  return opts;
}

// The engine's kBadData errors are about the query text (parse and type errors).
http::Response EngineError(const Status& s) {
  if (s.code() == StatusCode::kBadData) {
    return http::Response::Error(internal::InvalidParam("query", s));
  }
  return http::Response::Error(s);
}

void WriteStats(JsonWriter& w, const promql::QueryStats& stats, double seconds) {
  w.Key("stats");
  w.StartObject();
  w.Key("timings");
  w.StartObject();
  for (const char* key : {"evalTotalTime", "resultSortTime", "queryPreparationTime",
                          "innerEvalTime", "execQueueTime", "execTotalTime"}) {
    w.Key(key);
    bool measured = std::string_view(key) == "evalTotalTime" ||
                    std::string_view(key) == "innerEvalTime" ||
                    std::string_view(key) == "execTotalTime";
    w.Double(measured ? seconds : 0);
  }
  w.EndObject();
  w.Key("samples");
  w.StartObject();
  w.Key("totalQueryableSamples");
  w.Int64(stats.samples_loaded);
  w.Key("peakSamples");
  w.Int64(stats.peak_samples);
  w.EndObject();
  w.EndObject();
}

// Streams {"resultType":...,"result":...[,"stats":...]} for a query's result,
// keeping at most `limit` series (0: all) and noting a cut in *warnings.
http::Response QueryResponse(const http::Request& req, promql::QueryResult& r, std::size_t limit,
                             double seconds) {
  promql::QueryValue& v = r.value;
  if (limit > 0 && v.type == promql::ValueType::kVector && v.vector.size() > limit) {
    v.vector.resize(limit);
    r.warnings.emplace_back(internal::kTruncatedWarning);
  }
  if (limit > 0 && v.type == promql::ValueType::kMatrix && v.matrix.size() > limit) {
    v.matrix.resize(limit);
    r.warnings.emplace_back(internal::kTruncatedWarning);
  }
  JsonBody body;
  JsonWriter& w = body.writer();
  w.StartObject();
  w.Key("resultType");
  WriteString(w, ResultTypeName(v.type));
  w.Key("result");
  switch (v.type) {
    case promql::ValueType::kScalar:
      WritePoint(w, v.scalar_t, v.scalar);
      break;
    case promql::ValueType::kString:
      w.StartArray();
      WriteTimestamp(w, v.scalar_t);
      WriteString(w, v.str);
      w.EndArray();
      break;
    case promql::ValueType::kVector:
      w.StartArray();
      for (const promql::VectorSample& s : v.vector) {
        w.StartObject();
        w.Key("metric");
        WriteLabels(w, s.metric);
        w.Key("value");
        WritePoint(w, s.t, s.v);
        w.EndObject();
      }
      w.EndArray();
      break;
    case promql::ValueType::kMatrix:
    case promql::ValueType::kNone:
      w.StartArray();
      for (const promql::MatrixSeries& s : v.matrix) {
        w.StartObject();
        w.Key("metric");
        WriteLabels(w, s.metric);
        w.Key("values");
        w.StartArray();
        for (const promql::Point& p : s.points) WritePoint(w, p.t, p.v);
        w.EndArray();
        w.EndObject();
      }
      w.EndArray();
      break;
  }
  std::optional<std::string> stats = req.Param("stats");
  if (stats && !stats->empty()) WriteStats(w, r.stats, seconds);
  w.EndObject();
  return body.Finish(r.warnings, r.infos);
}

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

http::Response HandleQuery(const QueryDeps& deps, const http::Request& req) {
  Result<std::size_t> limit = internal::LimitParam(req);
  if (!limit.ok()) return http::Response::Error(limit.status());
  Result<std::int64_t> t = TimeParamOr(req, "time", NowMs());
  if (!t.ok()) return http::Response::Error(t.status());
  Result<promql::QueryOptions> opts = QueryOptionsFrom(req);
  if (!opts.ok()) return http::Response::Error(opts.status());
  auto t0 = std::chrono::steady_clock::now();
  Result<promql::QueryResult> r =
      deps.engine->Instant(*deps.storage, req.Param("query").value_or(""), *t, *opts);
  if (!r.ok()) return EngineError(r.status());
  return QueryResponse(req, *r, *limit, SecondsSince(t0));
}

http::Response HandleQueryRange(const QueryDeps& deps, const http::Request& req) {
  Result<std::size_t> limit = internal::LimitParam(req);
  if (!limit.ok()) return http::Response::Error(limit.status());
  Result<std::int64_t> start = ParseTimeParam("start", req.Param("start").value_or(""));
  if (!start.ok()) return http::Response::Error(start.status());
  Result<std::int64_t> end = ParseTimeParam("end", req.Param("end").value_or(""));
  if (!end.ok()) return http::Response::Error(end.status());
  if (*end < *start) {
    return http::Response::Error(
        Status::BadData("invalid parameter \"end\": end timestamp must not be before start time"));
  }
  Result<std::int64_t> step = ParseDurationParam("step", req.Param("step").value_or(""));
  if (!step.ok()) return http::Response::Error(step.status());
  if (*step <= 0) {
    return http::Response::Error(Status::BadData(
        "invalid parameter \"step\": zero or negative query resolution step widths are not "
        "accepted. Try a positive integer"));
  }
  // Overflow-safe (end - start) / step: both times are within int64 / 2.
  if ((*end - *start) / *step > kMaxPointsPerSeries) {
    return http::Response::Error(Status::BadData(
        "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the "
        "query resolution (?step=XX)"));
  }
  Result<promql::QueryOptions> opts = QueryOptionsFrom(req);
  if (!opts.ok()) return http::Response::Error(opts.status());
  auto t0 = std::chrono::steady_clock::now();
  Result<promql::QueryResult> r = deps.engine->Range(*deps.storage, req.Param("query").value_or(""),
                                                     *start, *end, *step, *opts);
  if (!r.ok()) return EngineError(r.status());
  return QueryResponse(req, *r, *limit, SecondsSince(t0));
}

http::Response HandleFormatQuery(const http::Request& req) {
  Result<promql::ExprPtr> expr = promql::ParseExpr(req.Param("query").value_or(""));
  if (!expr.ok()) return http::Response::Error(internal::InvalidParam("query", expr.status()));
  JsonBody body;
  WriteString(body.writer(), promql::Prettify(**expr));
  return body.Finish();
}

http::Response HandleQueryExemplars(const http::Request& req) {
  Result<std::int64_t> start = TimeParamOr(req, "start", kMinTime);
  if (!start.ok()) return http::Response::Error(start.status());
  Result<std::int64_t> end = TimeParamOr(req, "end", kMaxTime);
  if (!end.ok()) return http::Response::Error(end.status());
  if (*end < *start) {
    return http::Response::Error(
        Status::BadData("end timestamp must not be before start timestamp"));
  }
  Result<promql::ExprPtr> expr = promql::ParseExpr(req.Param("query").value_or(""));
  if (!expr.ok()) return http::Response::Error(expr.status());
  // No exemplar storage yet: every selector has none.
  JsonBody body;
  body.writer().StartArray();
  body.writer().EndArray();
  return body.Finish();
}

void RegisterQueryRoutes(http::Router& router, QueryDeps deps) {
  auto d = std::make_shared<const QueryDeps>(std::move(deps));
  using config::Role;
  auto both = [&router](const std::string& path, http::Handler h) {
    router.Get(path, Role::kRead, h);
    router.Post(path, Role::kRead, std::move(h));
  };
  both("/api/v1/query", [d](http::Request& r) { return HandleQuery(*d, r); });
  both("/api/v1/query_range", [d](http::Request& r) { return HandleQueryRange(*d, r); });
  both("/api/v1/format_query", [](http::Request& r) { return HandleFormatQuery(r); });
  both("/api/v1/query_exemplars", [](http::Request& r) { return HandleQueryExemplars(r); });
  both("/api/v1/series", [d](http::Request& r) { return HandleSeries(*d, r); });
  both("/api/v1/labels", [d](http::Request& r) { return HandleLabelNames(*d, r); });
  router.Get("/api/v1/label/:name/values", Role::kRead,
             [d](http::Request& r) { return HandleLabelValues(*d, r); });
  router.Get("/api/v1/metadata", Role::kRead,
             [d](http::Request& r) { return HandleMetadata(*d, r); });
}

}  // namespace hw::api
