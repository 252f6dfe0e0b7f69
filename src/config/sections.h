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

}  // namespace hw::config
