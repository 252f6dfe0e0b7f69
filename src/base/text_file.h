// ReadTextFile: a whole file into memory, for config-like files (hastewatch.yml,
// alertmanager.yml, SLO specs) that are parsed from text.
//
// Thread-safety: pure (reads the file system).
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace hw {

// kNotFound "cannot read <what> \"<path>\": <cause>" when the file cannot be opened.
Result<std::string> ReadTextFile(const std::string& path, std::string_view what);

}  // namespace hw
