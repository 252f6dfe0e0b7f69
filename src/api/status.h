// The Prometheus status endpoints (/api/v1/status/*), in Prometheus' JSON shapes:
//
//   buildinfo    role read   {version, revision, branch, buildUser, buildDate, goVersion};
//                            goVersion carries the C++ compiler ("gcc 12.2.0")
//   config       role admin  {"yaml": the config file as loaded, secrets replaced by
//                            "<secret>"}; admin because even redacted it reveals the
//                            deployment (hosts, token names, paths)
//   flags        role read   the serve command's flags as a string map
//   runtimeinfo  role read   {startTime, CWD, reloadConfigSuccess, lastConfigTime,
//                            corruptionCount, goroutineCount (threads), GOMAXPROCS
//                            (cores), GOMEMLIMIT, GOGC, GODEBUG, storageRetention}
//   tsdb         role read   {headStats, seriesCountByMetricName, labelValueCountByLabelName,
//                            memoryInBytesByLabelName, seriesCountByLabelValuePair},
//                            computed from the head; `limit` (default 10) entries each
//
// Thread-safety: the handlers may run concurrently; StatusDeps is immutable once
// registered and the Db is thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "http/router.h"
#include "tsdb/db.h"

namespace hw::api {

struct StatusDeps {
  std::string version;
  std::string revision;
  config::Config config;  // the loaded config: its file, tokens and retention
  http::KeyValues flags;  // flag name (without dashes) -> value
  std::chrono::system_clock::time_point started = std::chrono::system_clock::now();
  tsdb::Db* db = nullptr;  // required; outlives the router
  // The outcome and time of the last config (re)load; empty: the start-up load.
  std::function<std::pair<bool, std::chrono::system_clock::time_point>()> last_reload;
};

void RegisterStatusRoutes(http::Router& router, StatusDeps deps);

// `yaml` with every secret value replaced by "<secret>": the values of keys that
// hold secrets (token, password, secret, credentials, api_key, ... but not their
// *_file / *_env indirections), in block and flow style, block scalars included,
// and every literal occurrence of a string in `secrets` (the API tokens).
std::string RedactConfig(std::string_view yaml, const std::vector<std::string>& secrets);

// One row of a /status/tsdb list.
struct TsdbStat {
  std::string name;
  std::uint64_t value = 0;
  bool operator==(const TsdbStat&) const = default;
};

struct TsdbStatus {
  std::uint64_t num_series = 0;
  std::uint64_t num_label_pairs = 0;
  std::int64_t chunk_count = 0;
  std::int64_t min_time = 0;
  std::int64_t max_time = 0;
  std::vector<TsdbStat> series_count_by_metric_name;
  std::vector<TsdbStat> label_value_count_by_label_name;
  std::vector<TsdbStat> memory_in_bytes_by_label_name;
  std::vector<TsdbStat> series_count_by_label_value_pair;
};

// Cardinality statistics of the head: each list sorted by value (descending, ties by
// name) and cut to `limit` entries.
TsdbStatus ComputeTsdbStatus(tsdb::Head& head, std::size_t limit);

}  // namespace hw::api
