#include "base/glob.h"

#include <glob.h>

#include <algorithm>

#include <fmt/format.h>

namespace hw {

Result<std::vector<std::string>> ExpandGlob(const std::string& pattern) {
  glob_t g{};
  const int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
  std::vector<std::string> paths;
  if (rc == 0) {
    for (std::size_t i = 0; i < g.gl_pathc; ++i) paths.emplace_back(g.gl_pathv[i]);
  }
  ::globfree(&g);
  if (rc != 0 && rc != GLOB_NOMATCH) {
    return Status::Unavailable(fmt::format("cannot expand \"{}\"", pattern));
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace hw
