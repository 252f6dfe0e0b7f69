// Readers of the individual sections of hastewatch.yml, one per subsystem's section.
// Internal to src/config.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace hw::config {

void ReadServer(const YAML::Node& node, const std::string& base_dir, YamlContext& ctx,
                ServerConfig* out);
void ReadHealth(const YAML::Node& node, YamlContext& ctx, HealthConfig* out);
void ReadStorage(const YAML::Node& node, YamlContext& ctx, StorageConfig* out);
void ReadGlobal(const YAML::Node& node, YamlContext& ctx, GlobalConfig* out);
// Reads `scrape_configs`, filling defaults from `global` (read first).
void ReadScrapeConfigs(const YAML::Node& node, const GlobalConfig& global,
                       const std::string& base_dir, YamlContext& ctx,
                       std::vector<ScrapeConfig>* out);
// The parts of an HTTP client config that scrape_configs and alerting.alertmanagers
// share (Prometheus' common HTTPClientConfig), each `path` naming it in errors.
void ReadStatic(const YAML::Node& node, const std::string& path, YamlContext& ctx,
                StaticConfig* out);
void ReadFileSd(const YAML::Node& node, const std::string& path, const std::string& base_dir,
                YamlContext& ctx, FileSdConfig* out);
void ReadTls(const YAML::Node& node, const std::string& path, const std::string& base_dir,
             YamlContext& ctx, TlsConfig* out);
// basic_auth, authorization and the legacy bearer_token(_file) keys of `r`.
void ReadHttpAuth(MapReader& r, const std::string& path, const std::string& base_dir,
                  YamlContext& ctx, std::optional<BasicAuthConfig>* basic_auth,
                  std::optional<AuthorizationConfig>* authorization);
// `alerting`: alert_relabel_configs and alertmanagers.
void ReadAlerting(const YAML::Node& node, const std::string& base_dir, YamlContext& ctx,
                  AlertingConfig* out);
// `runbooks`: the directory served at /runbooks/.
void ReadRunbooks(const YAML::Node& node, const std::string& base_dir, YamlContext& ctx,
                  RunbooksConfig* out);

// `incidents`: absent or null leaves *out at its defaults (configured = false); errors
// as "file:line:col: incidents.<key>: <problem>"; token_file resolves against base_dir.
void ReadIncidents(const YAML::Node& node, const std::string& base_dir, YamlContext& ctx,
                   IncidentsConfig* out);

// One relabel_configs list entry; `path` names it in errors.
void ReadRelabelConfig(const YAML::Node& node, const std::string& path, YamlContext& ctx,
                       RelabelConfig* out);
// A label map (external_labels, static_configs labels): names must be valid.
void ReadLabelMap(const YAML::Node& node, const std::string& path, YamlContext& ctx,
                  LabelMap* out);
// `notifications`: Alertmanager's configuration inline (errors go to ctx, keys under
// "notifications.") or the path of an alertmanager.yml relative to base_dir, read with
// LoadAlertmanagerConfigString; that file's errors, in its own positions, are appended
// to *file_errors. Absent or null leaves *out unconfigured.
void ReadNotifications(const YAML::Node& node, const std::string& base_dir, YamlContext& ctx,
                       NotificationsConfig* out, std::vector<std::string>* file_errors);
// notifications_receivers.cc: `receivers` (defaults filled from `global`, read first),
// the http_config receivers share, and Alertmanager's URL check ("" when `url` is an
// http(s) URL with a host, else the problem) and host:port check (smarthost).
void ReadAmReceivers(const YAML::Node& node, const std::string& path,
                     const AmGlobalConfig& global, const std::string& base_dir,
                     YamlContext& ctx, std::vector<ReceiverConfig>* out);
void ReadAmHttpConfig(const YAML::Node& node, const std::string& path,
                      const std::string& base_dir, YamlContext& ctx, HttpClientConfig* out);
std::string CheckAmUrl(std::string_view url);
std::string CheckAmHostPort(std::string_view address);

// `p` made absolute against base_dir when relative ("" stays "").
std::string ResolvePath(const std::string& base_dir, const std::string& p);

}  // namespace hw::config
