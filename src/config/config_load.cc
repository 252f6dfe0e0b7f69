// LoadConfigFile: the top level of hastewatch.yml and the sections built so far.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <filesystem>

#include <fmt/format.h>

#include "base/text_file.h"
#include "config/config.h"
#include "config/sections.h"
#include "config/yaml_reader.h"

namespace hw::config {
namespace {

// Top-level keys of prometheus.yml and of hastewatch's own sections that belong to
// subsystems not built yet, with the subsystem that will read them.
struct Pending {
  std::string_view key;
  std::string_view subsystem;
};
constexpr Pending kNotBuiltYet[] = {
    {"remote_write", "remote write"},  {"remote_read", "remote read"},
    {"logs", "logs"},
    {"traces", "traces"},
    {"tracing", "tracing"},
};

// `rule_files`: paths or globs (in the last path element, as Prometheus), made
// absolute against the config's directory. The files themselves are loaded by
// src/rules (check-config and the server), which reports their own errors.
void ReadRuleFiles(MapReader& top, const std::string& base_dir, YamlContext& ctx,
                   std::vector<std::string>* out, std::string_view key = "rule_files") {
  top.List(key, [&](const YAML::Node& n, const std::string& path) {
    std::string s;
    if (!ReadScalarString(ctx, n, path, &s)) return;
    if (s.empty()) {
      ctx.Error(n, path, "must not be empty");
      return;
    }
    int depth = 0;  // a '[' without its ']' is Go's filepath.ErrBadPattern
    for (char c : s) {
      if (c == '[') ++depth;
      if (c == ']' && depth > 0) --depth;
    }
    if (depth != 0) {
      ctx.Error(n, path, fmt::format("invalid glob pattern \"{}\"", s));
      return;
    }
    out->push_back(ResolvePath(base_dir, s));
  });
}

// The receivers and the business-hours interval `incidents` names live in
// `notifications`: each must exist there.
void CheckIncidentReferences(const YAML::Node& at, const Config& cfg, YamlContext& ctx) {
  const IncidentsConfig& inc = cfg.incidents;
  if (!inc.configured) return;
  const NotificationsConfig& n = cfg.notifications;
  auto has_receiver = [&n](const std::string& name) {
    return std::any_of(n.receivers.begin(), n.receivers.end(),
                       [&](const ReceiverConfig& r) { return r.name == name; });
  };
  for (std::size_t i = 0; i < inc.users.size(); ++i) {
    for (const std::string& r : inc.users[i].receivers) {
      if (!has_receiver(r)) {
        ctx.Error(at, fmt::format("incidents.users[{}].receivers", i),
                  fmt::format("no receiver \"{}\" in notifications", r));
      }
    }
  }
  for (const EscalationPolicyConfig& p : inc.escalation_policies) {
    for (std::size_t l = 0; l < p.levels.size(); ++l) {
      for (const std::string& r : p.levels[l].receivers) {
        if (!has_receiver(r)) {
          ctx.Error(at, fmt::format("incidents.escalation_policies.{}.levels[{}].receivers", p.name, l),
                    fmt::format("no receiver \"{}\" in notifications", r));
        }
      }
    }
  }
  if (!inc.business_hours.empty() &&
      std::none_of(n.time_intervals.begin(), n.time_intervals.end(),
                   [&](const TimeIntervalConfig& t) { return t.name == inc.business_hours; })) {
    ctx.Error(at, "incidents.business_hours",
              fmt::format("no time interval \"{}\" in notifications", inc.business_hours));
  }
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kNone: return "none";
    case Role::kRead: return "read";
    case Role::kWrite: return "write";
    case Role::kAdmin: return "admin";
  }
  return "none";
}

Result<Config> LoadConfigString(const std::string& text, const std::string& file) {
  Config cfg;
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(file, ec);
  cfg.file = ec ? file : abs.string();
  cfg.base_dir = ec ? "." : abs.parent_path().string();

  YamlContext ctx(file);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    ctx.ErrorAt(e.mark, "", fmt::format("invalid YAML: {}", e.msg));
    return Status::BadData(ctx.errors().front());
  }

  std::vector<std::string> notification_file_errors;
  MapReader top(ctx, root, "");
  if (top.is_map()) {
    for (const Pending& p : kNotBuiltYet) {
      YAML::Node n = top.Take(p.key);
      if (n.IsDefined()) {
        ctx.ErrorAt(n.Mark(), p.key,
                    fmt::format("section not supported yet: the {} subsystem is not built in "
                                "this version of hastewatch; remove the section",
                                p.subsystem));
      }
    }
    ReadGlobal(top.Take("global"), ctx, &cfg.global);
    ReadScrapeConfigs(top.Take("scrape_configs"), cfg.global, cfg.base_dir, ctx,
                      &cfg.scrape_configs);
    ReadServer(top.Take("server"), cfg.base_dir, ctx, &cfg.server);
    ReadHealth(top.Take("health"), ctx, &cfg.health);
    ReadStorage(top.Take("storage"), ctx, &cfg.storage);
    ReadRuleFiles(top, cfg.base_dir, ctx, &cfg.rule_files);
    // `slos`: SLO spec files, named like rule_files; loaded by src/slo.
    ReadRuleFiles(top, cfg.base_dir, ctx, &cfg.slos, "slos");
    // `dashboards`: dashboard JSON files, named like rule_files; loaded by src/dashboards.
    cfg.dashboards_configured = top.Has("dashboards");
    ReadRuleFiles(top, cfg.base_dir, ctx, &cfg.dashboards, "dashboards");
    ReadAlerting(top.Take("alerting"), cfg.base_dir, ctx, &cfg.alerting);
    ReadRunbooks(top.Take("runbooks"), cfg.base_dir, ctx, &cfg.runbooks);
    YAML::Node incidents = top.Take("incidents");
    ReadIncidents(incidents, cfg.base_dir, ctx, &cfg.incidents);
    ReadNotifications(top.Take("notifications"), cfg.base_dir, ctx, &cfg.notifications,
                      &notification_file_errors);
    if (ctx.ok() && notification_file_errors.empty()) {
      CheckIncidentReferences(incidents, cfg, ctx);
    }
    top.Finish();
  }

  if (!ctx.ok() || !notification_file_errors.empty()) {
    std::string all;
    for (const std::string& e : ctx.errors()) {
      if (!all.empty()) all += '\n';
      all += e;
    }
    // Errors of the alertmanager.yml `notifications` names, in that file's positions.
    for (const std::string& e : notification_file_errors) {
      if (!all.empty()) all += '\n';
      all += e;
    }
    return Status::BadData(all);
  }
  return cfg;
}

Result<Config> LoadConfigFile(const std::string& path) {
  Result<std::string> text = ReadTextFile(path, "config");
  if (!text.ok()) return text.status();
  return LoadConfigString(*text, path);
}

}  // namespace hw::config
