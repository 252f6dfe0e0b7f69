// `alerting` (Prometheus' own keys: alert_relabel_configs, alertmanagers) and
// `runbooks`. Alertmanager entries take the same HTTP client keys as scrape configs;
// checks and defaults follow Prometheus' config.go.
#include <filesystem>

#include <fmt/format.h>

#include "config/sections.h"

namespace hw::config {
namespace {

void ReadAlertmanager(const YAML::Node& node, const std::string& path,
                      const std::string& base_dir, YamlContext& ctx, AlertmanagerConfig* am) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  r.Enum("scheme", {"http", "https"}, &am->scheme);
  if (r.String("path_prefix", &am->path_prefix) && !am->path_prefix.starts_with("/")) {
    am->path_prefix = "/" + am->path_prefix;
  }
  if (r.Duration("timeout", &am->timeout) && am->timeout.count() <= 0) {
    ctx.Error(r.Take("timeout"), JoinPath(path, "timeout"), "must be greater than 0");
  }
  // Alertmanager removed API v1 in 0.27: v2 is the only protocol spoken.
  r.Enum("api_version", {"v2"}, &am->api_version);
  ReadHttpAuth(r, path, base_dir, ctx, &am->basic_auth, &am->authorization);
  YAML::Node tls = r.Take("tls_config");
  if (tls.IsDefined() && !tls.IsNull()) {
    ReadTls(tls, JoinPath(path, "tls_config"), base_dir, ctx, &am->tls_config);
  }
  r.List("static_configs", [&](const YAML::Node& item, const std::string& p) {
    ReadStatic(item, p, ctx, &am->static_configs.emplace_back());
  });
  r.List("file_sd_configs", [&](const YAML::Node& item, const std::string& p) {
    ReadFileSd(item, p, base_dir, ctx, &am->file_sd_configs.emplace_back());
  });
  r.List("relabel_configs", [&](const YAML::Node& item, const std::string& p) {
    ReadRelabelConfig(item, p, ctx, &am->relabel_configs.emplace_back());
  });
  r.Finish();
}

}  // namespace

void ReadAlerting(const YAML::Node& node, const std::string& base_dir, YamlContext& ctx,
                  AlertingConfig* out) {
  if (!node.IsDefined() || node.IsNull()) return;
  MapReader r(ctx, node, "alerting");
  r.List("alert_relabel_configs", [&](const YAML::Node& item, const std::string& p) {
    ReadRelabelConfig(item, p, ctx, &out->alert_relabel_configs.emplace_back());
  });
  r.List("alertmanagers", [&](const YAML::Node& item, const std::string& p) {
    ReadAlertmanager(item, p, base_dir, ctx, &out->alertmanagers.emplace_back());
  });
  r.Finish();
}

void ReadRunbooks(const YAML::Node& node, const std::string& base_dir, YamlContext& ctx,
                  RunbooksConfig* out) {
  if (!node.IsDefined() || node.IsNull()) return;
  MapReader r(ctx, node, "runbooks");
  if (r.String("directory", &out->directory)) {
    if (out->directory.empty()) {
      ctx.Error(r.Take("directory"), "runbooks.directory", "must not be empty");
    }
    out->directory = ResolvePath(base_dir, out->directory);
    std::error_code ec;
    if (!out->directory.empty() && !std::filesystem::is_directory(out->directory, ec)) {
      ctx.Error(r.Take("directory"), "runbooks.directory",
                fmt::format("{} is not a directory", out->directory));
    }
  } else if (r.is_map()) {
    ctx.Error(node, "runbooks", "directory is required");
  }
  r.Finish();
}

}  // namespace hw::config
