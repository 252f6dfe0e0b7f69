// The `server` section: listen address, environment and log level, limits, auth.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "config/sections.h"

namespace hw::config {
namespace {

// Accepts "host:port" and "[v6]:port" with a port in 0..65535 (0 picks a free one).
bool ValidListen(const std::string& s) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == s.size()) return false;
  std::string port = s.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  return std::stoi(port) <= 65535;
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

void ReadToken(const YAML::Node& node, const std::string& path, const std::string& base_dir,
               YamlContext& ctx, std::vector<ApiToken>* out) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) {
    ctx.Error(node, path, "expected a map with name, role and one of token, token_file, token_env");
    return;
  }
  ApiToken t;
  if (!r.String("name", &t.name) || t.name.empty()) {
    ctx.Error(node, JoinPath(path, "name"), "required");
  }
  std::string role = "read";
  r.Enum("role", {"read", "write", "admin"}, &role);
  t.role = role == "admin" ? Role::kAdmin : role == "write" ? Role::kWrite : Role::kRead;

  std::string literal, file, env;
  int sources = r.String("token", &literal) + r.String("token_file", &file) +
                r.String("token_env", &env);
  if (sources != 1) {
    ctx.Error(node, path, "exactly one of token, token_file or token_env is required");
  } else if (!literal.empty()) {
    t.token = literal;
  } else if (!file.empty()) {
    std::filesystem::path p(file);
    if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
    std::ifstream in(p);
    if (!in) {
      ctx.Error(r.Take("token_file"), JoinPath(path, "token_file"),
                fmt::format("cannot read \"{}\"", p.string()));
    } else {
      std::stringstream ss;
      ss << in.rdbuf();
      t.token = Trim(ss.str());
    }
  } else if (!env.empty()) {
    const char* v = std::getenv(env.c_str());
    if (v == nullptr) {
      ctx.Error(r.Take("token_env"), JoinPath(path, "token_env"),
                fmt::format("environment variable {} is not set", env));
    } else {
      t.token = Trim(v);
    }
  }
  if (sources == 1 && t.token.size() < 16 && ctx.ok()) {
    ctx.Error(node, path, "token is shorter than 16 characters; use a long random string");
  }
  r.Finish();
  out->push_back(std::move(t));
}

void ReadAuth(const YAML::Node& node, const std::string& base_dir, YamlContext& ctx,
              AuthConfig* out) {
  MapReader r(ctx, node, "server.auth");
  std::string anonymous = "read";
  if (r.Enum("anonymous", {"none", "read"}, &anonymous)) {
    out->anonymous = anonymous == "none" ? Role::kNone : Role::kRead;
  }
  r.List("tokens", [&](const YAML::Node& item, const std::string& path) {
    ReadToken(item, path, base_dir, ctx, &out->tokens);
  });
  std::set<std::string> names, secrets;
  for (const ApiToken& t : out->tokens) {
    if (!t.name.empty() && !names.insert(t.name).second) {
      ctx.Error(r.Take("tokens"), "server.auth.tokens",
                fmt::format("token name \"{}\" is used twice", t.name));
    }
    if (!t.token.empty() && !secrets.insert(t.token).second) {
      ctx.Error(r.Take("tokens"), "server.auth.tokens",
                fmt::format("token \"{}\" has the same secret as another token", t.name));
    }
  }
  r.Finish();
}

}  // namespace

void ReadServer(const YAML::Node& node, const std::string& base_dir, YamlContext& ctx,
                ServerConfig* out) {
  MapReader r(ctx, node, "server");
  if (r.String("listen", &out->listen) && !ValidListen(out->listen)) {
    ctx.Error(r.Take("listen"), "server.listen",
              fmt::format("\"{}\" is not host:port", out->listen));
  }
  r.Enum("environment", {"production", "staging", "development"}, &out->environment);
  std::string level;
  if (r.String("log_level", &level)) {
    Result<LogLevel> l = ParseLogLevel(level);
    if (l.ok()) {
      out->log_level = *l;
    } else {
      ctx.Error(r.Take("log_level"), "server.log_level", l.status().message());
    }
  }
  std::int64_t threads = out->worker_threads;
  if (r.Int("worker_threads", &threads, 0, 256)) out->worker_threads = static_cast<int>(threads);
  r.Bytes("max_request_body", &out->max_request_body);
  r.Bytes("max_header_bytes", &out->max_header_bytes);
  r.Duration("read_timeout", &out->read_timeout);
  r.Duration("request_timeout", &out->request_timeout);
  r.Duration("idle_timeout", &out->idle_timeout);
  r.Duration("shutdown_grace", &out->shutdown_grace);
  for (auto [key, d] : {std::pair{"read_timeout", out->read_timeout},
                        {"request_timeout", out->request_timeout},
                        {"idle_timeout", out->idle_timeout}}) {
    if (d.count() <= 0) ctx.Error(r.Take(key), JoinPath("server", key), "must be positive");
  }
  if (r.String("external_url", &out->external_url)) {
    std::string& u = out->external_url;
    if (!(u.starts_with("http://") || u.starts_with("https://")) ||
        u.find_first_of(" \t\n") != std::string::npos) {
      ctx.Error(r.Take("external_url"), "server.external_url",
                fmt::format("\"{}\" is not an http:// or https:// URL", u));
    }
    while (u.ends_with('/')) u.pop_back();  // links are built as external_url + "/path"
  }
  ReadAuth(r.Take("auth"), base_dir, ctx, &out->auth);
  r.Finish();
}

}  // namespace hw::config
