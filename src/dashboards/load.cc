// Loading dashboards: the config's files (globs expanded) or the embedded pack.
#include <fmt/format.h>

#include <map>

#include "base/glob.h"
#include "base/text_file.h"
#include "dashboards/dashboard.h"
#include "dashboards/embedded.h"

namespace hw::dashboards {

std::string IdFromPath(const std::string& path) {
  std::string name = path.substr(path.find_last_of('/') + 1);
  if (name.size() > 5 && name.ends_with(".json")) name.resize(name.size() - 5);
  return name;
}

Result<std::vector<Dashboard>> LoadDashboardFiles(const std::vector<std::string>& patterns) {
  std::vector<Dashboard> out;
  std::map<std::string, std::string> file_of_id;
  Status s = LoadGlobbedFiles(patterns, "cannot load dashboards: ", [&](const std::string& file) {
    const std::string id = IdFromPath(file);
    auto [it, fresh] = file_of_id.emplace(id, file);
    if (!fresh) {
      if (it->second == file) return Status::Ok();  // the same file named by two patterns
      return Status::BadData(fmt::format(
          "{}: dashboard id \"{}\" (the file name) is also {}'s: rename one", file, id, it->second));
    }
    Result<std::string> text = ReadTextFile(file, "dashboard");
    if (!text.ok()) return text.status();
    Result<Dashboard> d = ParseDashboard(*text, file, id);
    if (!d.ok()) return d.status();
    out.push_back(std::move(d).value());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

std::vector<Dashboard> BuiltinDashboards() {
  std::vector<Dashboard> out;
  for (std::size_t i = 0; i < internal::kEmbeddedFileCount; ++i) {
    const internal::EmbeddedFile& f = internal::kEmbeddedFiles[i];
    // The pack is checked by dashboards_test (it must load cleanly), so a failure
    // here would be a build of a broken pack: skip it rather than serve nothing.
    Result<Dashboard> d =
        ParseDashboard(f.text, fmt::format("(built-in) {}", f.name), IdFromPath(f.name));
    if (d.ok()) out.push_back(std::move(d).value());
  }
  return out;
}

}  // namespace hw::dashboards
