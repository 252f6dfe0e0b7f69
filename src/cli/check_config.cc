// check-config: validates config files and the rule files they name, then lints the
// rules (rules/lint.h), optionally against a running server's series.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/live_source.h"
#include "config/config.h"
#include "dashboards/dashboard.h"
#include "rules/lint.h"
#include "rules/manager.h"
#include "slo/recorder.h"
#include "slo/rules.h"

namespace hw::cli {

int CheckConfig(const CheckConfigOptions& options) {
  std::unique_ptr<HttpLiveSource> live;
  if (!options.lint_live_url.empty()) {
    live = std::make_unique<HttpLiveSource>(options.lint_live_url, options.token);
    if (Status s = live->Connect(); !s.ok()) {
      fmt::print(stderr, "hastewatch: --lint-live: {}\n", s.message());
      return 1;
    }
  }
  int failed = 0;
  for (const std::string& file : options.files) {
    Result<config::Config> cfg = config::LoadConfigFile(file);
    // A config is valid only if every rule file it names loads.
    Result<std::vector<rules::RuleFile>> rule_files = std::vector<rules::RuleFile>{};
    if (cfg.ok()) {
      rule_files = rules::LoadRuleFiles(cfg->rule_files);
      if (!rule_files.ok()) cfg = rule_files.status();
    }
    // ... and every SLO file: its generated rules are linted with the others.
    if (cfg.ok()) {
      Result<std::vector<rules::RuleGroup>> slo_groups = slo::LoadGroups(cfg->slos);
      if (!slo_groups.ok()) {
        cfg = slo_groups.status();
      } else if (!slo_groups->empty()) {
        rule_files->push_back(rules::RuleFile{"(generated from slos)", std::move(slo_groups).value()});
      }
    }
    // ... and every dashboard file: its structure here, its queries as lint findings.
    std::vector<dashboards::Dashboard> dashboard_files;
    if (cfg.ok() && cfg->dashboards_configured) {
      Result<std::vector<dashboards::Dashboard>> loaded = dashboards::LoadDashboardFiles(cfg->dashboards);
      if (!loaded.ok()) cfg = loaded.status();
      else dashboard_files = std::move(loaded).value();
    }
    if (!cfg.ok()) {
      ++failed;
      fmt::print(stderr, "{}\n", cfg.status().message());
      fmt::print(stderr, "{}: invalid\n", file);
      continue;
    }
    int errors = 0, warnings = 0;
    for (const rules::Finding& f : rules::LintRuleFiles(*rule_files, live.get())) {
      (f.severity == rules::Severity::kError ? errors : warnings)++;
      fmt::print(stderr, "{}\n", f.ToString());
    }
    // Dashboard findings read like the rules' ("<file>: error: <where>: <what>").
    for (const dashboards::Dashboard& d : dashboard_files) {
      auto print = [&d](std::string_view severity, const std::string& m) {
        std::string_view rest(m);
        if (rest.starts_with(d.file + ": ")) rest.remove_prefix(d.file.size() + 2);
        fmt::print(stderr, "{}: {}: {}\n", d.file, severity, rest);
      };
      for (const std::string& e : d.query_errors) {
        ++errors;
        print("error", e);
      }
      for (const std::string& w : d.warnings) {
        ++warnings;
        print("warning", w);
      }
    }
    // SLOs reaching past the TSDB's retention: notes (not warnings, --strict passes),
    // their budgets and reviews read the SLO history the server records.
    if (Result<std::vector<slo::Spec>> specs = slo::LoadSpecFiles(cfg->slos); specs.ok()) {
      for (const slo::Spec& spec : *specs) {
        const std::string note = slo::RetentionNote(spec, cfg->storage.tsdb.retention_time.count());
        if (note.empty()) continue;
        fmt::print(stderr, "{}:{}:{}: note: {}\n", spec.file, spec.line, spec.column, note);
      }
    }
    bool fails = errors > 0 || (options.strict && warnings > 0);
    if (fails) ++failed;
    std::string counts;
    if (errors + warnings > 0) {
      counts = fmt::format(" ({} lint error{}, {} warning{})", errors, errors == 1 ? "" : "s",
                           warnings, warnings == 1 ? "" : "s");
    }
    fmt::print(fails ? stderr : stdout, "{}: {}{}\n", file, fails ? "invalid" : "valid", counts);
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace hw::cli
