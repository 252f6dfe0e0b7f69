// Service discovery: where a scrape config's targets come from.
//
//   static_configs   -> StaticGroups(): one group per entry, source "<index>".
//   file_sd_configs  -> FileDiscoverer: the files matching each pattern (a glob in the
//                       last path element), each a YAML or JSON list of
//                       {targets: [...], labels: {...}}, source "<file>:<index>", and
//                       __meta_filepath=<file> on every group.
//
// A FileDiscoverer polls: Refresh() stats every matching file and re-reads those
// whose modification time or size changed, plus every file once per
// refresh_interval (as Prometheus re-reads them); a file that fails to read or parse
// keeps its previous groups and reports the error. Files that no longer match drop
// their groups.
//
// Thread-safety: StaticGroups and ParseTargetGroups are pure. A FileDiscoverer is not
// thread-safe (the manager's discovery thread owns it).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/config.h"
#include "model/labels.h"

namespace hw::scrape {

struct TargetGroup {
  std::string source;
  std::vector<model::Labels> targets;  // each at least {__address__="host:port"}
  model::Labels labels;                // common to all targets of the group
};

std::vector<TargetGroup> StaticGroups(const config::ScrapeConfig& cfg);

// Parses a file_sd file's content (YAML, or JSON, which yaml-cpp reads as YAML).
// Errors name the file and the entry: "cannot parse <file>: [1].labels: ...".
Result<std::vector<TargetGroup>> ParseTargetGroups(const std::string& file,
                                                   std::string_view content);

class FileDiscoverer {
 public:
  explicit FileDiscoverer(config::FileSdConfig config);

  // See the file comment. `now` decides when a full re-read is due. Returns true when
  // the groups changed; appends one message per failing file to *errors.
  bool Refresh(std::chrono::steady_clock::time_point now, std::vector<std::string>* errors);
  // Every group of every matching file, ordered by file name.
  std::vector<TargetGroup> Groups() const;

 private:
  struct FileState {
    std::int64_t mtime_ns = 0;
    std::uintmax_t size = 0;
    std::vector<TargetGroup> groups;
  };
  config::FileSdConfig config_;
  std::map<std::string, FileState> files_;
  std::chrono::steady_clock::time_point next_full_{};
};

}  // namespace hw::scrape
