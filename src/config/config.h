// The typed hastewatch configuration: one YAML file, a superset of prometheus.yml
// (docs/ARCHITECTURE.md, "Configuration"). LoadConfigFile reads and validates it; a
// Config value is immutable once loaded and safe to share across threads.
//
// Sections whose subsystem is not built yet are rejected by name, never ignored.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/logger.h"
#include "base/status.h"
#include "base/units.h"
#include "config/client_config.h"
#include "config/incidents.h"
#include "config/notifications.h"

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
  // The URL users reach hastewatch at ($externalURL, links in alerts and
  // notifications). "" : http://<listen>, with a wildcard host replaced by the
  // machine's hostname.
  std::string external_url;
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
  bool operator==(const TsdbConfig&) const = default;
};

struct StorageConfig {
  TsdbConfig tsdb;
};

// Label name -> value, ordered by name.
using LabelMap = std::map<std::string, std::string>;

// `global`: defaults for every scrape config (and, later, rule evaluation).
struct GlobalConfig {
  Duration scrape_interval = Duration(60'000);
  Duration scrape_timeout = Duration(10'000);
  Duration evaluation_interval = Duration(60'000);
  LabelMap external_labels;
  // Defaults of the per-job limits below (0: none).
  std::uint64_t sample_limit = 0;
  std::uint64_t label_limit = 0;
  std::uint64_t label_name_length_limit = 0;
  std::uint64_t label_value_length_limit = 0;
  bool operator==(const GlobalConfig&) const = default;
};

// One relabel_configs / metric_relabel_configs entry, as Prometheus' relabel.Config.
// The regex is validated at load (RE2, anchored as ^(?s:regex)$) and compiled again
// by scrape/relabel.h, which implements the actions.
struct RelabelConfig {
  enum class Action {
    kReplace, kKeep, kDrop, kKeepEqual, kDropEqual, kHashMod, kLabelMap, kLabelDrop,
    kLabelKeep, kLowercase, kUppercase,
  };
  std::vector<std::string> source_labels;
  std::string separator = ";";
  std::string target_label;
  std::string regex = "(.*)";
  std::uint64_t modulus = 0;
  std::string replacement = "$1";
  Action action = Action::kReplace;
  bool operator==(const RelabelConfig&) const = default;
};
// "replace", "keep", ... (the YAML spelling).
std::string_view RelabelActionName(RelabelConfig::Action action);

// A static_configs entry (and the shape of a file_sd target group).
struct StaticConfig {
  std::vector<std::string> targets;
  LabelMap labels;
  bool operator==(const StaticConfig&) const = default;
};

struct FileSdConfig {
  std::vector<std::string> files;  // absolute; the last path element may hold a glob
  Duration refresh_interval = Duration(300'000);
  bool operator==(const FileSdConfig&) const = default;
};

// One `scrape_configs` entry with Prometheus' keys and defaults; unset intervals and
// limits are filled from `global` at load.
struct ScrapeConfig {
  std::string job_name;
  Duration scrape_interval{0};
  Duration scrape_timeout{0};
  std::string metrics_path = "/metrics";
  std::string scheme = "http";
  std::map<std::string, std::vector<std::string>> params;
  bool honor_labels = false;
  bool honor_timestamps = true;
  std::optional<BasicAuthConfig> basic_auth;
  std::optional<AuthorizationConfig> authorization;
  TlsConfig tls_config;
  std::uint64_t sample_limit = 0;  // 0: no limit
  std::uint64_t label_limit = 0;
  std::uint64_t label_name_length_limit = 0;
  std::uint64_t label_value_length_limit = 0;
  std::uint64_t body_size_limit = 0;  // bytes; 0: no limit
  // "PrometheusText0.0.4" or "OpenMetricsText1.0.0" etc.: the parser used when a
  // target answers with a Content-Type no parser reads ("" : such a scrape fails).
  std::string fallback_scrape_protocol;
  std::vector<StaticConfig> static_configs;
  std::vector<FileSdConfig> file_sd_configs;
  std::vector<RelabelConfig> relabel_configs;
  std::vector<RelabelConfig> metric_relabel_configs;
  bool operator==(const ScrapeConfig&) const = default;
};

// One `alerting.alertmanagers` entry (Prometheus' AlertmanagerConfig): where to send
// alerts, by Alertmanager's API v2 at <scheme>://<target><path_prefix>/api/v2/alerts.
struct AlertmanagerConfig {
  std::string scheme = "http";
  std::string path_prefix = "/";
  Duration timeout = Duration(10'000);
  std::string api_version = "v2";  // the only one Alertmanager 0.27+ still serves
  std::optional<BasicAuthConfig> basic_auth;
  std::optional<AuthorizationConfig> authorization;
  TlsConfig tls_config;
  std::vector<StaticConfig> static_configs;
  std::vector<FileSdConfig> file_sd_configs;
  std::vector<RelabelConfig> relabel_configs;  // on the discovered targets
  bool operator==(const AlertmanagerConfig&) const = default;
};

// `alerting`: external Alertmanagers and the relabeling applied to every alert sent.
struct AlertingConfig {
  std::vector<RelabelConfig> alert_relabel_configs;
  std::vector<AlertmanagerConfig> alertmanagers;
  bool operator==(const AlertingConfig&) const = default;
};

// `runbooks`: a directory of Markdown runbooks served at /runbooks/<name>.md.
struct RunbooksConfig {
  std::string directory;  // absolute; "" : none served
  bool operator==(const RunbooksConfig&) const = default;
};

struct Config {
  std::string file;      // absolute path of the loaded file
  std::string base_dir;  // relative paths in the config resolve against this
  GlobalConfig global;
  // `rule_files`: absolute paths, each possibly a glob in its last element (as
  // prometheus.yml). Loaded by src/rules; global.evaluation_interval is the default
  // group interval.
  std::vector<std::string> rule_files;
  // `slos`: SLO spec files (slo/spec.h), absolute, globs as in rule_files. Their
  // generated rule groups run beside those of rule_files.
  std::vector<std::string> slos;
  // `dashboards`: dashboard JSON files (dashboards/dashboard.h), absolute, globs as in
  // rule_files. Without the section (dashboards_configured false) the server offers
  // the built-in pack (examples/hastecrm/dashboards).
  std::vector<std::string> dashboards;
  bool dashboards_configured = false;
  std::vector<ScrapeConfig> scrape_configs;
  AlertingConfig alerting;
  NotificationsConfig notifications;  // config/notifications.h
  IncidentsConfig incidents;          // config/incidents.h
  RunbooksConfig runbooks;
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
