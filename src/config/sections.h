// Readers of the individual sections of hastewatch.yml, one per subsystem's section.
// Internal to src/config.
#pragma once

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
// One relabel_configs list entry; `path` names it in errors.
void ReadRelabelConfig(const YAML::Node& node, const std::string& path, YamlContext& ctx,
                       RelabelConfig* out);
// A label map (external_labels, static_configs labels): names must be valid.
void ReadLabelMap(const YAML::Node& node, const std::string& path, YamlContext& ctx,
                  LabelMap* out);
// `p` made absolute against base_dir when relative ("" stays "").
std::string ResolvePath(const std::string& base_dir, const std::string& p);

}  // namespace hw::config
