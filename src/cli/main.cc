// hastewatch: one binary for metrics, alerting, notifications, dashboards, logs,
// traces and incidents. main only parses the command line and delegates.
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "promql/promqltest.h"
#include "rules/unit_test_runner.h"

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

  hw::cli::CheckConfigOptions check;
  CLI::App* check_cmd = app.add_subcommand(
      "check-config", "Validate config files and lint their rules without starting");
  check_cmd->add_option("files", check.files, "Config files")->required();
  check_cmd->add_option("--lint-live", check.lint_live_url,
                        "Also lint rules against the series of the server at this URL");
  check_cmd->add_option("--token", check.token, "Bearer token for --lint-live");
  check_cmd->add_flag("--strict", check.strict, "Fail on lint warnings too");

  hw::cli::TsdbDumpOptions dump;
  CLI::App* tsdb_cmd = app.add_subcommand("tsdb", "Inspect the time-series store");
  tsdb_cmd->require_subcommand(1);
  CLI::App* dump_cmd = tsdb_cmd->add_subcommand("dump", "Print samples as {labels} value timestamp");
  dump_cmd->add_option("--data", dump.data_dir, "Data directory")->capture_default_str();
  dump_cmd->add_option("--match", dump.match, "Series selector, e.g. 'up{job=\"api\"}'");
  dump_cmd->add_option("--min-time", dump.min_time, "Earliest timestamp (ms)");
  dump_cmd->add_option("--max-time", dump.max_time, "Latest timestamp (ms)");

  hw::cli::ImportOptions import;
  CLI::App* import_cmd = app.add_subcommand("import", "Backfill data into the store");
  import_cmd->require_subcommand(1);
  CLI::App* om_cmd = import_cmd->add_subcommand(
      "openmetrics", "Write blocks from an OpenMetrics file with timestamps (stop the server first)");
  om_cmd->add_option("file", import.file, "OpenMetrics file")->required();
  om_cmd->add_option("--data", import.data_dir, "Data directory")->capture_default_str();

  hw::promql::PromqlTestOptions promql_test;
  bool promql_test_verbose = false;
  std::vector<std::string> promql_test_files;
  CLI::App* promql_test_cmd = app.add_subcommand(
      "promql-test", "Run Prometheus' PromQL test scripts (.test files) against the engine");
  promql_test_cmd->add_option("files", promql_test_files, ".test files")->required();
  promql_test_cmd->add_flag("--v2", promql_test.v2, "Prometheus 2.x semantics (the v2.42.0 set)");
  promql_test_cmd->add_flag("-v,--verbose", promql_test_verbose, "Also list skipped cases");

  std::vector<std::string> rule_test_files;
  CLI::App* test_rules_cmd = app.add_subcommand(
      "test-rules", "Run rule unit tests in promtool's `test rules` format");
  test_rules_cmd->add_option("files", rule_test_files, "Test files")->required();
  hw::rules::RuleTestOptions rule_test_options;
  test_rules_cmd->add_flag("--v2", rule_test_options.v2,
                           "Prometheus 2.x PromQL semantics, as a 2.x promtool evaluates");

  hw::cli::RoutesTestOptions routes_test;
  CLI::App* routes_cmd = app.add_subcommand("routes", "Notification routing");
  routes_cmd->require_subcommand(1);
  CLI::App* routes_test_cmd = routes_cmd->add_subcommand(
      "test", "Print the receivers alerts with these labels reach (as amtool config routes test)");
  routes_test_cmd->add_option("--config", routes_test.config_file,
                              "hastewatch.yml or alertmanager.yml")->capture_default_str();
  routes_test_cmd->add_flag("--tree", routes_test.tree, "Also print the matching routes tree");
  routes_test_cmd->add_option("--verify-receivers", routes_test.verify_receivers,
                              "Exit 1 unless the receivers are exactly these (r1,r2)");
  routes_test_cmd->add_option("labels", routes_test.labels, "LABEL=VALUE...");

  hw::cli::TestAlertOptions test_alert;
  std::string test_alert_wait;
  CLI::App* test_alert_cmd = app.add_subcommand(
      "test-alert", "Send a synthetic alert through a running server's routing and report on it");
  test_alert_cmd->add_option("severity", test_alert.severity, "critical, warning, ...")->required();
  test_alert_cmd->add_option("summary", test_alert.summary, "The alert's summary")->required();
  test_alert_cmd->add_option("--url", test_alert.url, "The server")->capture_default_str();
  test_alert_cmd->add_option("--token", test_alert.token, "A write token (default $HASTEWATCH_TOKEN)");
  test_alert_cmd->add_option("--label", test_alert.labels, "Extra label name=value (repeatable)");
  test_alert_cmd->add_option("--wait", test_alert_wait, "Wait this long for delivery, e.g. 2m");

  hw::cli::SloRulesOptions slo_rules;
  hw::cli::SloReportOptions slo_report;
  CLI::App* slo_cmd = app.add_subcommand("slo", "Service level objectives and error budgets");
  slo_cmd->require_subcommand(1);
  CLI::App* slo_rules_cmd = slo_cmd->add_subcommand(
      "rules", "Write the rules SLO files generate as a Prometheus rule file");
  slo_rules_cmd->add_option("files", slo_rules.files, "SLO files")->required();
  slo_rules_cmd->add_option("-o,--output", slo_rules.output, "Write to this file (default stdout)");
  CLI::App* slo_report_cmd = slo_cmd->add_subcommand(
      "report", "Monthly SLO compliance review, computed through a running server's query API");
  slo_report_cmd->add_option("--month", slo_report.month, "YYYY-MM (default: this month, UTC)");
  slo_report_cmd->add_option("--format", slo_report.format, "table, markdown or json")
      ->capture_default_str();
  slo_report_cmd->add_option("--url", slo_report.url, "The server")->capture_default_str();
  slo_report_cmd->add_option("--token", slo_report.token, "A read token (default $HASTEWATCH_TOKEN)");
  slo_report_cmd->add_option("--config", slo_report.config_file, "Config whose `slos` name the SLOs")
      ->capture_default_str();
  slo_report_cmd->add_option("--slos", slo_report.slo_files, "SLO files (instead of --config's)");

  hw::cli::TestEscalationOptions test_escalation;
  std::string test_escalation_for, test_escalation_at;
  CLI::App* test_escalation_cmd = app.add_subcommand(
      "test-escalation", "Print what the escalation policy does for an unacknowledged incident");
  test_escalation_cmd->add_option("severity", test_escalation.severity, "P1, P2, P3 or P4")->required();
  CLI::Option* test_escalation_config =
      test_escalation_cmd->add_option("--config", test_escalation.config_file, "Config file")
          ->capture_default_str();
  test_escalation_cmd->add_option("--policy", test_escalation.policy, "Another policy than the severity's");
  test_escalation_cmd->add_option("--for", test_escalation_for,
                                  "How long to run: simulated (default 24h), or with --live real "
                                  "time (default 2h; the drill ends after its last level anyway)");
  test_escalation_cmd->add_option("--at", test_escalation_at, "Opening time, RFC 3339 (default now)");
  test_escalation_cmd->add_flag("--live", test_escalation.live,
                                "Run it for real on a running server: a TEST incident that pages, "
                                "followed until the last level, then resolved");
  test_escalation_cmd->add_option("--url", test_escalation.url, "The server (--live)")
      ->capture_default_str();
  test_escalation_cmd->add_option("--token", test_escalation.token,
                                  "A write token (--live; default $HASTEWATCH_TOKEN)");

  hw::cli::IncidentCommandOptions incident;
  CLI::App* incident_cmd = app.add_subcommand("incident", "Incidents on a running server");
  incident_cmd->require_subcommand(1);
  incident_cmd->fallthrough();  // --url and --token also after the action
  incident_cmd->add_option("--url", incident.url, "The server")->capture_default_str();
  incident_cmd->add_option("--token", incident.token, "A token (writes need a write token; "
                                                      "default $HASTEWATCH_TOKEN)");
  CLI::App* incident_list_cmd = incident_cmd->add_subcommand("list", "Open incidents");
  incident_list_cmd->add_flag("--all", incident.all, "Resolved ones too");
  CLI::App* incident_open_cmd = incident_cmd->add_subcommand("open", "Open an incident by hand");
  incident_open_cmd->add_option("title", incident.title, "What is wrong")->required();
  incident_open_cmd->add_option("--severity", incident.severity, "P1..P4")->capture_default_str();
  CLI::App* incident_ack_cmd = incident_cmd->add_subcommand("ack", "Acknowledge (stops escalation)");
  incident_ack_cmd->add_option("id", incident.id, "Incident id")->required();
  CLI::App* incident_resolve_cmd = incident_cmd->add_subcommand("resolve", "Resolve");
  incident_resolve_cmd->add_option("id", incident.id, "Incident id")->required();

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
  if (*check_cmd) return hw::cli::CheckConfig(check);
  if (*dump_cmd) return hw::cli::TsdbDump(dump);
  if (*om_cmd) return hw::cli::ImportOpenMetrics(import);
  if (*slo_rules_cmd) return hw::cli::SloRules(slo_rules);
  if (*slo_report_cmd) return hw::cli::SloReport(slo_report);
  if (*routes_test_cmd) return hw::cli::RoutesTest(routes_test);
  if (*incident_cmd) {
    for (CLI::App* c : {incident_list_cmd, incident_open_cmd, incident_ack_cmd, incident_resolve_cmd}) {
      if (*c) incident.action = c->get_name();
    }
    return hw::cli::IncidentCommand(incident);
  }
  if (*test_escalation_cmd) {
    if (!test_escalation_for.empty()) {
      hw::Result<hw::Duration> d = hw::ParseDuration(test_escalation_for);
      if (!d.ok()) {
        fmt::print(stderr, "hastewatch test-escalation: --for: {}\n", d.status().message());
        return 2;
      }
      test_escalation.duration_ms = d->count();
      test_escalation.duration_set = true;
    }
    test_escalation.config_set = test_escalation_config->count() > 0;
    if (!test_escalation_at.empty()) {
      hw::Result<std::int64_t> t = hw::ParseRfc3339Millis(test_escalation_at);
      if (!t.ok()) {
        fmt::print(stderr, "hastewatch test-escalation: --at: {}\n", t.status().message());
        return 2;
      }
      test_escalation.start_ms = *t;
    }
    return hw::cli::TestEscalation(test_escalation);
  }
  if (*test_alert_cmd) {
    if (!test_alert_wait.empty()) {
      hw::Result<hw::Duration> d = hw::ParseDuration(test_alert_wait);
      if (!d.ok()) {
        fmt::print(stderr, "hastewatch test-alert: --wait: {}\n", d.status().message());
        return 2;
      }
      test_alert.wait_ms = d->count();
    }
    return hw::cli::TestAlert(test_alert);
  }
  if (*test_rules_cmd) return hw::rules::RunRuleUnitTests(rule_test_files, rule_test_options, std::cout);
  if (*promql_test_cmd) {
    return hw::promql::RunPromqlTests(promql_test_files, promql_test, promql_test_verbose);
  }
  return 0;
}
