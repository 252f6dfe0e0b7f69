#include "rules/rule_file.h"

#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "base/units.h"
#include "config/yaml_reader.h"
#include "model/labels.h"
#include "promql/parser.h"
#include "rules/template.h"

namespace hw::rules {
namespace {

using config::JoinPath;
using config::MapReader;
using config::YamlContext;

// The 0-based line `n` of `content`.
std::string_view LineOf(std::string_view content, int n) {
  std::size_t pos = 0;
  for (int i = 0; i < n && pos != std::string_view::npos; ++i) {
    pos = content.find('\n', pos);
    if (pos != std::string_view::npos) ++pos;
  }
  if (pos == std::string_view::npos || pos > content.size()) return {};
  std::size_t end = content.find('\n', pos);
  return content.substr(pos, end == std::string_view::npos ? content.npos : end - pos);
}

// Where byte (err_line, err_col) of a scalar's value sits in the file: plain scalars
// start at the node's mark, quoted ones one byte later, block scalars (| and >) on the
// lines after the indicator at their indentation. Escapes and folding make this
// approximate for quoted and folded scalars; exact for plain and literal ones.
YAML::Mark ExprMark(std::string_view content, const YAML::Node& node, int err_line,
                    int err_col) {
  YAML::Mark m = node.Mark();
  if (m.is_null()) return m;
  std::string_view line = LineOf(content, m.line);
  char first = m.column < static_cast<int>(line.size()) ? line[m.column] : ' ';
  if (first == '|' || first == '>') {
    int l = m.line + err_line;  // the first content line is m.line + 1
    // The block's indentation is that of its first content line.
    std::string_view text = LineOf(content, m.line + 1);
    int indent = 0;
    while (indent < static_cast<int>(text.size()) && text[indent] == ' ') ++indent;
    m.line = l;
    m.column = indent + err_col - 1;
    return m;
  }
  int quote = (first == '"' || first == '\'') ? 1 : 0;
  if (err_line == 1) {
    m.column += quote + err_col - 1;
  } else {
    m.line += err_line - 1;
    m.column = err_col - 1;
  }
  return m;
}

class Loader {
 public:
  Loader(std::string_view file, std::string_view content) : ctx_(std::string(file)),
                                                            content_(content) {}

  Result<RuleFile> Run() {
    RuleFile out;
    out.path = ctx_.file();
    YAML::Node root;
    try {
      root = YAML::Load(std::string(content_));
    } catch (const YAML::Exception& e) {
      return Status::BadData(fmt::format("{}:{}:{}: {}", ctx_.file(), e.mark.line + 1,
                                         e.mark.column + 1, e.msg));
    }
    MapReader top(ctx_, root, "");
    std::set<std::string> group_names;
    top.List("groups", [&](const YAML::Node& n, const std::string& path) {
      RuleGroup g = ReadGroup(n, path);
      if (!g.name.empty() && !group_names.insert(g.name).second) {
        ctx_.Error(n, path + ".name", fmt::format("duplicate group name \"{}\"", g.name));
      }
      out.groups.push_back(std::move(g));
    });
    std::vector<RuleGroup> guide;
    std::map<std::string, bool> interval_set;
    top.List("alerts", [&](const YAML::Node& n, const std::string& path) {
      ReadGuideAlert(n, path, &guide, &interval_set);
    });
    for (RuleGroup& g : guide) {
      if (!group_names.insert(g.name).second) {
        ctx_.Error(root["alerts"], "alerts",
                   fmt::format("group \"{}\" is also defined under groups", g.name));
      }
      CheckCollisions(g, root["alerts"], "alerts");
      out.groups.push_back(std::move(g));
    }
    top.Finish();
    if (!ctx_.ok()) {
      std::string msg;
      for (const std::string& e : ctx_.errors()) {
        if (!msg.empty()) msg += "\n";
        msg += e;
      }
      return Status::BadData(msg);
    }
    return out;
  }

 private:
  RuleGroup ReadGroup(const YAML::Node& n, const std::string& path) {
    RuleGroup g;
    g.file = ctx_.file();
    MapReader r(ctx_, n, path);
    if (!r.String("name", &g.name) || g.name.empty()) {
      if (!r.Has("name")) ctx_.Error(n, path + ".name", "missing");
      else if (g.name.empty()) ctx_.Error(n, path + ".name", "must not be empty");
    }
    ReadPositiveDuration(r, "interval", &g.interval);
    r.Int("limit", &g.limit, 0, std::numeric_limits<int>::max());
    r.Duration("query_offset", &g.query_offset);
    ReadLabels(r, "labels", &g.labels, "", false);
    YAML::Node rules_node = n.IsMap() ? n["rules"] : YAML::Node();
    r.List("rules", [&](const YAML::Node& rn, const std::string& rpath) {
      g.rules.push_back(ReadRule(rn, rpath));
    });
    r.Finish();
    if (r.is_map() && !r.Has("rules")) ctx_.Error(n, path + ".rules", "missing");
    CheckCollisions(g, n, path);
    return g;
  }

  Rule ReadRule(const YAML::Node& n, const std::string& path) {
    Rule rule;
    rule.line = n.Mark().line + 1;
    rule.column = n.Mark().column + 1;
    MapReader r(ctx_, n, path);
    bool has_alert = r.Has("alert"), has_record = r.Has("record");
    if (has_alert == has_record) {
      ctx_.Error(n, path, has_alert ? "a rule has either alert or record, not both"
                                    : "a rule needs alert or record");
    }
    rule.kind = has_record && !has_alert ? Rule::Kind::kRecording : Rule::Kind::kAlerting;
    std::string key = rule.kind == Rule::Kind::kRecording ? "record" : "alert";
    YAML::Node name_node = n.IsMap() ? n[key] : YAML::Node();
    if (r.String(key, &rule.name)) CheckRuleName(rule, name_node, JoinPath(path, key));
    if (rule.kind == Rule::Kind::kAlerting) {
      r.Duration("for", &rule.for_duration);
      r.Duration("keep_firing_for", &rule.keep_firing_for);
      ReadLabels(r, "annotations", &rule.annotations, rule.name, true);
    } else {
      for (const char* k : {"for", "keep_firing_for", "annotations"}) {
        if (r.Has(k)) {
          r.Take(k);
          ctx_.Error(n[k], JoinPath(path, k),
                     fmt::format("not allowed in recording rule \"{}\"", rule.name));
        }
      }
    }
    ReadLabels(r, "labels", &rule.labels, rule.name,
               rule.kind == Rule::Kind::kAlerting);
    ReadExpr(r, n, path, &rule);
    r.Finish();
    return rule;
  }

  void ReadGuideAlert(const YAML::Node& n, const std::string& path,
                      std::vector<RuleGroup>* groups, std::map<std::string, bool>* iv_set) {
    Rule rule;
    rule.kind = Rule::Kind::kAlerting;
    rule.line = n.Mark().line + 1;
    rule.column = n.Mark().column + 1;
    MapReader r(ctx_, n, path);
    if (r.String("name", &rule.name)) {
      CheckRuleName(rule, n["name"], JoinPath(path, "name"));
    } else if (r.is_map() && !r.Has("name")) {
      ctx_.Error(n, JoinPath(path, "name"), "missing");
    }
    r.Duration("for", &rule.for_duration);
    r.Duration("keep_firing_for", &rule.keep_firing_for);
    ReadLabels(r, "labels", &rule.labels, rule.name, true);
    ReadLabels(r, "annotations", &rule.annotations, rule.name, true);
    std::string v;
    if (r.String("severity", &v)) SetOnce(n, path, "severity", &rule.labels, "severity", v);
    v.clear();
    if (r.String("action", &v)) SetOnce(n, path, "action", &rule.labels, "action", v);
    v.clear();
    if (r.String("runbook", &v)) {
      SetOnce(n, path, "runbook", &rule.annotations, "runbook_url", v);
    }
    std::string group = "alerts";
    r.String("group", &group);
    Millis interval{0};
    bool has_interval = ReadPositiveDuration(r, "interval", &interval);
    ReadExpr(r, n, path, &rule);
    r.Finish();

    RuleGroup* g = nullptr;
    for (RuleGroup& existing : *groups) {
      if (existing.name == group) g = &existing;
    }
    if (g == nullptr) {
      groups->push_back(RuleGroup{});
      g = &groups->back();
      g->name = group;
      g->file = ctx_.file();
    }
    if (has_interval) {
      if ((*iv_set)[group] && g->interval != interval) {
        ctx_.Error(n["interval"], JoinPath(path, "interval"),
                   fmt::format("group \"{}\" already has interval {}", group,
                               FormatDuration(g->interval)));
      }
      g->interval = interval;
      (*iv_set)[group] = true;
    }
    g->rules.push_back(std::move(rule));
  }

  // `severity: x` next to `labels: {severity: y}` is a contradiction worth naming.
  void SetOnce(const YAML::Node& n, const std::string& path, const char* key, LabelMap* m,
               const std::string& name, const std::string& value) {
    auto [it, inserted] = m->emplace(name, value);
    if (!inserted && it->second != value) {
      ctx_.Error(n[key], JoinPath(path, key),
                 fmt::format("conflicts with {} \"{}\" given separately", name, it->second));
    }
    it->second = value;
  }

  bool ReadPositiveDuration(MapReader& r, const char* key, Millis* out) {
    if (!r.Has(key)) return false;
    YAML::Node node = r.Take(key);
    std::string s;
    if (!config::ReadScalarString(ctx_, node, JoinPath(r.path(), key), &s)) return false;
    Result<Duration> d = ParseDuration(s);
    if (!d.ok()) {
      ctx_.Error(node, JoinPath(r.path(), key), d.status().message());
      return false;
    }
    if (d->count() <= 0) {
      ctx_.Error(node, JoinPath(r.path(), key), "must be greater than 0");
      return false;
    }
    *out = *d;
    return true;
  }

  void CheckRuleName(const Rule& rule, const YAML::Node& at, const std::string& path) {
    if (rule.name.empty()) {
      ctx_.Error(at, path, "must not be empty");
    } else if (rule.kind == Rule::Kind::kRecording && !model::IsValidMetricName(rule.name)) {
      ctx_.Error(at, path, fmt::format("invalid recording rule name \"{}\"", rule.name));
    }
  }

  // Reads a map of label names to (template) strings; templates are parsed now so a
  // broken one fails the load and names its rule.
  void ReadLabels(MapReader& r, const char* key, LabelMap* out, const std::string& rule,
                  bool templates) {
    if (!r.Has(key)) return;
    YAML::Node node = r.Take(key);
    std::string path = JoinPath(r.path(), key);
    if (node.IsNull()) return;
    if (!node.IsMap()) {
      ctx_.Error(node, path, "expected a map of names to strings");
      return;
    }
    bool is_labels = std::string_view(key) == "labels";
    for (const auto& kv : node) {
      std::string name = kv.first.Scalar();
      std::string item = JoinPath(path, name);
      std::string value;
      if (!config::ReadScalarString(ctx_, kv.second, item, &value)) continue;
      if (!model::IsValidLabelName(name)) {
        ctx_.Error(kv.first, item, fmt::format("invalid {} name", is_labels ? "label" : "annotation"));
        continue;
      }
      if (is_labels && name == model::kMetricName) {
        ctx_.Error(kv.first, item, "__name__ cannot be set by a rule label");
        continue;
      }
      if (templates) {
        Result<Template> t = Template::Parse(name, value);
        if (!t.ok()) {
          ctx_.Error(kv.second, item, fmt::format("cannot parse template of rule \"{}\": {}",
                                                  rule, t.status().message()));
          continue;
        }
      }
      (*out)[name] = value;
    }
  }

  void ReadExpr(MapReader& r, const YAML::Node& n, const std::string& path, Rule* rule) {
    if (!r.Has("expr")) {
      if (r.is_map()) ctx_.Error(n, JoinPath(path, "expr"), "missing");
      return;
    }
    YAML::Node e = r.Take("expr");
    std::string epath = JoinPath(path, "expr");
    if (!config::ReadScalarString(ctx_, e, epath, &rule->expr)) return;
    if (rule->expr.find_first_not_of(" \t\r\n") == std::string::npos) {
      ctx_.Error(e, epath, "must not be empty");
      return;
    }
    promql::ParseError perr;
    Result<promql::ExprPtr> parsed = promql::ParseExpr(rule->expr, {}, &perr);
    if (!parsed.ok()) {
      ctx_.ErrorAt(ExprMark(content_, e, perr.line, perr.column), epath,
                   fmt::format("cannot parse expression of rule \"{}\": {}", rule->name,
                               perr.message));
    }
  }

  // Two alerting rules of one group with the same name and labels would write the
  // same ALERTS series.
  void CheckCollisions(const RuleGroup& g, const YAML::Node& at, const std::string& path) {
    std::set<std::pair<std::string, LabelMap>> seen;
    for (const Rule& rule : g.rules) {
      if (rule.kind != Rule::Kind::kAlerting || rule.name.empty()) continue;
      if (!seen.emplace(rule.name, rule.labels).second) {
        YAML::Mark m = at.Mark();
        m.line = rule.line - 1;
        m.column = rule.column - 1;
        ctx_.ErrorAt(m, path,
                     fmt::format("alert \"{}\" is defined twice in group \"{}\" with the "
                                 "same labels",
                                 rule.name, g.name));
      }
    }
  }

  YamlContext ctx_;
  std::string_view content_;
};

}  // namespace

Result<RuleFile> ParseRuleFile(std::string_view file, std::string_view content) {
  return Loader(file, content).Run();
}

Result<RuleFile> LoadRuleFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::BadData(fmt::format("cannot read rule file {}: not readable", path));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string content = ss.str();
  return ParseRuleFile(path, content);
}

}  // namespace hw::rules
