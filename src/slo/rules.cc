#include "slo/rules.h"

#include <cmath>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "base/units.h"

namespace hw::slo {
namespace {

using rules::Rule;
using rules::RuleGroup;

// The period the burn factors are defined over (the SRE workbook's 30 days).
constexpr double kBudgetPeriodHours = 30 * 24;

// A threshold as written into PromQL: 6 significant digits hide the float noise of
// 1 - 0.999 (0.0010000000000000009 -> 0.001).
std::string Number(double v) { return fmt::format("{:.6g}", v); }
// 0.999 -> "99.9%".
std::string Percent(double fraction) { return fmt::format("{:.6g}%", fraction * 100); }
// 0.2 -> "200ms", 2 -> "2s".
std::string Seconds(double s) { return FormatDuration(Duration(std::llround(s * 1000))); }
// 50h -> "2d 2h", 120h -> "5d".
std::string Hours(double h) {
  const long total = std::lround(h);
  if (total < 48) return fmt::format("{}h", total);
  return total % 24 == 0 ? fmt::format("{}d", total / 24)
                         : fmt::format("{}d {}h", total / 24, total % 24);
}

std::string SeriesSelector(const std::string& metric, const Spec& spec) {
  return fmt::format("{}{{slo=\"{}\", service=\"{}\"}}", metric, spec.name, spec.service);
}

rules::LabelMap SeriesLabels(const Spec& spec) {
  return {{"slo", spec.name}, {"service", spec.service}};
}

Rule Record(const std::string& name, std::string expr, const Spec& spec) {
  Rule r;
  r.kind = Rule::Kind::kRecording;
  r.name = name;
  r.expr = std::move(expr);
  r.labels = SeriesLabels(spec);
  return r;
}

std::string RunbookUrl(const std::string& runbook) {
  if (runbook.starts_with("http://") || runbook.starts_with("https://")) return runbook;
  if (runbook.starts_with("/")) return "{{ $externalURL }}" + runbook;
  return "{{ $externalURL }}/runbooks/" + runbook;
}

// "of events were bad" / "of requests took longer than 200ms".
std::string BadPhrase(const Spec& spec, bool critical) {
  if (spec.kind == Spec::SliKind::kEvents) return "of events were bad";
  const double t = critical && spec.critical_threshold_seconds > 0 ? spec.critical_threshold_seconds
                                                                   : spec.threshold_seconds;
  return fmt::format("of events took longer than {}", Seconds(t));
}

Rule Alert(const std::string& name, std::string expr, const Spec& spec, bool page,
           Millis for_duration) {
  Rule r;
  r.kind = Rule::Kind::kAlerting;
  r.name = name;
  r.expr = std::move(expr);
  r.for_duration = for_duration;
  r.labels = spec.labels;
  r.labels["slo"] = spec.name;
  r.labels["service"] = spec.service;
  r.labels["severity"] = page ? "critical" : "warning";
  r.labels["action"] = page ? "page" : "notify";
  if (!spec.runbook.empty()) r.annotations["runbook_url"] = RunbookUrl(spec.runbook);
  return r;
}

}  // namespace

const std::vector<BurnWindow>& BurnWindows() {
  static const std::vector<BurnWindow> kWindows = {
      {"SLOBurnRate1h", 14.4, "1h", "5m", true},
      {"SLOBurnRate6h", 6, "6h", "30m", true},
      {"SLOBurnRate1d", 3, "1d", "2h", false},
      {"SLOBurnRate3d", 1, "3d", "6h", false},
  };
  return kWindows;
}

const std::vector<std::string>& RatioWindows() {
  static const std::vector<std::string> kWindows = {"5m", "30m", "1h", "2h", "6h", "1d", "3d"};
  return kWindows;
}

std::string ErrorRatioExpr(const EventSelectors& s, const std::string& window) {
  // `or vector(0)`: a bad (or good) counter that never appeared counts as zero, so
  // the ratio exists whenever there was traffic.
  if (!s.bad.empty()) {
    return fmt::format("(sum(rate({}[{}])) or vector(0)) / sum(rate({}[{}]))", s.bad, window,
                       s.total, window);
  }
  return fmt::format("1 - (sum(rate({}[{}])) or vector(0)) / sum(rate({}[{}]))", s.good, window,
                     s.total, window);
}

std::string CountExpr(const std::string& selector, const std::string& range) {
  return fmt::format("sum(increase({}[{}]))", selector, range);
}

RuleGroup GenerateGroup(const Spec& spec) {
  RuleGroup g;
  g.name = fmt::format("slo:{}:{}", spec.service, spec.name);
  g.file = spec.file;
  const EventSelectors sel = Selectors(spec);
  for (const std::string& w : RatioWindows()) {
    g.rules.push_back(Record("slo:sli_error:ratio_rate" + w, ErrorRatioExpr(sel, w), spec));
  }
  for (const BurnWindow& b : BurnWindows()) {
    g.rules.push_back(Record(std::string("slo:sli_events:increase") + b.long_window,
                             CountExpr(sel.total, b.long_window), spec));
  }
  const bool critical_latency =
      spec.kind == Spec::SliKind::kLatency && spec.critical_threshold_seconds > 0;
  if (critical_latency) {
    const EventSelectors crit = Selectors(spec, true);
    for (const char* w : {"5m", "1h"}) {
      g.rules.push_back(Record(std::string("slo:sli_error_critical:ratio_rate") + w,
                               ErrorRatioExpr(crit, w), spec));
    }
  }

  const double budget = 1 - spec.objective;
  for (const BurnWindow& b : BurnWindows()) {
    const std::string threshold = Number(b.burn * budget);
    std::string expr = fmt::format(
        "{} > {}\nand\n{} > {}",
        SeriesSelector(std::string("slo:sli_error:ratio_rate") + b.long_window, spec), threshold,
        SeriesSelector(std::string("slo:sli_error:ratio_rate") + b.short_window, spec), threshold);
    if (spec.min_events > 0) {
      expr += fmt::format("\nand\n{} >= {}",
                          SeriesSelector(std::string("slo:sli_events:increase") + b.long_window, spec),
                          spec.min_events);
    }
    expr += '\n';  // as a `|` block ends: the written file reads back unchanged
    Rule r = Alert(b.alert, std::move(expr), spec, b.page, Millis(b.page ? 120'000 : 900'000));
    const double long_hours = ParseDuration(b.long_window)->count() / 3.6e6;
    r.annotations["summary"] = fmt::format(
        "{} SLO {}: error budget burning {}× faster than sustainable", spec.service, spec.name,
        Number(b.burn));
    r.annotations["description"] = fmt::format(
        "{{{{ $value | humanizePercentage }}}} {} over the last {} (and more than {} over the "
        "last {}), against an error budget of {} (objective {}). At this rate {} of the "
        "30-day budget goes every {} and all of it in {}.",
        BadPhrase(spec, false), b.long_window, Percent(b.burn * budget), b.short_window,
        Percent(budget), Percent(spec.objective),
        Percent(b.burn * long_hours / kBudgetPeriodHours), b.long_window,
        Hours(kBudgetPeriodHours / b.burn));
    g.rules.push_back(std::move(r));
  }

  if (spec.HasCritical()) {
    const double crit_objective =
        spec.critical_objective > 0 ? spec.critical_objective : spec.objective;
    const std::string metric = critical_latency ? "slo:sli_error_critical:ratio_rate"
                                                : "slo:sli_error:ratio_rate";
    const std::string threshold = Number(1 - crit_objective);
    std::string expr = fmt::format("{} > {}\nand\n{} > {}", SeriesSelector(metric + "1h", spec),
                                   threshold, SeriesSelector(metric + "5m", spec), threshold);
    if (spec.min_events > 0) {
      expr += fmt::format("\nand\n{} >= {}", SeriesSelector("slo:sli_events:increase1h", spec),
                          spec.min_events);
    }
    expr += '\n';
    Rule r = Alert("SLOCriticalObjectiveBreached", std::move(expr), spec, true, Millis(300'000));
    std::string level = Percent(crit_objective);
    if (critical_latency) {
      level = fmt::format("{} of events within {}", level, Seconds(spec.critical_threshold_seconds));
    }
    r.annotations["summary"] = fmt::format("{} SLO {}: below its critical objective ({})",
                                           spec.service, spec.name, level);
    r.annotations["description"] = fmt::format(
        "{{{{ $value | humanizePercentage }}}} {} over the last hour (and over the last 5m), "
        "more than the {} the critical objective allows.",
        BadPhrase(spec, true), Percent(1 - crit_objective));
    g.rules.push_back(std::move(r));
  }
  return g;
}

std::vector<RuleGroup> GenerateGroups(const std::vector<Spec>& specs) {
  std::vector<RuleGroup> out;
  out.reserve(specs.size());
  for (const Spec& s : specs) out.push_back(GenerateGroup(s));
  return out;
}

Result<std::vector<RuleGroup>> LoadGroups(const std::vector<std::string>& patterns) {
  if (patterns.empty()) return std::vector<RuleGroup>{};
  Result<std::vector<Spec>> specs = LoadSpecFiles(patterns);
  if (!specs.ok()) return specs.status();
  return GenerateGroups(*specs);
}

std::string RuleFileYaml(const std::vector<RuleGroup>& groups, const std::string& header) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "groups" << YAML::Value << YAML::BeginSeq;
  for (const RuleGroup& g : groups) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << g.name;
    if (g.interval.count() > 0) {
      out << YAML::Key << "interval" << YAML::Value << FormatDuration(g.interval);
    }
    out << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq;
    for (const Rule& r : g.rules) {
      const bool alerting = r.kind == Rule::Kind::kAlerting;
      out << YAML::BeginMap << YAML::Key << (alerting ? "alert" : "record") << YAML::Value
          << r.name;
      out << YAML::Key << "expr" << YAML::Value;
      std::string_view expr = r.expr;
      if (expr.find('\n') != std::string_view::npos) {
        out << YAML::Literal;  // `|` adds back the one trailing newline dropped here
        if (expr.ends_with('\n')) expr.remove_suffix(1);
      }
      out << std::string(expr);
      if (r.for_duration.count() > 0) {
        out << YAML::Key << "for" << YAML::Value << FormatDuration(r.for_duration);
      }
      for (const auto& [key, map] : {std::pair{"labels", &r.labels}, {"annotations", &r.annotations}}) {
        if (map->empty()) continue;
        out << YAML::Key << key << YAML::Value << YAML::BeginMap;
        for (const auto& [k, v] : *map) out << YAML::Key << k << YAML::Value << v;
        out << YAML::EndMap;
      }
      out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  std::string text;
  std::istringstream lines(header);
  for (std::string line; std::getline(lines, line);) {
    text += line.empty() ? "#\n" : "# " + line + "\n";
  }
  text += out.c_str();
  text += '\n';
  return text;
}

}  // namespace hw::slo
