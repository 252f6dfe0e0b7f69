#include "rules/unit_test_runner.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "base/units.h"
#include "model/sample.h"
#include "promql/engine.h"
#include "promql/promqltest_internal.h"
#include "rules/group.h"
#include "tsdb/head.h"

namespace hw::rules {
namespace {

std::string Str(const YAML::Node& n) { return n && n.IsScalar() ? n.Scalar() : ""; }

Result<std::int64_t> Dur(const YAML::Node& n, std::int64_t def) {
  if (!n) return def;
  Result<Duration> d = ParseDuration(n.Scalar());
  if (!d.ok()) return d.status();
  return static_cast<std::int64_t>(d->count());
}

std::string FmtLabels(const model::Labels& l) { return l.ToString(); }

std::string FmtAlerts(const std::vector<std::pair<model::Labels, LabelMap>>& alerts) {
  std::string out = "[";
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    if (i) out += ", ";
    std::string ann;
    for (const auto& [k, v] : alerts[i].second) {
      if (!ann.empty()) ann += ", ";
      std::string q;
      model::AppendQuoted(&q, v);
      ann += k + "=" + q;
    }
    out += fmt::format("{}0:{{Labels:{} Annotations:{{{}}}}}", i > 0 ? "\n            " : "", FmtLabels(alerts[i].first), ann);
  }
  return out + "]";
}

// One entry of `tests`; appends failure descriptions to *errs.
void RunTest(const YAML::Node& test, const std::vector<RuleGroup>& groups_in,
             std::int64_t eval_interval, const RuleTestOptions& options,
             std::vector<std::string>* errs) {
  auto interval = Dur(test["interval"], eval_interval);
  if (!interval.ok()) {
    errs->push_back("interval: " + interval.status().message());
    return;
  }
  tsdb::Head head;
  promql::EngineOptions engine_options;
  engine_options.v2_semantics = options.v2;
  promql::Engine engine(engine_options);
  {
    auto app = head.NewAppender();
    for (const YAML::Node& s : test["input_series"]) {
      auto line = promql::testdsl::ParseSeriesLine(Str(s["series"]) + " " + Str(s["values"]));
      if (!line.ok()) {
        errs->push_back(fmt::format("input_series {}: {}", Str(s["series"]), line.status().message()));
        return;
      }
      for (std::size_t i = 0; i < line->slots.size(); ++i) {
        const auto& slot = line->slots[i];
        if (slot.kind == promql::testdsl::Slot::Kind::kMissing) continue;
        double v = slot.kind == promql::testdsl::Slot::Kind::kStale ? model::kStaleNaN : slot.v;
        auto r = app->Append(line->labels, static_cast<std::int64_t>(i) * *interval, v);
        if (!r.ok()) errs->push_back(r.status().message());
      }
    }
    Status c = app->Commit();
    if (!c.ok()) errs->push_back(c.message());
  }
  QueryFunc query = [&](std::string_view expr, std::int64_t t) -> Result<Vector> {
    auto r = engine.Instant(head, expr, t);
    if (!r.ok()) return r.status();
    if (r->value.type == promql::ValueType::kScalar) return Vector{{model::Labels(), t, r->value.scalar}};
    return r->value.vector;
  };
  GroupOptions opts;
  opts.query = query;
  opts.appendable = &head;
  opts.default_interval_ms = eval_interval;
  if (test["external_url"]) opts.context.external_url = Str(test["external_url"]);
  for (const auto& kv : test["external_labels"]) opts.context.external_labels[kv.first.Scalar()] = Str(kv.second);
  std::vector<std::unique_ptr<Group>> groups;
  for (const RuleGroup& rg : groups_in) {
    auto g = Group::Create(rg, opts);
    if (!g.ok()) {
      errs->push_back(g.status().message());
      return;
    }
    groups.push_back(std::move(*g));
  }

  struct AlertTest {
    std::int64_t t;
    std::string name;
    std::vector<std::pair<model::Labels, LabelMap>> want;
  };
  std::vector<AlertTest> alert_tests;
  std::int64_t max_t = 0;
  for (const YAML::Node& at : test["alert_rule_test"]) {
    AlertTest a;
    auto t = Dur(at["eval_time"], 0);
    if (!t.ok()) {
      errs->push_back("eval_time: " + t.status().message());
      return;
    }
    a.t = *t;
    a.name = Str(at["alertname"]);
    for (const YAML::Node& e : at["exp_alerts"]) {
      model::LabelsBuilder b;
      for (const auto& kv : e["exp_labels"]) b.Set(kv.first.Scalar(), Str(kv.second));
      b.Set("alertname", a.name);
      LabelMap ann;
      for (const auto& kv : e["exp_annotations"]) ann[kv.first.Scalar()] = Str(kv.second);
      a.want.emplace_back(b.Build(), ann);
    }
    std::sort(a.want.begin(), a.want.end());
    max_t = std::max(max_t, a.t);
    alert_tests.push_back(std::move(a));
  }
  for (const YAML::Node& pt : test["promql_expr_test"]) {
    auto t = Dur(pt["eval_time"], 0);
    if (t.ok()) max_t = std::max(max_t, *t);
  }

  // As promtool: every group is evaluated at every step of evaluation_interval,
  // whatever its own interval.
  for (std::int64_t t = 0; t <= max_t; t += eval_interval) {
    for (auto& g : groups) (void)g->EvalAt(t);
    for (const AlertTest& a : alert_tests) {
      if (a.t < t || a.t >= t + eval_interval) continue;
      std::vector<std::pair<model::Labels, LabelMap>> got;
      for (auto& g : groups) {
        for (const AlertingRule* r : g->AlertingRules()) {
          if (r->name() != a.name) continue;
          for (const ActiveAlert& al : r->ActiveAlerts()) {
            if (al.state == AlertState::kFiring) got.emplace_back(al.labels, al.annotations);
          }
        }
      }
      std::sort(got.begin(), got.end());
      if (got != a.want) {
        errs->push_back(fmt::format("    alertname: {}, time: {}, \n        exp:{}, \n        got:{}",
                                    a.name, FormatDuration(Duration(a.t)), FmtAlerts(a.want), FmtAlerts(got)));
      }
    }
  }

  for (const YAML::Node& pt : test["promql_expr_test"]) {
    std::string expr = Str(pt["expr"]);
    auto t = Dur(pt["eval_time"], 0);
    if (!t.ok()) {
      errs->push_back("eval_time: " + t.status().message());
      continue;
    }
    auto got = query(expr, *t);
    if (!got.ok()) {
      errs->push_back(fmt::format("    expr: {}, time: {}, err: {}", expr, FormatDuration(Duration(*t)), got.status().message()));
      continue;
    }
    std::vector<std::pair<model::Labels, double>> want, have;
    bool bad = false;
    for (const YAML::Node& s : pt["exp_samples"]) {
      model::Labels l;
      std::string text = Str(s["labels"]);
      if (!text.empty()) {
        auto line = promql::testdsl::ParseSeriesLine(text);
        if (!line.ok()) {
          errs->push_back(fmt::format("    expr: {}: bad labels {}: {}", expr, text, line.status().message()));
          bad = true;
          break;
        }
        l = line->labels;
      }
      want.emplace_back(l, s["value"] ? std::stod(Str(s["value"])) : 0.0);
    }
    if (bad) continue;
    for (const auto& s : *got) have.emplace_back(s.metric, s.v);
    std::sort(want.begin(), want.end(), [](auto& a, auto& b) { return a.first < b.first; });
    std::sort(have.begin(), have.end(), [](auto& a, auto& b) { return a.first < b.first; });
    bool same = want.size() == have.size();
    for (std::size_t i = 0; same && i < want.size(); ++i) {
      double a = want[i].second, b = have[i].second;
      bool eq = (std::isnan(a) && std::isnan(b)) || a == b ||
                std::fabs(a - b) <= 1e-6 * std::max(std::fabs(a), std::fabs(b));
      same = want[i].first == have[i].first && eq;
    }
    if (!same) {
      auto fmt_s = [](const std::vector<std::pair<model::Labels, double>>& v) {
        std::string o;
        for (const auto& [l, x] : v) o += fmt::format("{}{} {}", o.empty() ? "" : ",\n", l.ToString(), x);
        return o;
      };
      errs->push_back(fmt::format("    expr: {}, time: {},\n        exp: {}\n        got: {}", expr,
                                  FormatDuration(Duration(*t)), fmt_s(want), fmt_s(have)));
    }
  }
}

bool RunFile(const std::string& path, const RuleTestOptions& options, std::ostream& out) {
  out << "Unit Testing:  " << path << "\n";
  std::vector<std::string> errs;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    out << "  FAILED:\n    " << e.what() << "\n";
    return false;
  }
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  auto ei = Dur(root["evaluation_interval"], 60'000);
  if (!ei.ok() || *ei <= 0) {
    out << "  FAILED:\n    evaluation_interval: invalid\n";
    return false;
  }
  std::vector<RuleGroup> groups;
  for (const YAML::Node& f : root["rule_files"]) {
    std::filesystem::path p = Str(f);
    if (p.is_relative()) p = dir / p;
    auto rf = LoadRuleFile(p.string());
    if (!rf.ok()) {
      out << "  FAILED:\n    " << rf.status().message() << "\n";
      return false;
    }
    for (RuleGroup& g : rf->groups) groups.push_back(std::move(g));
  }
  if (root["group_eval_order"]) {
    std::vector<RuleGroup> ordered;
    for (const YAML::Node& n : root["group_eval_order"]) {
      auto it = std::find_if(groups.begin(), groups.end(), [&](const RuleGroup& g) { return g.name == Str(n); });
      if (it == groups.end()) {
        out << "  FAILED:\n    group_eval_order: unknown group " << Str(n) << "\n";
        return false;
      }
      ordered.push_back(*it);
    }
    if (ordered.size() != groups.size()) {
      out << "  FAILED:\n    group_eval_order: must list every group\n";
      return false;
    }
    groups = std::move(ordered);
  }
  for (const YAML::Node& test : root["tests"]) RunTest(test, groups, *ei, options, &errs);
  if (errs.empty()) {
    out << "  SUCCESS\n\n";
    return true;
  }
  out << "  FAILED:\n";
  for (const std::string& e : errs) out << e << "\n";
  out << "\n";
  return false;
}

}  // namespace

int RunRuleUnitTests(const std::vector<std::string>& files, const RuleTestOptions& options,
                     std::ostream& out) {
  bool ok = true;
  for (const std::string& f : files) ok = RunFile(f, options, out) && ok;
  return ok ? 0 : 1;
}

}  // namespace hw::rules
