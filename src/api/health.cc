#include "api/health.h"

#include <memory>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "collect/disk.h"
#include "collect/process.h"

namespace hw::api {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

bool AllHealthy(const std::vector<collect::CheckResult>& results) {
  for (const auto& r : results) {
    if (!r.healthy) return false;
  }
  return true;
}

void WriteChecks(JsonWriter& w, const std::vector<collect::CheckResult>& results) {
  w.StartArray();
  for (const auto& r : results) {
    w.StartObject();
    w.Key("name");
    Str(w, r.name);
    w.Key("healthy");
    w.Bool(r.healthy);
    w.Key("latency_ms");
    w.Double(r.latency_ms);
    if (!r.healthy) {
      w.Key("error");
      Str(w, r.error);
    }
    w.EndObject();
  }
  w.EndArray();
}

http::Response Live(http::Request&) { return http::Response::Json(R"({"status":"ok"})"); }

http::Response Ready(const HealthDeps& deps) {
  std::vector<collect::CheckResult> results = collect::RunChecks(deps.checks);
  bool ready = AllHealthy(results);
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("status");
  w.String(ready ? "ready" : "not ready");
  w.Key("checks");
  WriteChecks(w, results);
  w.EndObject();
  return http::Response::Json(std::string(buf.GetString(), buf.GetSize()), ready ? 200 : 503);
}

http::Response Detailed(const HealthDeps& deps) {
  std::vector<collect::CheckResult> results = collect::RunChecks(deps.checks);
  collect::ProcessStats proc = collect::ReadProcessStats();
  collect::DiskStats disk = collect::ReadDiskStats(deps.data_dir);
  QueueDepths q = deps.queues ? deps.queues() : QueueDepths{};
  bool ready = AllHealthy(results);
  bool writable = true;
  for (const auto& r : results) {
    if (r.name == "storage") writable = r.healthy;
  }

  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("status");
  w.String(ready ? "ready" : "not ready");
  w.Key("version");
  Str(w, deps.version);
  w.Key("uptime");
  w.Double(std::chrono::duration<double>(std::chrono::steady_clock::now() - deps.started).count());
  w.Key("memory");
  w.StartObject();
  w.Key("rss_bytes");
  w.Uint64(proc.rss_bytes);
  w.Key("heap_bytes");
  w.Uint64(proc.heap_bytes);
  w.Key("virtual_bytes");
  w.Uint64(proc.virtual_bytes);
  w.EndObject();
  w.Key("process");
  w.StartObject();
  w.Key("cpu_seconds");
  w.Double(proc.cpu_seconds);
  w.Key("open_fds");
  w.Uint64(proc.open_fds);
  w.Key("max_fds");
  w.Uint64(proc.max_fds);
  w.Key("threads");
  w.Uint64(proc.threads);
  w.EndObject();
  w.Key("storage");
  w.StartObject();
  w.Key("data_dir");
  Str(w, deps.data_dir);
  w.Key("writable");
  w.Bool(writable);
  w.Key("used_bytes");
  w.Uint64(disk.used_bytes);
  w.Key("free_bytes");
  w.Uint64(disk.free_bytes);
  w.Key("total_bytes");
  w.Uint64(disk.total_bytes);
  if (deps.storage) {
    tsdb::DbStats st = deps.storage();
    w.Key("head_series");
    w.Uint64(st.head.series);
    w.Key("blocks");
    w.Uint64(st.blocks);
    w.Key("block_bytes");
    w.Uint64(st.block_bytes);
    w.Key("min_time");
    w.Int64(st.min_time);
    w.Key("max_time");
    w.Int64(st.max_time);
  }
  w.EndObject();
  w.Key("queues");
  w.StartObject();
  w.Key("http_connections");
  w.Int(q.http_connections);
  w.Key("http_queued");
  w.Int(q.http_queued);
  w.Key("http_in_flight");
  w.Int(q.http_in_flight);
  w.EndObject();
  w.Key("checks");
  WriteChecks(w, results);
  w.EndObject();
  return http::Response::Json(std::string(buf.GetString(), buf.GetSize()));
}

}  // namespace

void RegisterHealthRoutes(http::Router& router, HealthDeps deps) {
  auto shared = std::make_shared<const HealthDeps>(std::move(deps));
  router.Get("/health/live", config::Role::kNone, Live);
  router.Get("/health/ready", config::Role::kNone,
             [shared](http::Request&) { return Ready(*shared); });
  // Any valid token will do, but a token there must be: the guide's `authenticate`.
  router.Get("/health/detailed", config::Role::kRead, [shared](http::Request& req) {
    if (req.log.user_id.empty()) {
      http::Response r = http::Response::Error(
          Status::Unauthorized("/health/detailed needs a bearer token from server.auth.tokens"));
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return r;
    }
    return Detailed(*shared);
  });
}

void RegisterMetricsRoute(http::Router& router, metrics::Registry& registry) {
  router.Get("/metrics", config::Role::kRead, [&registry](http::Request&) {
    return http::Response::Text(registry.Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace hw::api
