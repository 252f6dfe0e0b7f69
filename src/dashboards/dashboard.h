// Dashboards from JSON files: the guide's shape (`title`, `panels: [{title, query}]`)
// and the optional fields hastewatch adds (docs in README.md, "Dashboards").
//
// A dashboard file is validated when the config loads: its structure (required
// fields, known panel types and units, numeric thresholds, widths 1-12, well-formed
// variables) fails the load with errors naming the file and the JSON path
// ("panels[3].type"); unknown fields are tolerated, as Grafana tolerates them, and
// reported as warnings; each query (after substituting variables) goes through the
// PromQL parser, and a query that does not parse is reported with its panel named —
// an error for check-config, a warning for the server, which still serves the
// dashboard so that its other panels work (the broken one shows the parser's message).
//
// Thread-safety: the functions are pure (Load* read the file system); a Dashboard is
// an immutable value once built.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hw::dashboards {

struct Dashboard {
  std::string id;  // the file name without .json, as URLs name it: "system-overview"
  std::string title;
  std::string file;  // absolute path, or "(built-in) <name>.json" for the embedded pack
  std::size_t panels = 0;
  std::string json;  // the file's text, served as is by GET /api/v1/dashboards/<id>
  // "<file>: <path>: unknown field \"x\" (ignored)".
  std::vector<std::string> warnings;
  // "<file>: panels[2] \"Error Rate\": 1:5: parse error: ...": queries the PromQL
  // parser rejects (after substituting the dashboard's variables).
  std::vector<std::string> query_errors;
};

// Validates one dashboard's JSON text. `file` names it in errors; `id` is its URL id.
// On failure the status message lists every error, one per line.
Result<Dashboard> ParseDashboard(std::string_view json, const std::string& file,
                                 const std::string& id);

// "api-performance" from ".../dashboards/api-performance.json".
std::string IdFromPath(const std::string& path);

// The dashboards the config's `dashboards` patterns name (absolute paths, globs in the
// last element), in file-name order. Two files with the same id are an error.
Result<std::vector<Dashboard>> LoadDashboardFiles(const std::vector<std::string>& patterns);

// The examples/hastecrm pack's dashboards, embedded at build time: what the server
// offers when the config has no `dashboards` section.
std::vector<Dashboard> BuiltinDashboards();

// The query with each `$name` / `${name}` of `values` replaced; a value is escaped for
// a double-quoted PromQL string, so no value can break the query's syntax. Unknown
// names are left as they are.
std::string SubstituteVariables(std::string_view query,
                                const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace hw::dashboards
