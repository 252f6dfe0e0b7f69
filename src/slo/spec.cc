#include "slo/spec.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "base/glob.h"
#include "base/text_file.h"
#include "config/yaml_reader.h"
#include "promql/parser.h"

namespace hw::slo {
namespace {

using config::JoinPath;
using config::MapReader;
using config::YamlContext;

// "99.9%" or 0.999 -> 0.999. Records an error and returns false otherwise.
bool ReadObjective(YamlContext& ctx, MapReader& r, std::string_view key, double* out) {
  if (!r.Has(key)) return false;
  YAML::Node n = r.Take(key);
  const std::string path = JoinPath(r.path(), key);
  std::string s;
  if (!config::ReadScalarString(ctx, n, path, &s)) return false;
  bool percent = !s.empty() && s.back() == '%';
  std::string number = percent ? s.substr(0, s.size() - 1) : s;
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || errno != 0 || !std::isfinite(v)) {
    ctx.Error(n, path, fmt::format("\"{}\" is not a percentage (99.9%) or a fraction (0.999)", s));
    return false;
  }
  // 99.9 / 100 is 0.9990000000000001; rounding to 12 places gives the double of 0.999.
  if (percent) v = std::round(v / 100 * 1e12) / 1e12;
  if (!(v > 0 && v < 1)) {
    ctx.Error(n, path, fmt::format("\"{}\" must lie strictly between 0% and 100%{}", s,
                                   percent ? "" : " (write 99.9% or 0.999)"));
    return false;
  }
  *out = v;
  return true;
}

// A series selector; records a parse error (positioned at the key) and returns false.
bool ReadSelector(YamlContext& ctx, MapReader& r, std::string_view key, std::string* out) {
  if (!r.Has(key)) return false;
  YAML::Node n = r.Take(key);
  const std::string path = JoinPath(r.path(), key);
  std::string s;
  if (!config::ReadScalarString(ctx, n, path, &s)) return false;
  promql::ParseError err;
  if (!promql::ParseMetricSelector(s, &err).ok()) {
    ctx.Error(n, path, fmt::format("invalid series selector \"{}\": {}", s, err.ToString()));
    return false;
  }
  *out = s;
  return true;
}

bool ReadThreshold(YamlContext& ctx, MapReader& r, std::string_view key, double* seconds) {
  hw::Duration d{0};
  if (!r.Duration(key, &d)) return false;
  if (d.count() <= 0) {
    ctx.Error(r.Take(key), JoinPath(r.path(), key), "must be greater than 0");
    return false;
  }
  *seconds = d.count() / 1000.0;
  return true;
}

void ReadSli(YamlContext& ctx, const YAML::Node& node, const std::string& path, Spec* spec) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  const bool events = r.Has("events"), latency = r.Has("latency");
  if (events == latency) {
    ctx.Error(node, path, "exactly one of events (good or bad, and total) or latency is required");
  }
  if (events) {
    spec->kind = Spec::SliKind::kEvents;
    YAML::Node en = r.Take("events");
    MapReader e(ctx, en, JoinPath(path, "events"));
    if (e.is_map()) {
      const bool has_good = e.Has("good"), has_bad = e.Has("bad");
      ReadSelector(ctx, e, "good", &spec->good);
      ReadSelector(ctx, e, "bad", &spec->bad);
      if (has_good == has_bad) {
        ctx.Error(en, JoinPath(path, "events"), "exactly one of good or bad is required");
      }
      if (!e.Has("total")) ctx.Error(en, JoinPath(path, "events.total"), "required");
      ReadSelector(ctx, e, "total", &spec->total);
      e.Finish();
    }
  }
  if (latency) {
    spec->kind = Spec::SliKind::kLatency;
    YAML::Node ln = r.Take("latency");
    MapReader l(ctx, ln, JoinPath(path, "latency"));
    if (l.is_map()) {
      if (!l.Has("histogram")) ctx.Error(ln, JoinPath(path, "latency.histogram"), "required");
      if (ReadSelector(ctx, l, "histogram", &spec->histogram)) {
        auto m = promql::ParseMetricSelector(spec->histogram);
        auto named = std::find_if(m->begin(), m->end(), [](const model::Matcher& x) {
          return x.name() == "__name__" && x.type() == model::MatchType::kEqual;
        });
        if (named == m->end()) {
          ctx.Error(ln, JoinPath(path, "latency.histogram"), "must name the histogram metric");
        } else if (named->value().ends_with("_bucket") || named->value().ends_with("_count")) {
          ctx.Error(ln, JoinPath(path, "latency.histogram"),
                    fmt::format("name the histogram without its suffix: \"{}\"",
                                named->value().substr(0, named->value().rfind('_'))));
        }
      }
      if (!l.Has("threshold")) ctx.Error(ln, JoinPath(path, "latency.threshold"), "required");
      ReadThreshold(ctx, l, "threshold", &spec->threshold_seconds);
      ReadThreshold(ctx, l, "critical_threshold", &spec->critical_threshold_seconds);
      if (spec->critical_threshold_seconds > 0 &&
          spec->critical_threshold_seconds < spec->threshold_seconds) {
        ctx.Error(ln, JoinPath(path, "latency.critical_threshold"),
                  "must not be below threshold (the critical level is the looser one)");
      }
      l.Finish();
    }
  }
  r.Finish();
}

void ReadSpec(YamlContext& ctx, const YAML::Node& item, const std::string& path,
              std::string_view file, std::vector<Spec>* out) {
  MapReader r(ctx, item, path);
  if (!r.is_map()) return;
  Spec spec;
  spec.file = std::string(file);
  spec.line = item.Mark().line + 1;
  spec.column = item.Mark().column + 1;
  for (auto [key, field] : {std::pair{"service", &spec.service}, {"name", &spec.name}}) {
    if (!r.String(key, field) || field->empty()) {
      ctx.Error(item, JoinPath(path, key), "required");
    } else if (field->find_first_of(" \t\n\"{}") != std::string::npos) {
      ctx.Error(r.Take(key), JoinPath(path, key),
                fmt::format("\"{}\" must not hold spaces, quotes or braces", *field));
    }
  }
  r.String("description", &spec.description);
  if (!r.Has("sli")) ctx.Error(item, JoinPath(path, "sli"), "required");
  ReadSli(ctx, r.Take("sli"), JoinPath(path, "sli"), &spec);
  if (!r.Has("objective")) ctx.Error(item, JoinPath(path, "objective"), "required");
  ReadObjective(ctx, r, "objective", &spec.objective);
  if (ReadObjective(ctx, r, "critical_objective", &spec.critical_objective) &&
      spec.objective > 0 && spec.critical_objective > spec.objective) {
    ctx.Error(r.Take("critical_objective"), JoinPath(path, "critical_objective"),
              "must not be above objective (the critical level is the looser one)");
  }
  if (r.Has("window")) {
    YAML::Node wn = r.Take("window");
    std::string w;
    if (config::ReadScalarString(ctx, wn, JoinPath(path, "window"), &w)) {
      if (w == "calendar_month") {
        spec.window_kind = Spec::WindowKind::kCalendarMonth;
      } else if (Result<hw::Duration> d = ParseDuration(w); !d.ok() || d->count() < 3600'000) {
        ctx.Error(wn, JoinPath(path, "window"),
                  fmt::format("\"{}\" is neither a duration of at least 1h (30d) nor "
                              "calendar_month", w));
      } else {
        spec.window = *d;
      }
    }
  }
  r.Int("min_events", &spec.min_events, 0, std::int64_t{1} << 53);
  r.String("runbook", &spec.runbook);
  if (r.Has("labels")) {
    YAML::Node ln = r.Take("labels");
    MapReader l(ctx, ln, JoinPath(path, "labels"));
    if (l.is_map()) {
      for (const auto& kv : ln) {
        const std::string key = kv.first.Scalar();
        std::string value;
        l.String(key, &value);
        static const std::set<std::string> kReserved = {"slo", "service", "severity", "action"};
        if (kReserved.contains(key)) {
          ctx.Error(kv.first, JoinPath(JoinPath(path, "labels"), key),
                    "is set by the generated rules; choose another label name");
        }
        spec.labels[key] = value;
      }
      l.Finish();
    }
  }
  r.Finish();
  out->push_back(std::move(spec));
}

}  // namespace

std::string Spec::WindowName() const {
  if (window_kind == WindowKind::kCalendarMonth) return "calendar month";
  constexpr std::int64_t kDay = 24LL * 3600 * 1000;  // "30d", not FormatDuration's "4w2d"
  if (window.count() % kDay == 0) return fmt::format("{}d", window.count() / kDay);
  return FormatDuration(window);
}

bool Spec::HasCritical() const {
  return critical_objective > 0 ||
         (kind == SliKind::kLatency && critical_threshold_seconds > 0);
}

std::string LeMatcher(double seconds) {
  std::string v = fmt::format("{}", seconds);  // shortest round-trip form: 0.2, 2
  if (v.find_first_of(".eE") == std::string::npos) {
    return fmt::format("le=~\"{}|{}\\\\.0\"", v, v);
  }
  return fmt::format("le=\"{}\"", v);
}

EventSelectors Selectors(const Spec& spec, bool critical) {
  if (spec.kind == Spec::SliKind::kEvents) return {spec.good, spec.bad, spec.total};
  // x{a="b"} -> x_bucket{a="b",le="0.2"} and x_count{a="b"}.
  const std::string& h = spec.histogram;
  const std::size_t brace = h.find('{');
  std::string name = brace == std::string::npos ? h : h.substr(0, brace);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  std::string inner;
  if (brace != std::string::npos) {
    inner = h.substr(brace + 1, h.rfind('}') - brace - 1);
    while (!inner.empty() && (inner.back() == ' ' || inner.back() == ',')) inner.pop_back();
  }
  const double t = critical && spec.critical_threshold_seconds > 0
                       ? spec.critical_threshold_seconds
                       : spec.threshold_seconds;
  EventSelectors s;
  s.good = fmt::format("{}_bucket{{{}{}{}}}", name, inner, inner.empty() ? "" : ", ", LeMatcher(t));
  s.total = inner.empty() ? name + "_count" : fmt::format("{}_count{{{}}}", name, inner);
  return s;
}

Result<std::vector<Spec>> ParseSpecFile(std::string_view file, std::string_view content) {
  YamlContext ctx{std::string(file)};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(content));
  } catch (const YAML::ParserException& e) {
    ctx.ErrorAt(e.mark, "", fmt::format("invalid YAML: {}", e.msg));
    return Status::BadData(ctx.errors().front());
  }
  std::vector<Spec> specs;
  MapReader top(ctx, root, "");
  if (top.is_map()) {
    if (!top.Has("slos")) ctx.Error(root, "slos", "required: a list of SLOs");
    top.List("slos", [&](const YAML::Node& item, const std::string& path) {
      ReadSpec(ctx, item, path, file, &specs);
    });
    top.Finish();
  }
  std::set<std::string> ids;
  for (const Spec& s : specs) {
    if (!s.service.empty() && !s.name.empty() && !ids.insert(s.Id()).second) {
      ctx.Error(root, "slos", fmt::format("{}:{}: SLO \"{}\" of service \"{}\" is defined twice",
                                          s.line, s.column, s.name, s.service));
    }
  }
  if (!ctx.ok()) {
    std::string all;
    for (const std::string& e : ctx.errors()) {
      if (!all.empty()) all += '\n';
      all += e;
    }
    return Status::BadData(all);
  }
  return specs;
}

Result<std::vector<Spec>> LoadSpecFile(const std::string& path) {
  Result<std::string> text = ReadTextFile(path, "SLO file");
  if (!text.ok()) return text.status();
  return ParseSpecFile(path, *text);
}

Result<std::vector<Spec>> LoadSpecFiles(const std::vector<std::string>& patterns) {
  std::vector<Spec> all;
  Status s = LoadGlobbedFiles(patterns, "slos: ", [&all](const std::string& path) -> Status {
    Result<std::vector<Spec>> f = LoadSpecFile(path);
    if (!f.ok()) return f.status();
    std::string duplicates;
    for (Spec& spec : *f) {
      auto dup = std::find_if(all.begin(), all.end(),
                              [&](const Spec& o) { return o.Id() == spec.Id(); });
      if (dup != all.end()) {
        duplicates += fmt::format("{}{}:{}:{}: SLO \"{}\" of service \"{}\" is already defined at {}:{}:{}",
                                  duplicates.empty() ? "" : "\n", spec.file, spec.line, spec.column,
                                  spec.name, spec.service, dup->file, dup->line, dup->column);
        continue;
      }
      all.push_back(std::move(spec));
    }
    if (!duplicates.empty()) return Status::BadData(duplicates);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return all;
}

}  // namespace hw::slo
