// `scrape_configs`: Prometheus' scrape_config with its keys and defaults — targets
// from static_configs and file_sd_configs, HTTP auth and TLS, relabeling, limits.
// Intervals and limits left unset come from `global`; relative files resolve against
// the config file's directory. Checks and messages follow Prometheus' config.go.
#include <set>

#include <fmt/format.h>
#include <re2/re2.h>

#include "config/sections.h"

namespace hw::config {
void ReadStatic(const YAML::Node& node, const std::string& path, YamlContext& ctx,
                StaticConfig* out) {
  MapReader r(ctx, node, path);
  r.List("targets", [&](const YAML::Node& item, const std::string& p) {
    std::string t;
    if (!ReadScalarString(ctx, item, p, &t)) return;
    if (t.empty() || t.find('/') != std::string::npos) {
      ctx.Error(item, p, fmt::format("\"{}\" is not a valid hostname", t));
      return;
    }
    out->targets.push_back(t);
  });
  ReadLabelMap(r.Take("labels"), JoinPath(path, "labels"), ctx, &out->labels);
  r.Finish();
}

void ReadFileSd(const YAML::Node& node, const std::string& path, const std::string& base_dir,
                YamlContext& ctx, FileSdConfig* out) {
  MapReader r(ctx, node, path);
  // Prometheus' patFileSDName: a glob only in the last element, a known extension.
  static const re2::RE2 kName(R"(^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$)");
  r.List("files", [&](const YAML::Node& item, const std::string& p) {
    std::string f;
    if (!ReadScalarString(ctx, item, p, &f)) return;
    if (!re2::RE2::FullMatch(f, kName)) {
      ctx.Error(item, p, fmt::format("path name \"{}\" is not valid for file discovery", f));
      return;
    }
    out->files.push_back(ResolvePath(base_dir, f));
  });
  if (r.is_map() && !r.Has("files")) {
    ctx.Error(node, path, "file service discovery config must contain at least one path name");
  }
  if (r.Duration("refresh_interval", &out->refresh_interval) &&
      out->refresh_interval.count() <= 0) {
    ctx.Error(r.Take("refresh_interval"), JoinPath(path, "refresh_interval"),
              "must be greater than 0");
  }
  r.Finish();
}

void ReadTls(const YAML::Node& node, const std::string& path, const std::string& base_dir,
             YamlContext& ctx, TlsConfig* out) {
  MapReader r(ctx, node, path);
  if (r.String("ca_file", &out->ca_file)) out->ca_file = ResolvePath(base_dir, out->ca_file);
  if (r.String("cert_file", &out->cert_file)) {
    out->cert_file = ResolvePath(base_dir, out->cert_file);
  }
  if (r.String("key_file", &out->key_file)) out->key_file = ResolvePath(base_dir, out->key_file);
  r.String("server_name", &out->server_name);
  r.Bool("insecure_skip_verify", &out->insecure_skip_verify);
  if (out->cert_file.empty() != out->key_file.empty()) {
    ctx.Error(node, path, "cert_file and key_file must be configured together");
  }
  r.Finish();
}

void ReadHttpAuth(MapReader& r, const std::string& path, const std::string& base_dir,
                  YamlContext& ctx, std::optional<BasicAuthConfig>* basic_auth,
                  std::optional<AuthorizationConfig>* authorization) {
  YAML::Node basic = r.Take("basic_auth");
  if (basic.IsDefined() && !basic.IsNull()) {
    std::string p = JoinPath(path, "basic_auth");
    MapReader b(ctx, basic, p);
    BasicAuthConfig a;
    b.String("username", &a.username);
    b.String("password", &a.password);
    if (b.String("password_file", &a.password_file)) {
      a.password_file = ResolvePath(base_dir, a.password_file);
    }
    if (!a.password.empty() && !a.password_file.empty()) {
      ctx.Error(basic, p, "at most one of basic_auth password & password_file must be configured");
    }
    b.Finish();
    *basic_auth = a;
  }
  YAML::Node authz = r.Take("authorization");
  if (authz.IsDefined() && !authz.IsNull()) {
    std::string p = JoinPath(path, "authorization");
    MapReader a(ctx, authz, p);
    AuthorizationConfig cfg;
    a.String("type", &cfg.type);
    a.String("credentials", &cfg.credentials);
    if (a.String("credentials_file", &cfg.credentials_file)) {
      cfg.credentials_file = ResolvePath(base_dir, cfg.credentials_file);
    }
    std::string lower = cfg.type;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lower == "basic") {
      ctx.Error(authz, p, "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
    }
    if (!cfg.credentials.empty() && !cfg.credentials_file.empty()) {
      ctx.Error(authz, p,
                "at most one of authorization credentials & credentials_file must be configured");
    }
    a.Finish();
    *authorization = cfg;
  }
  std::string token, token_file;
  bool has_token = r.String("bearer_token", &token);
  bool has_token_file = r.String("bearer_token_file", &token_file);
  if (has_token || has_token_file) {
    if (*authorization || (has_token && has_token_file)) {
      ctx.Error(r.Take(has_token ? "bearer_token" : "bearer_token_file"), path,
                "at most one of bearer_token, bearer_token_file, authorization may be configured");
    }
    *authorization = AuthorizationConfig{"Bearer", token, ResolvePath(base_dir, token_file)};
  }
  if (*basic_auth && *authorization) {
    ctx.Error(r.Take("basic_auth"), path,
              "at most one of basic_auth, bearer_token & bearer_token_file, authorization must "
              "be configured");
  }
}

namespace {

constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();

void ReadLimit(MapReader& r, std::string_view key, std::uint64_t global, std::uint64_t* out) {
  std::int64_t v = 0;
  *out = r.Int(key, &v, 0, kMaxInt) ? static_cast<std::uint64_t>(v) : global;
}

void ReadScrapeConfig(const YAML::Node& node, const std::string& path,
                      const GlobalConfig& global, const std::string& base_dir,
                      YamlContext& ctx, ScrapeConfig* c) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  if (!r.String("job_name", &c->job_name) || c->job_name.empty()) {
    ctx.Error(node, JoinPath(path, "job_name"), "job_name is empty");
  }
  bool interval_set = r.Duration("scrape_interval", &c->scrape_interval);
  if (!interval_set || c->scrape_interval.count() <= 0) {
    if (interval_set) {
      ctx.Error(r.Take("scrape_interval"), JoinPath(path, "scrape_interval"),
                "must be greater than 0");
    }
    c->scrape_interval = global.scrape_interval;
  }
  if (r.Duration("scrape_timeout", &c->scrape_timeout)) {
    if (c->scrape_timeout.count() <= 0) {
      ctx.Error(r.Take("scrape_timeout"), JoinPath(path, "scrape_timeout"),
                "must be greater than 0");
    } else if (c->scrape_timeout > c->scrape_interval) {
      ctx.Error(r.Take("scrape_timeout"), JoinPath(path, "scrape_timeout"),
                fmt::format("scrape timeout greater than scrape interval for scrape config with "
                            "job name \"{}\" ({} > {})",
                            c->job_name, FormatDuration(c->scrape_timeout),
                            FormatDuration(c->scrape_interval)));
    }
  } else {
    c->scrape_timeout = std::min(global.scrape_timeout, c->scrape_interval);
  }
  if (r.String("metrics_path", &c->metrics_path) &&
      (c->metrics_path.empty() || c->metrics_path.front() != '/')) {
    ctx.Error(r.Take("metrics_path"), JoinPath(path, "metrics_path"), "must start with \"/\"");
  }
  r.Enum("scheme", {"http", "https"}, &c->scheme);
  YAML::Node params = r.Take("params");
  MapReader pr(ctx, params, JoinPath(path, "params"));
  if (pr.is_map()) {
    for (const auto& kv : params) {
      if (!kv.first.IsScalar()) continue;
      const std::string& name = kv.first.Scalar();
      std::vector<std::string>& values = c->params[name];
      pr.List(name, [&](const YAML::Node& item, const std::string& p) {
        std::string v;
        if (ReadScalarString(ctx, item, p, &v)) values.push_back(v);
      });
    }
  }
  r.Bool("honor_labels", &c->honor_labels);
  r.Bool("honor_timestamps", &c->honor_timestamps);
  ReadHttpAuth(r, path, base_dir, ctx, &c->basic_auth, &c->authorization);
  ReadTls(r.Take("tls_config"), JoinPath(path, "tls_config"), base_dir, ctx, &c->tls_config);
  ReadLimit(r, "sample_limit", global.sample_limit, &c->sample_limit);
  ReadLimit(r, "label_limit", global.label_limit, &c->label_limit);
  ReadLimit(r, "label_name_length_limit", global.label_name_length_limit,
            &c->label_name_length_limit);
  ReadLimit(r, "label_value_length_limit", global.label_value_length_limit,
            &c->label_value_length_limit);
  r.Bytes("body_size_limit", &c->body_size_limit);
  r.Enum("fallback_scrape_protocol",
         {"PrometheusText0.0.4", "PrometheusText1.0.0", "OpenMetricsText0.0.1",
          "OpenMetricsText1.0.0"},
         &c->fallback_scrape_protocol);
  r.List("static_configs", [&](const YAML::Node& item, const std::string& p) {
    ReadStatic(item, p, ctx, &c->static_configs.emplace_back());
  });
  r.List("file_sd_configs", [&](const YAML::Node& item, const std::string& p) {
    ReadFileSd(item, p, base_dir, ctx, &c->file_sd_configs.emplace_back());
  });
  r.List("relabel_configs", [&](const YAML::Node& item, const std::string& p) {
    ReadRelabelConfig(item, p, ctx, &c->relabel_configs.emplace_back());
  });
  r.List("metric_relabel_configs", [&](const YAML::Node& item, const std::string& p) {
    ReadRelabelConfig(item, p, ctx, &c->metric_relabel_configs.emplace_back());
  });
  r.Finish();
}

}  // namespace

void ReadScrapeConfigs(const YAML::Node& node, const GlobalConfig& global,
                       const std::string& base_dir, YamlContext& ctx,
                       std::vector<ScrapeConfig>* out) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsSequence()) {
    ctx.Error(node, "scrape_configs", "expected a list of scrape configs");
    return;
  }
  std::set<std::string> jobs;
  for (size_t i = 0; i < node.size(); ++i) {
    std::string path = fmt::format("scrape_configs[{}]", i);
    ScrapeConfig c;
    ReadScrapeConfig(node[i], path, global, base_dir, ctx, &c);
    if (!c.job_name.empty() && !jobs.insert(c.job_name).second) {
      ctx.Error(node[i]["job_name"], JoinPath(path, "job_name"),
                fmt::format("found multiple scrape configs with job name \"{}\"", c.job_name));
    }
    out->push_back(std::move(c));
  }
}

}  // namespace hw::config
