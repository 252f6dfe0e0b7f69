#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"
#include "config/config.h"
#include "rules/manager.h"

namespace hw::cli {

int CheckConfig(const std::vector<std::string>& files) {
  int failed = 0;
  for (const std::string& file : files) {
    Result<config::Config> cfg = config::LoadConfigFile(file);
    // A config is valid only if every rule file it names loads.
    if (cfg.ok()) {
      Result<std::vector<rules::RuleFile>> rule_files = rules::LoadRuleFiles(cfg->rule_files);
      if (!rule_files.ok()) cfg = rule_files.status();
    }
    if (cfg.ok()) {
      fmt::print("{}: valid\n", file);
      continue;
    }
    ++failed;
    fmt::print(stderr, "{}\n", cfg.status().message());
    fmt::print(stderr, "{}: invalid\n", file);
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace hw::cli
