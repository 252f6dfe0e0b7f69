// hastewatch: one binary for metrics, alerting, notifications, dashboards, logs,
// traces and incidents. main only parses the command line and delegates.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"hastewatch: the monitoring stack in one binary"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(hw::server::Version()));

  hw::server::ServeOptions serve;
  serve.config_path = "examples/hastecrm/hastewatch.yml";
  std::string listen, log_level;
  CLI::App* serve_cmd = app.add_subcommand("serve", "Run the server");
  serve_cmd->add_option("--config", serve.config_path, "Config file")->capture_default_str();
  serve_cmd->add_option("--data", serve.data_dir, "Data directory")->capture_default_str();
  serve_cmd->add_option("--listen", listen, "host:port to listen on (overrides server.listen)");
  serve_cmd->add_option("--log-level", log_level, "ERROR, WARN, INFO, DEBUG or TRACE");

  std::vector<std::string> check_files;
  CLI::App* check_cmd = app.add_subcommand("check-config", "Validate config files without starting");
  check_cmd->add_option("files", check_files, "Config files")->required();

  app.add_subcommand("version", "Print version and revision")->callback([] {
    fmt::print("hastewatch {} (revision {})\n", hw::server::Version(), hw::server::Revision());
  });

  CLI11_PARSE(app, argc, argv);

  if (*serve_cmd) {
    if (!listen.empty()) serve.listen = listen;
    if (!log_level.empty()) {
      hw::Result<hw::LogLevel> level = hw::ParseLogLevel(log_level);
      if (!level.ok()) {
        fmt::print(stderr, "hastewatch: --log-level: {}\n", level.status().message());
        return 2;
      }
      serve.log_level = *level;
    }
    return hw::cli::Serve(serve);
  }
  if (*check_cmd) return hw::cli::CheckConfig(check_files);
  return 0;
}
