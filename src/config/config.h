// The typed hastewatch configuration: one YAML file, a superset of prometheus.yml
// (docs/ARCHITECTURE.md, "Configuration"). LoadConfigFile reads and validates it; a
// Config value is immutable once loaded and safe to share across threads.
//
// Sections whose subsystem is not built yet are rejected by name, never ignored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/logger.h"
#include "base/status.h"
#include "base/units.h"

namespace hw::config {

enum class Role { kNone = 0, kRead = 1, kWrite = 2, kAdmin = 3 };
std::string_view RoleName(Role role);

struct ApiToken {
  std::string name;   // who holds it: shown in logs as userId, never the token itself
  std::string token;  // the secret, from `token`, `token_file` or `token_env`
  Role role = Role::kRead;
};

struct AuthConfig {
  // The role of requests that present no token. `read` keeps the query API and
  // /metrics open like Prometheus; writes and admin always need a token.
  Role anonymous = Role::kRead;
  std::vector<ApiToken> tokens;
};

struct ServerConfig {
  std::string listen = "127.0.0.1:9190";
  std::string environment = "production";  // production | staging | development
  std::optional<LogLevel> log_level;       // overrides the environment's default
  int worker_threads = 0;                  // 0: one per core, at least 2
  std::uint64_t max_request_body = 10ull << 20;
  std::uint64_t max_header_bytes = 64ull << 10;
  Duration read_timeout = Duration(30'000);      // to receive one request
  Duration request_timeout = Duration(120'000);  // longest a handler may run
  Duration idle_timeout = Duration(120'000);     // keep-alive connection idle
  Duration shutdown_grace = Duration(30'000);    // in-flight requests finish within
  AuthConfig auth;
};

struct HealthCheckConfig {
  enum class Kind { kHttp, kTcp };
  std::string name;
  Kind kind = Kind::kHttp;
  std::string target;          // URL for http, host:port for tcp
  int expect_status = 0;       // http: 0 means any 2xx
  Duration timeout = Duration(2'000);
};

struct HealthConfig {
  std::vector<HealthCheckConfig> checks;
};

struct TsdbConfig {
  Duration retention_time = Duration(15LL * 24 * 3600 * 1000);  // Prometheus' default
  std::uint64_t retention_size = 0;                             // 0: no size limit
  Duration block_duration = Duration(2LL * 3600 * 1000);
  // WAL durability: "always" fsyncs before a write is acknowledged (survives power
  // loss); "interval" fsyncs every wal_fsync_interval and "never" leaves it to the
  // OS — both survive a crash or kill -9 of hastewatch itself, since acknowledged
  // data is already in the kernel's page cache.
  std::string wal_fsync = "interval";
  Duration wal_fsync_interval = Duration(1'000);
  std::uint64_t wal_segment_size = 128ull << 20;
};

struct StorageConfig {
  TsdbConfig tsdb;
};

struct Config {
  std::string file;      // absolute path of the loaded file
  std::string base_dir;  // relative paths in the config resolve against this
  ServerConfig server;
  HealthConfig health;
  StorageConfig storage;
};

// Reads and validates FILE. On failure the status message lists every error found,
// one per line, each as "file:line:column: key: problem".
Result<Config> LoadConfigFile(const std::string& path);
// The same from text (for tests); `file` names it in errors and sets base_dir.
Result<Config> LoadConfigString(const std::string& text, const std::string& file);

}  // namespace hw::config
