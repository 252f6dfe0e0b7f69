// The `health` section: dependency checks that /health/ready and /health/detailed run.
#include <set>

#include <fmt/format.h>

#include "config/sections.h"

namespace hw::config {

void ReadHealth(const YAML::Node& node, YamlContext& ctx, HealthConfig* out) {
  MapReader r(ctx, node, "health");
  std::set<std::string> names;
  r.List("checks", [&](const YAML::Node& item, const std::string& path) {
    MapReader c(ctx, item, path);
    if (!c.is_map()) return;
    HealthCheckConfig check;
    if (!c.String("name", &check.name) || check.name.empty()) {
      ctx.Error(item, JoinPath(path, "name"), "required");
    } else if (!names.insert(check.name).second) {
      ctx.Error(c.Take("name"), JoinPath(path, "name"),
                fmt::format("check \"{}\" is defined twice", check.name));
    }
    std::string http, tcp;
    bool has_http = c.String("http", &http);
    bool has_tcp = c.String("tcp", &tcp);
    if (has_http == has_tcp) {
      ctx.Error(item, path, "exactly one of http (a URL) or tcp (host:port) is required");
    } else if (has_http) {
      check.kind = HealthCheckConfig::Kind::kHttp;
      check.target = http;
      if (!http.starts_with("http://") && !http.starts_with("https://")) {
        ctx.Error(c.Take("http"), JoinPath(path, "http"),
                  fmt::format("\"{}\" is not an http:// or https:// URL", http));
      }
    } else {
      check.kind = HealthCheckConfig::Kind::kTcp;
      check.target = tcp;
      size_t colon = tcp.rfind(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 == tcp.size()) {
        ctx.Error(c.Take("tcp"), JoinPath(path, "tcp"),
                  fmt::format("\"{}\" is not host:port", tcp));
      }
    }
    std::int64_t status = 0;
    if (c.Int("expect_status", &status, 100, 599)) {
      if (!has_http) {
        ctx.Error(c.Take("expect_status"), JoinPath(path, "expect_status"),
                  "only applies to http checks");
      }
      check.expect_status = static_cast<int>(status);
    }
    c.Duration("timeout", &check.timeout);
    c.Finish();
    out->checks.push_back(std::move(check));
  });
  r.Finish();
}

}  // namespace hw::config
