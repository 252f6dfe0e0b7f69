// Readers of the individual sections of hastewatch.yml, one per subsystem's section.
// Internal to src/config.
#pragma once

#include <optional>
#include <string>

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

// One relabel_configs list entry; `path` names it in errors.
void ReadRelabelConfig(const YAML::Node& node, const std::string& path, YamlContext& ctx,
                       RelabelConfig* out);
// A label map (external_labels, static_configs labels): names must be valid.
void ReadLabelMap(const YAML::Node& node, const std::string& path, YamlContext& ctx,
                  LabelMap* out);
// `p` made absolute against base_dir when relative ("" stays "").
std::string ResolvePath(const std::string& base_dir, const std::string& p);

}  // namespace hw::config
