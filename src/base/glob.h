// ExpandGlob: the files a config's glob pattern names (rule_files, slos, templates),
// sorted by name, as Prometheus expands them (a pattern matching nothing is no error).
//
// Thread-safety: pure (reads the file system).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace hw {

// Fails only when the pattern cannot be expanded (e.g. a read error): "cannot expand
// \"<pattern>\"".
Result<std::vector<std::string>> ExpandGlob(const std::string& pattern);

}  // namespace hw
