// /api/v1/status/{buildinfo,config,flags,runtimeinfo} and the status route table.
#include "api/status.h"

#include <fmt/format.h>
#include <unistd.h>

#include <tuple>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <thread>

#include "api/json.h"
#include "collect/process.h"

namespace hw::api {

http::Response HandleTsdbStatus(tsdb::Db& db, const http::Request& req);  // status_tsdb.cc

namespace {

struct StatusState {
  StatusDeps deps;
  std::string config_yaml;  // redacted once at start
  std::string retention;
};

std::string CompilerVersion() {
#if defined(__clang__)
  return fmt::format("clang {}.{}.{}", __clang_major__, __clang_minor__, __clang_patchlevel__);
#elif defined(__GNUC__)
  return fmt::format("gcc {}", __VERSION__);
#else
  return "unknown";
#endif
}

// Prometheus' buildDate form, 20191102-16:19:59, from the compiler's __DATE__ and
// __TIME__ ("Nov  2 2019", "16:19:59").
std::string BuildDate() {
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  std::string_view date = __DATE__;
  std::size_t month = kMonths.find(date.substr(0, 3)) / 3 + 1;
  int day = std::atoi(std::string(date.substr(4, 2)).c_str());
  return fmt::format("{}{:02}{:02}-{}", date.substr(7, 4), month, day, __TIME__);
}

// Go's time.RFC3339Nano in UTC: 2026-01-02T03:04:05.123456789Z, trailing zeros dropped.
std::string Rfc3339Nano(std::chrono::system_clock::time_point t) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ns / 1'000'000'000);
  long frac = static_cast<long>(ns % 1'000'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = buf;
  if (frac != 0) {
    std::string f = fmt::format("{:09}", frac);
    while (f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out + "Z";
}

// A size the way Prometheus prints storage.tsdb.retention.size: the largest exact
// base-2 unit ("50GiB", "512MiB", "100B").
std::string FormatBytes(std::uint64_t b) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  while (u < 6 && b >= 1024 && b % 1024 == 0) {
    b /= 1024;
    ++u;
  }
  return fmt::format("{}{}", b, kUnits[u]);
}

// Prometheus' model.Duration.String(): years and weeks only when they divide the
// duration exactly ("15d", not hw::FormatDuration's "2w1d"), then d, h, m, s, ms.
std::string PrometheusDuration(std::int64_t ms) {
  if (ms == 0) return "0s";
  struct Unit {
    const char* name;
    std::int64_t ms;
    bool exact;
  };
  static constexpr Unit kUnits[] = {{"y", 365LL * 86'400'000, true},
                                    {"w", 7LL * 86'400'000, true},
                                    {"d", 86'400'000, false},
                                    {"h", 3'600'000, false},
                                    {"m", 60'000, false},
                                    {"s", 1'000, false},
                                    {"ms", 1, false}};
  std::string out;
  for (const Unit& u : kUnits) {
    if (u.exact && ms % u.ms != 0) continue;
    if (std::int64_t v = ms / u.ms; v > 0) {
      out += fmt::format("{}{}", v, u.name);
      ms -= v * u.ms;
    }
  }
  return out;
}

std::string Retention(const config::TsdbConfig& tc) {
  std::string out;
  if (tc.retention_time.count() > 0) out = PrometheusDuration(tc.retention_time.count());
  if (tc.retention_size > 0) {
    if (!out.empty()) out += " or ";
    out += FormatBytes(tc.retention_size);
  }
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Field(JsonWriter& w, const char* key, std::string_view value) {
  w.Key(key);
  WriteString(w, value);
}

http::Response BuildInfo(const StatusState& st) {
  JsonBody body;
  JsonWriter& w = body.writer();
  w.StartObject();
  Field(w, "version", st.deps.version);
  Field(w, "revision", st.deps.revision);
  Field(w, "branch", "");
  Field(w, "buildUser", "");
  Field(w, "buildDate", BuildDate());
  Field(w, "goVersion", CompilerVersion());
  w.EndObject();
  return body.Finish();
}

http::Response ConfigYaml(const StatusState& st) {
  JsonBody body;
  body.writer().StartObject();
  Field(body.writer(), "yaml", st.config_yaml);
  body.writer().EndObject();
  return body.Finish();
}

http::Response Flags(const StatusState& st) {
  JsonBody body;
  JsonWriter& w = body.writer();
  w.StartObject();
  for (const auto& [k, v] : st.deps.flags) {
    w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    WriteString(w, v);
  }
  w.EndObject();
  return body.Finish();
}

http::Response RuntimeInfo(const StatusState& st) {
  char cwd[4096];
  std::string dir = getcwd(cwd, sizeof(cwd)) ? cwd : "";
  collect::ProcessStats proc = collect::ReadProcessStats();
  std::string started = Rfc3339Nano(st.deps.started);
  JsonBody body;
  JsonWriter& w = body.writer();
  w.StartObject();
  Field(w, "startTime", started);
  Field(w, "CWD", dir);
  bool reload_ok = true;
  std::chrono::system_clock::time_point reload_time = st.deps.started;
  if (st.deps.last_reload) std::tie(reload_ok, reload_time) = st.deps.last_reload();
  w.Key("reloadConfigSuccess");
  w.Bool(reload_ok);
  Field(w, "lastConfigTime", Rfc3339Nano(reload_time));
  w.Key("corruptionCount");
  w.Int64(0);
  w.Key("goroutineCount");
  w.Uint64(proc.threads);
  w.Key("GOMAXPROCS");
  w.Uint(std::thread::hardware_concurrency());
  w.Key("GOMEMLIMIT");
  w.Int64(std::numeric_limits<std::int64_t>::max());  // Go's "no limit"
  Field(w, "GOGC", "");
  Field(w, "GODEBUG", "");
  Field(w, "storageRetention", st.retention);
  w.EndObject();
  return body.Finish();
}

}  // namespace

void RegisterStatusRoutes(http::Router& router, StatusDeps deps) {
  auto st = std::make_shared<StatusState>();
  std::vector<std::string> secrets;
  for (const config::ApiToken& t : deps.config.server.auth.tokens) secrets.push_back(t.token);
  st->config_yaml = RedactConfig(ReadFile(deps.config.file), secrets);
  st->retention = Retention(deps.config.storage.tsdb);
  st->deps = std::move(deps);
  std::shared_ptr<const StatusState> s = st;
  using config::Role;
  router.Get("/api/v1/status/buildinfo", Role::kRead,
             [s](http::Request&) { return BuildInfo(*s); });
  router.Get("/api/v1/status/config", Role::kAdmin, [s](http::Request&) { return ConfigYaml(*s); });
  router.Get("/api/v1/status/flags", Role::kRead, [s](http::Request&) { return Flags(*s); });
  router.Get("/api/v1/status/runtimeinfo", Role::kRead,
             [s](http::Request&) { return RuntimeInfo(*s); });
  router.Get("/api/v1/status/tsdb", Role::kRead,
             [s](http::Request& req) { return HandleTsdbStatus(*s->deps.db, req); });
}

}  // namespace hw::api
