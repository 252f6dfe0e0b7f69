// ExpandGlob: the files a config's glob pattern names (rule_files, slos, templates),
// sorted by name, as Prometheus expands them (a pattern matching nothing is no error).
//
// Thread-safety: pure (reads the file system).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hw {

// Fails only when the pattern cannot be expanded (e.g. a read error): "cannot expand
// \"<pattern>\"".
Result<std::vector<std::string>> ExpandGlob(const std::string& pattern);

// Calls `load` on every file the patterns name, in order, going on after a failure so
// that one run reports every bad file: the failures' messages joined by newlines as
// one BadData (a pattern that cannot be expanded as `expand_prefix` + why). Ok when
// every file loaded.
Status LoadGlobbedFiles(const std::vector<std::string>& patterns, std::string_view expand_prefix,
                        const std::function<Status(const std::string& path)>& load);

}  // namespace hw
