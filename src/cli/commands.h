// The `hastewatch` subcommands. Each returns the process exit code.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "server/app.h"

namespace hw::cli {

// serve: runs until SIGINT or SIGTERM, then stops gracefully; 0 on a clean stop.
int Serve(const server::ServeOptions& options);

struct CheckConfigOptions {
  std::vector<std::string> files;
  std::string lint_live_url;  // --lint-live: also lint rules against this server's series
  std::string token;          // --token: bearer token for it
  bool strict = false;        // --strict: lint warnings fail too
};
// check-config FILE...: validates each file and the rule files it names without
// starting, then prints rule lint findings (rules/lint.h). 0 if all are valid and no
// lint finding is an error (or, with --strict, a warning).
int CheckConfig(const CheckConfigOptions& options);

struct TsdbDumpOptions {
  std::string data_dir = "data";
  std::string match;  // a PromQL series selector; empty: every series
  std::int64_t min_time = std::numeric_limits<std::int64_t>::min();
  std::int64_t max_time = std::numeric_limits<std::int64_t>::max();
};
struct ImportOptions {
  std::string file;
  std::string data_dir = "data";
  std::int64_t block_range_ms = 2LL * 3600 * 1000;
};
// import openmetrics FILE: writes blocks from an OpenMetrics file with timestamps.
int ImportOpenMetrics(const ImportOptions& options);

// tsdb dump: prints every sample as `{labels} value timestamp_ms`, like promtool.
// Opens the store as a restart would (WAL replayed), under the data directory lock.
int TsdbDump(const TsdbDumpOptions& options);

struct RoutesTestOptions {
  std::string config_file = "examples/hastecrm/hastewatch.yml";  // or an alertmanager.yml
  bool tree = false;              // --tree: also draw the matching routes
  std::string verify_receivers;   // --verify-receivers r1,r2: exit 1 when different
  std::vector<std::string> labels;  // LABEL=VALUE (amtool's syntax)
};
// routes test: prints the receivers an alert with these labels reaches, comma-separated,
// exactly as `amtool config routes test` does. 0, or 1 on an error or a mismatch.
int RoutesTest(const RoutesTestOptions& options);

struct TestAlertOptions {
  std::string severity;  // critical, warning, ...
  std::string summary;
  std::string url = "http://127.0.0.1:9190";
  std::string token;                // --token, else $HASTEWATCH_TOKEN
  std::vector<std::string> labels;  // --label name=value (extra, or overriding)
  std::int64_t wait_ms = 0;         // --wait: poll until delivered, at most this long
};
// test-alert SEVERITY SUMMARY (the guide's test-alert.sh): sends a synthetic alert
// (alertname=TestAlert, severity, test="true", and action=page for critical or
// notify otherwise, as the pack routes) through a running server's real routing and
// prints the routes and receivers it reaches, whether a silence, an inhibition or a
// time interval holds it, and with --wait each delivery's outcome. 0 when sent (and,
// with --wait, delivered everywhere it is due); 1 otherwise.
int TestAlert(const TestAlertOptions& options);

struct SloRulesOptions {
  std::vector<std::string> files;  // SLO spec files (slo/spec.h)
  std::string output;              // -o: write here instead of stdout
};
// slo rules FILE...: writes the rules the SLOs generate (slo/rules.h) as one
// Prometheus rule file, loadable by rule_files, promtool and Prometheus. 0, or 1 when
// a spec file is invalid.
int SloRules(const SloRulesOptions& options);

struct SloReportOptions {
  std::string config_file = "examples/hastecrm/hastewatch.yml";  // its `slos` name the specs
  std::vector<std::string> slo_files;  // --slos: spec files instead of the config's
  std::string month;                   // YYYY-MM; "" : the current month (UTC)
  std::string format = "table";        // table | markdown | json
  std::string url = "http://127.0.0.1:9190";
  std::string token;                   // --token, else $HASTEWATCH_TOKEN
};
// slo report: the monthly SLO compliance review (slo/report.h), computed through a
// running server's query API. 0, or 1 on an error (2 on bad arguments).
int SloReport(const SloReportOptions& options);

struct TestEscalationOptions {
  std::string severity;  // P1..P4
  std::string config_file = "examples/hastecrm/hastewatch.yml";
  std::string policy;               // "" : the severity's configured policy
  std::int64_t start_ms = 0;        // 0: now (on-call schedules resolve at it)
  std::int64_t duration_ms = 24LL * 3600 * 1000;
  bool duration_set = false;        // --for given (live runs default to 2h otherwise)
  bool config_set = false;          // --config given (refused with --live)
  bool live = false;                // --live: a real drill against the server at `url`
  std::string url = "http://127.0.0.1:9190";
  std::string token;                // --token, else $HASTEWATCH_TOKEN (a write token)
};
// test-escalation P1 (the guide's test-escalation.sh): prints each step the configured
// escalation policy would take for a synthetic incident nobody acknowledges, on a
// simulated clock, without notifying anyone. 0, or 1 when the config has no policy.
// With --live: opens a test incident on the server (title "[TEST] ...", pages marked
// test="true", left out of MTTA/MTTR), prints each page as it is sent in the same
// format, stops once the last level has been paged (or after --for, or on Ctrl-C)
// and resolves the incident. 0, or 1 on an error.
int TestEscalation(const TestEscalationOptions& options);

struct IncidentCommandOptions {
  std::string action;  // list | open | ack | resolve
  std::string url = "http://127.0.0.1:9190";
  std::string token;   // --token, else $HASTEWATCH_TOKEN
  bool all = false;    // list: resolved ones too
  std::string title;   // open
  std::string severity = "P3";  // open
  std::int64_t id = 0;  // ack, resolve
};
// incident list|open|ack|resolve: the incidents API from the command line. Prints one
// line per incident ("#7 P1 acknowledged 12m APIDown (...)"). 0, or 1 on an error.
int IncidentCommand(const IncidentCommandOptions& options);

}  // namespace hw::cli
