#include "scrape/discovery.h"

#include <glob.h>
#include <sys/stat.h>

#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace hw::scrape {
namespace {

constexpr std::string_view kAddress = "__address__";
constexpr std::string_view kFilePath = "__meta_filepath";

Result<TargetGroup> ParseGroup(const YAML::Node& n, const std::string& where) {
  if (!n.IsMap()) return Status::BadData(fmt::format("{}: expected a map with targets and labels", where));
  TargetGroup g;
  std::vector<std::pair<std::string, std::string>> labels;
  for (const auto& kv : n) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
    if (key == "targets") {
      if (!kv.second.IsSequence()) {
        return Status::BadData(fmt::format("{}.targets: expected a list", where));
      }
      for (size_t i = 0; i < kv.second.size(); ++i) {
        const YAML::Node& t = kv.second[i];
        if (!t.IsScalar() || t.Scalar().empty() || t.Scalar().find('/') != std::string::npos) {
          return Status::BadData(fmt::format("{}.targets[{}]: \"{}\" is not a valid hostname",
                                             where, i, t.IsScalar() ? t.Scalar() : ""));
        }
        g.targets.push_back(model::Labels::FromPairs({{kAddress, t.Scalar()}}));
      }
    } else if (key == "labels") {
      if (kv.second.IsNull()) continue;
      if (!kv.second.IsMap()) return Status::BadData(fmt::format("{}.labels: expected a map", where));
      for (const auto& l : kv.second) {
        if (!l.first.IsScalar() || !model::IsValidLabelName(l.first.Scalar())) {
          return Status::BadData(fmt::format("{}.labels: \"{}\" is not a valid label name", where,
                                             l.first.IsScalar() ? l.first.Scalar() : ""));
        }
        if (!l.second.IsScalar()) {
          return Status::BadData(
              fmt::format("{}.labels.{}: expected a string", where, l.first.Scalar()));
        }
        labels.emplace_back(l.first.Scalar(), l.second.Scalar());
      }
    } else {
      return Status::BadData(fmt::format("{}: unknown key \"{}\"", where, key));
    }
  }
  std::vector<std::pair<std::string_view, std::string_view>> views(labels.begin(), labels.end());
  g.labels = model::Labels::FromPairs(std::move(views));
  return g;
}

std::vector<std::string> Glob(const std::string& pattern) {
  std::vector<std::string> out;
  glob_t g{};
  if (::glob(pattern.c_str(), 0, nullptr, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  }
  globfree(&g);
  return out;
}

}  // namespace

std::vector<TargetGroup> StaticGroups(const config::ScrapeConfig& cfg) {
  std::vector<TargetGroup> out;
  for (size_t i = 0; i < cfg.static_configs.size(); ++i) {
    const config::StaticConfig& sc = cfg.static_configs[i];
    TargetGroup g;
    g.source = std::to_string(i);
    for (const std::string& t : sc.targets) {
      g.targets.push_back(model::Labels::FromPairs({{kAddress, t}}));
    }
    std::vector<std::pair<std::string_view, std::string_view>> labels(sc.labels.begin(),
                                                                       sc.labels.end());
    g.labels = model::Labels::FromPairs(std::move(labels));
    out.push_back(std::move(g));
  }
  return out;
}

Result<std::vector<TargetGroup>> ParseTargetGroups(const std::string& file,
                                                   std::string_view content) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(content));
  } catch (const YAML::Exception& e) {
    return Status::BadData(fmt::format("cannot parse {}: line {}: {}", file, e.mark.line + 1, e.msg));
  }
  std::vector<TargetGroup> out;
  if (root.IsNull()) return out;
  if (!root.IsSequence()) {
    return Status::BadData(fmt::format("cannot parse {}: expected a list of target groups", file));
  }
  for (size_t i = 0; i < root.size(); ++i) {
    Result<TargetGroup> g = ParseGroup(root[i], fmt::format("[{}]", i));
    if (!g.ok()) return Status::BadData(fmt::format("cannot parse {}: {}", file, g.status().message()));
    g->source = fmt::format("{}:{}", file, i);
    model::LabelsBuilder b(g->labels);
    b.Set(kFilePath, file);
    g->labels = b.Build();
    out.push_back(std::move(*g));
  }
  return out;
}

FileDiscoverer::FileDiscoverer(config::FileSdConfig config) : config_(std::move(config)) {}

bool FileDiscoverer::Refresh(std::chrono::steady_clock::time_point now,
                             std::vector<std::string>* errors) {
  bool full = now >= next_full_;
  if (full) next_full_ = now + config_.refresh_interval;
  std::set<std::string> seen;
  for (const std::string& pattern : config_.files) {
    for (std::string& f : Glob(pattern)) seen.insert(std::move(f));
  }
  bool changed = false;
  for (auto it = files_.begin(); it != files_.end();) {
    if (seen.count(it->first) == 0) {
      it = files_.erase(it);
      changed = true;
    } else {
      ++it;
    }
  }
  for (const std::string& f : seen) {
    struct stat st {};
    if (::stat(f.c_str(), &st) != 0) continue;
    std::int64_t mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
                         st.st_mtim.tv_nsec;
    auto [it, inserted] = files_.try_emplace(f);
    FileState& state = it->second;
    if (!inserted && !full && state.mtime_ns == mtime &&
        state.size == static_cast<std::uintmax_t>(st.st_size)) {
      continue;
    }
    state.mtime_ns = mtime;
    state.size = static_cast<std::uintmax_t>(st.st_size);
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (!in) {
      errors->push_back(fmt::format("cannot read {}", f));
      continue;
    }
    Result<std::vector<TargetGroup>> groups = ParseTargetGroups(f, ss.str());
    if (!groups.ok()) {
      errors->push_back(groups.status().message());
      continue;  // keep the previous groups
    }
    auto same = [](const std::vector<TargetGroup>& a, const std::vector<TargetGroup>& b) {
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (a[i].targets != b[i].targets || a[i].labels != b[i].labels) return false;
      }
      return true;
    };
    if (inserted || !same(state.groups, *groups)) changed = true;
    state.groups = std::move(*groups);
  }
  return changed;
}

std::vector<TargetGroup> FileDiscoverer::Groups() const {
  std::vector<TargetGroup> out;
  for (const auto& [file, state] : files_) {
    out.insert(out.end(), state.groups.begin(), state.groups.end());
  }
  return out;
}

}  // namespace hw::scrape
