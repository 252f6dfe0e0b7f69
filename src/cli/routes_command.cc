// routes test: which receivers alerts with given labels reach, printed exactly as
// Alertmanager 0.25's `amtool config routes test` prints them (receivers joined by
// commas; --tree draws the matching routes as amtool's treeprint does).
#include <fmt/format.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "alerting/route.h"
#include "base/utf8.h"
#include "cli/commands.h"
#include "config/config.h"

namespace hw::cli {
namespace {

// An alertmanager.yml has a `route` and none of hastewatch.yml's own top-level keys.
bool IsAlertmanagerFile(const std::string& path) {
  try {
    YAML::Node root = YAML::LoadFile(path);
    if (!root.IsMap() || !root["route"]) return false;
    for (const char* key : {"server", "scrape_configs", "notifications"}) {
      if (root[key]) return false;
    }
    return true;
  } catch (const YAML::Exception&) {
    return false;  // LoadConfigFile reports the problem
  }
}

Result<config::NotificationsConfig> LoadNotifications(const std::string& path) {
  if (IsAlertmanagerFile(path)) return config::LoadAlertmanagerConfigFile(path);
  Result<config::Config> cfg = config::LoadConfigFile(path);
  if (!cfg.ok()) return cfg.status();
  if (!cfg->notifications.configured) {
    return Status::BadData(
        fmt::format("{}: no notifications section: nothing routes alerts", path));
  }
  return cfg->notifications;
}

// Alertmanager 0.25's labels.ParseMatcher, which amtool uses for its label
// arguments: `name op value`, the value optionally double-quoted with OpenMetrics
// escapes (\" \n \\; other backslashes are literal).
Status ParseLabelArg(std::string_view arg, std::string* name, std::string* value) {
  static const RE2 kMatcher(R"(^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*((?s).*?)\s*$)");
  std::string op, raw;
  if (!RE2::FullMatch(arg, kMatcher, name, &op, &raw)) {
    return Status::BadData(fmt::format("bad matcher format: {}", arg));
  }
  std::string_view rv = raw;
  bool expect_trailing_quote = false;
  if (!rv.empty() && rv.front() == '"') {
    rv.remove_prefix(1);
    expect_trailing_quote = true;
  }
  if (!ValidUtf8(rv)) {
    return Status::BadData(fmt::format("matcher value not valid UTF-8: {}", raw));
  }
  value->clear();
  bool escaped = false;
  for (std::size_t i = 0; i < rv.size(); ++i) {
    char c = rv[i];
    if (escaped) {
      escaped = false;
      if (c == 'n') {
        *value += '\n';
      } else if (c == '"' || c == '\\') {
        *value += c;
      } else {
        *value += '\\';
        *value += c;
      }
      continue;
    }
    if (c == '\\') {
      if (i + 1 < rv.size()) {
        escaped = true;
      } else {
        *value += '\\';
      }
    } else if (c == '"') {
      if (!expect_trailing_quote || i + 1 < rv.size()) {
        return Status::BadData(
            fmt::format("matcher value contains unescaped double quote: {}", raw));
      }
      expect_trailing_quote = false;
    } else {
      *value += c;
    }
  }
  if (expect_trailing_quote) {
    return Status::BadData(fmt::format("matcher value contains unescaped double quote: {}", raw));
  }
  if (op != "=") return Status::BadData("labels must be specified as key=value pairs");
  return Status::Ok();
}

// amtool's getRouteTreeSlug (0.25 prints no grouping).
std::string Slug(const alerting::Route& route, bool show_receiver) {
  std::string out = route.matchers.empty() ? "default-route" : route.MatchersString();
  if (show_receiver) out += "  receiver: " + route.receiver;
  return out;
}

// A treeprint node.
struct TreeNode {
  std::string text;
  std::vector<TreeNode> children;
};

// amtool's getMatchingTree: the routes an alert walks through, the final ones with
// their receiver.
TreeNode MatchingTree(const alerting::Route& route, const model::Labels& labels) {
  TreeNode node;
  bool final = true;
  for (const auto& child : route.routes) {
    if (!child->MatchesLabels(labels)) continue;
    node.children.push_back(MatchingTree(*child, labels));
    final = false;
    if (!child->continue_matching) break;
  }
  node.text = Slug(route, final);
  return node;
}

void RenderTree(const TreeNode& node, const std::string& prefix, bool last, std::string* out) {
  *out += prefix + (last ? "└── " : "├── ") + node.text + "\n";
  std::string child_prefix = prefix + (last ? "    " : "│   ");
  for (std::size_t i = 0; i < node.children.size(); ++i) {
    RenderTree(node.children[i], child_prefix, i + 1 == node.children.size(), out);
  }
}

}  // namespace

int RoutesTest(const RoutesTestOptions& options) {
  Result<config::NotificationsConfig> notifications = LoadNotifications(options.config_file);
  if (!notifications.ok()) {
    fmt::print(stderr, "hastewatch: error: {}\n", notifications.status().message());
    return 1;
  }
  Result<alerting::RouteTree> tree = alerting::RouteTree::Build(notifications->route);
  if (!tree.ok()) {
    fmt::print(stderr, "hastewatch: error: {}\n", tree.status().message());
    return 1;
  }
  model::LabelsBuilder builder;
  for (const std::string& arg : options.labels) {
    std::string name, value;
    if (Status s = ParseLabelArg(arg, &name, &value); !s.ok()) {
      fmt::print(stderr, "hastewatch: error: Failed to parse labels: {}\n", s.message());
      return 1;
    }
    builder.Set(name, value);
  }
  model::Labels labels = builder.Build();

  if (options.tree) {
    std::string out = "Matching routes:\n.\n";
    RenderTree(MatchingTree(tree->root(), labels), "", true, &out);
    fmt::print("{}\n\n", out);
  }
  std::string receivers;
  for (const alerting::Route* route : tree->Match(labels)) {
    if (!receivers.empty()) receivers += ',';
    receivers += route->receiver;
  }
  fmt::print("{}\n", receivers);
  if (!options.verify_receivers.empty() && options.verify_receivers != receivers) {
    fmt::print("WARNING: Expected receivers did not match resolved receivers.\n");
    return 1;
  }
  return 0;
}

}  // namespace hw::cli
