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

}  // namespace hw::cli
