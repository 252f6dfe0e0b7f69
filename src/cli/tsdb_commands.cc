// `hastewatch tsdb dump` (like `promtool tsdb dump`) and `hastewatch import
// openmetrics` (like `promtool tsdb create-blocks-from openmetrics`).
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <unistd.h>

#include "cli/commands.h"
#include "base/metrics.h"
#include "base/dir_lock.h"
#include "promql/parser.h"
#include "tsdb/db.h"

namespace hw::cli {
namespace {

Logger& StderrLogger() {
  static Logger log("hastewatch", LogLevel::kWarn, std::make_shared<FdLogSink>(STDERR_FILENO));
  return log;
}

}  // namespace

int TsdbDump(const TsdbDumpOptions& o) {
  std::vector<model::Matcher> matchers;
  if (!o.match.empty()) {
    Result<std::vector<model::Matcher>> m = promql::ParseMetricSelector(o.match);
    if (!m.ok()) {
      fmt::print(stderr, "hastewatch: --match: {}\n", m.status().message());
      return 2;
    }
    matchers = std::move(m).value();
  }
  Result<DirLock> lock = DirLock::Acquire(o.data_dir);
  if (!lock.ok()) {
    fmt::print(stderr, "hastewatch: {}\n", lock.status().message());
    return 1;
  }
  tsdb::DbOptions options;
  options.retention_ms = 0;  // a dump never deletes anything
  Result<std::unique_ptr<tsdb::Db>> db = tsdb::Db::Open(o.data_dir + "/tsdb", options, StderrLogger());
  if (!db.ok()) {
    fmt::print(stderr, "hastewatch: {}\n", db.status().message());
    return 1;
  }
  Result<std::unique_ptr<storage::Querier>> q = (*db)->NewQuerier(o.min_time, o.max_time);
  if (!q.ok()) {
    fmt::print(stderr, "hastewatch: {}\n", q.status().message());
    return 1;
  }
  auto set = (*q)->Select(matchers, o.min_time, o.max_time);
  std::string out;
  out.reserve(1 << 20);
  std::uint64_t samples = 0;
  while (set->Next()) {
    std::string labels = set->At().labels().ToString();
    auto it = set->At().Iterator();
    while (it->Next()) {
      model::Sample s = it->At();
      fmt::format_to(std::back_inserter(out), "{} {} {}\n", labels, metrics::FormatFloat(s.v), s.t);
      ++samples;
      if (out.size() > (1 << 20)) {
        std::fwrite(out.data(), 1, out.size(), stdout);
        out.clear();
      }
    }
    if (!it->Err().ok()) {
      fmt::print(stderr, "hastewatch: {}\n", it->Err().message());
      return 1;
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (!set->Err().ok()) {
    fmt::print(stderr, "hastewatch: {}\n", set->Err().message());
    return 1;
  }
  return 0;
}

}  // namespace hw::cli
