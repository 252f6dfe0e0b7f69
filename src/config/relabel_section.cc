// `global`, relabel_configs entries and label maps: the pieces of prometheus.yml that
// scrape configs (and later rules and alerting) share. Validation follows
// Prometheus' relabel.Config.Validate and GlobalConfig.UnmarshalYAML, with the same
// messages where Prometheus has one.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include <fmt/format.h>
#include <re2/re2.h>

#include "config/sections.h"

namespace hw::config {
namespace {

using Action = RelabelConfig::Action;

struct ActionName {
  std::string_view name;
  Action action;
};
constexpr ActionName kActions[] = {
    {"replace", Action::kReplace},     {"keep", Action::kKeep},
    {"drop", Action::kDrop},           {"keepequal", Action::kKeepEqual},
    {"dropequal", Action::kDropEqual}, {"hashmod", Action::kHashMod},
    {"labelmap", Action::kLabelMap},   {"labeldrop", Action::kLabelDrop},
    {"labelkeep", Action::kLabelKeep}, {"lowercase", Action::kLowercase},
    {"uppercase", Action::kUppercase},
};

bool IsLabelName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    bool ok = std::isalpha(c) || c == '_' || (i > 0 && std::isdigit(c));
    if (!ok) return false;
  }
  return true;
}

// Prometheus' relabelTarget: a label name that may hold $1 / ${name} references.
bool IsLabelTemplate(std::string_view s) {
  static const re2::RE2 kTarget(R"(^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$)");
  return re2::RE2::FullMatch(s, kTarget);
}

}  // namespace

std::string_view RelabelActionName(RelabelConfig::Action action) {
  for (const ActionName& a : kActions) {
    if (a.action == action) return a.name;
  }
  return "replace";
}

std::string ResolvePath(const std::string& base_dir, const std::string& p) {
  if (p.empty()) return p;
  std::filesystem::path path(p);
  if (path.is_relative()) path = std::filesystem::path(base_dir) / path;
  return path.lexically_normal().string();
}

void ReadLabelMap(const YAML::Node& node, const std::string& path, YamlContext& ctx,
                  LabelMap* out) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) continue;
    const std::string& name = kv.first.Scalar();
    std::string value;
    if (!IsLabelName(name)) {
      ctx.Error(kv.first, JoinPath(path, name), fmt::format("\"{}\" is not a valid label name", name));
      continue;
    }
    if (r.String(name, &value)) (*out)[name] = value;
  }
}

void ReadRelabelConfig(const YAML::Node& node, const std::string& path, YamlContext& ctx,
                       RelabelConfig* out) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) {
    if (!node.IsMap()) ctx.Error(node, path, "expected a relabel config map");
    return;
  }
  RelabelConfig& c = *out;
  std::string action = "replace";
  if (r.String("action", &action)) {
    std::string lower = action;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    auto it = std::find_if(std::begin(kActions), std::end(kActions),
                           [&](const ActionName& a) { return a.name == lower; });
    if (it == std::end(kActions)) {
      ctx.Error(r.Take("action"), JoinPath(path, "action"),
                fmt::format("unknown relabel action \"{}\"", action));
      return;
    }
    c.action = it->action;
  }
  bool has_sources = r.List("source_labels", [&](const YAML::Node& item, const std::string& p) {
    std::string name;
    if (!ReadScalarString(ctx, item, p, &name)) return;
    if (!IsLabelName(name)) {
      ctx.Error(item, p, fmt::format("\"{}\" is not a valid label name", name));
      return;
    }
    c.source_labels.push_back(name);
  });
  r.String("separator", &c.separator);
  r.String("target_label", &c.target_label);
  if (r.String("regex", &c.regex)) {
    re2::RE2 re("^(?s:" + c.regex + ")$", re2::RE2::Quiet);
    if (!re.ok()) {
      ctx.Error(r.Take("regex"), JoinPath(path, "regex"),
                fmt::format("invalid regex \"{}\": {}", c.regex, re.error()));
    }
  }
  std::int64_t modulus = 0;
  if (r.Int("modulus", &modulus, 0, std::numeric_limits<std::int64_t>::max())) {
    c.modulus = static_cast<std::uint64_t>(modulus);
  }
  r.String("replacement", &c.replacement);
  r.Finish();

  // Prometheus' relabel.Config.Validate, in its order.
  const RelabelConfig kDefault;
  std::string_view name = RelabelActionName(c.action);
  auto fail = [&](const std::string& message) { ctx.Error(node, path, message); };
  bool needs_target = c.action == Action::kReplace || c.action == Action::kHashMod ||
                      c.action == Action::kLowercase || c.action == Action::kUppercase ||
                      c.action == Action::kKeepEqual || c.action == Action::kDropEqual;
  bool plain_target = c.action == Action::kLowercase || c.action == Action::kUppercase ||
                      c.action == Action::kKeepEqual || c.action == Action::kDropEqual ||
                      c.action == Action::kHashMod;
  if (c.action == Action::kHashMod && c.modulus == 0) {
    fail("relabel configuration for hashmod requires non-zero modulus");
  } else if (needs_target && c.target_label.empty()) {
    fail(fmt::format("relabel configuration for {} action requires 'target_label' value", name));
  } else if (c.action == Action::kReplace && !IsLabelTemplate(c.target_label)) {
    fail(fmt::format("\"{}\" is invalid 'target_label' for {} action", c.target_label, name));
  } else if (plain_target && !IsLabelName(c.target_label)) {
    fail(fmt::format("\"{}\" is invalid 'target_label' for {} action", c.target_label, name));
  } else if ((c.action == Action::kLowercase || c.action == Action::kUppercase) &&
             c.replacement != kDefault.replacement) {
    fail(fmt::format("'replacement' can not be set for {} action", name));
  } else if (c.action == Action::kLabelMap && !IsLabelTemplate(c.replacement)) {
    fail(fmt::format("\"{}\" is invalid 'replacement' for {} action", c.replacement, name));
  } else if ((c.action == Action::kKeepEqual || c.action == Action::kDropEqual) &&
             (c.regex != kDefault.regex || c.modulus != 0 || c.separator != kDefault.separator ||
              c.replacement != kDefault.replacement)) {
    fail(fmt::format("{} action requires only 'source_labels' and `target_label`, and no other "
                     "fields",
                     name));
  } else if ((c.action == Action::kLabelDrop || c.action == Action::kLabelKeep) &&
             (has_sources || !c.target_label.empty() || c.modulus != 0 ||
              c.separator != kDefault.separator || c.replacement != kDefault.replacement)) {
    fail(fmt::format("{} action requires only 'regex', and no other fields", name));
  }
}

void ReadGlobal(const YAML::Node& node, YamlContext& ctx, GlobalConfig* out) {
  MapReader r(ctx, node, "global");
  const GlobalConfig kDefault;
  bool has_timeout = false;
  if (r.Duration("scrape_interval", &out->scrape_interval) && out->scrape_interval.count() <= 0) {
    ctx.Error(r.Take("scrape_interval"), "global.scrape_interval", "must be greater than 0");
    out->scrape_interval = kDefault.scrape_interval;
  }
  if (r.Duration("scrape_timeout", &out->scrape_timeout)) {
    has_timeout = true;
    if (out->scrape_timeout.count() <= 0) {
      ctx.Error(r.Take("scrape_timeout"), "global.scrape_timeout", "must be greater than 0");
    } else if (out->scrape_timeout > out->scrape_interval) {
      ctx.Error(r.Take("scrape_timeout"), "global.scrape_timeout",
                fmt::format("global scrape timeout greater than scrape interval ({} > {})",
                            FormatDuration(out->scrape_timeout),
                            FormatDuration(out->scrape_interval)));
    }
  }
  if (!has_timeout) {
    out->scrape_timeout = std::min(kDefault.scrape_timeout, out->scrape_interval);
  }
  if (r.Duration("evaluation_interval", &out->evaluation_interval) &&
      out->evaluation_interval.count() <= 0) {
    ctx.Error(r.Take("evaluation_interval"), "global.evaluation_interval",
              "must be greater than 0");
  }
  ReadLabelMap(r.Take("external_labels"), "global.external_labels", ctx, &out->external_labels);
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::int64_t v = 0;
  if (r.Int("sample_limit", &v, 0, kMax)) out->sample_limit = static_cast<std::uint64_t>(v);
  if (r.Int("label_limit", &v, 0, kMax)) out->label_limit = static_cast<std::uint64_t>(v);
  if (r.Int("label_name_length_limit", &v, 0, kMax)) {
    out->label_name_length_limit = static_cast<std::uint64_t>(v);
  }
  if (r.Int("label_value_length_limit", &v, 0, kMax)) {
    out->label_value_length_limit = static_cast<std::uint64_t>(v);
  }
  r.Finish();
}

}  // namespace hw::config
