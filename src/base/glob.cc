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

Status LoadGlobbedFiles(const std::vector<std::string>& patterns, std::string_view expand_prefix,
                        const std::function<Status(const std::string& path)>& load) {
  std::string errors;
  auto add_error = [&errors](std::string_view e) {
    if (!errors.empty()) errors += '\n';
    errors += e;
  };
  for (const std::string& pattern : patterns) {
    Result<std::vector<std::string>> paths = ExpandGlob(pattern);
    if (!paths.ok()) {
      add_error(fmt::format("{}{}", expand_prefix, paths.status().message()));
      continue;
    }
    for (const std::string& path : *paths) {
      if (Status s = load(path); !s.ok()) add_error(s.message());
    }
  }
  if (!errors.empty()) return Status::BadData(errors);
  return Status::Ok();
}

}  // namespace hw
