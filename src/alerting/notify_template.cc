#include "alerting/notify_template.h"

#include <glob.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "model/alert.h"

namespace hw::alerting {
namespace {

using V = rules::TemplateValue;

// ---- methods of the data's types ----------------------------------------------------

std::vector<std::string> StringsOf(const V& v) {
  std::vector<std::string> out;
  if (v.k == V::K::kList) {
    for (const V& x : *v.list) out.push_back(x.k == V::K::kStr ? x.s : "");
  } else if (v.k == V::K::kStr) {
    out.push_back(v.s);
  }
  return out;
}

V PairsNames(const V& self);
V PairsValues(const V& self);

// template.Pairs: a list of {Name, Value} with .Names and .Values.
const rules::TemplateMethods& PairsMethods() {
  static const rules::TemplateMethods m = {
      {"Names", [](const V& self, const std::vector<V>&) -> Result<V> { return PairsNames(self); }},
      {"Values", [](const V& self, const std::vector<V>&) -> Result<V> { return PairsValues(self); }},
  };
  return m;
}

V PairsPart(const V& self, const char* field) {
  std::vector<V> out;
  for (const V& p : *self.list) {
    const V* f = p.Field(field);
    out.push_back(f ? *f : V::Str(""));
  }
  return V::List(std::move(out));
}
V PairsNames(const V& self) { return PairsPart(self, "Name"); }
V PairsValues(const V& self) { return PairsPart(self, "Value"); }

const rules::TemplateMethods& KvMethods();

V Kv(std::map<std::string, std::string> m) { return V::Map(std::move(m), &KvMethods()); }

// template.KV: a string map whose methods come before its keys, as in Alertmanager.
const rules::TemplateMethods& KvMethods() {
  static const rules::TemplateMethods m = {
      {"SortedPairs",
       [](const V& self, const std::vector<V>&) -> Result<V> {
         std::vector<V> pairs;
         for (const auto& [k, v] : self.map) pairs.push_back(V::Object({{"Name", V::Str(k)}, {"Value", V::Str(v)}}));
         return V::List(std::move(pairs), &PairsMethods());
       }},
      {"Names",
       [](const V& self, const std::vector<V>&) -> Result<V> {
         std::vector<V> out;
         for (const auto& kv : self.map) out.push_back(V::Str(kv.first));
         return V::List(std::move(out));
       }},
      {"Values",
       [](const V& self, const std::vector<V>&) -> Result<V> {
         std::vector<V> out;
         for (const auto& kv : self.map) out.push_back(V::Str(kv.second));
         return V::List(std::move(out));
       }},
      {"Remove",
       [](const V& self, const std::vector<V>& args) -> Result<V> {
         if (args.size() != 1) return Status::BadData(fmt::format("want 1 argument, got {}", args.size()));
         std::map<std::string, std::string> out = self.map;
         for (const std::string& k : StringsOf(args[0])) out.erase(k);
         return Kv(std::move(out));
       }},
  };
  return m;
}

V FilterAlerts(const V& self, std::string_view status) {
  std::vector<V> out;
  for (const V& a : *self.list) {
    const V* s = a.Field("Status");
    if (s != nullptr && s->s == status) out.push_back(a);
  }
  return V::List(std::move(out));
}

// template.Alerts: a list with .Firing and .Resolved.
const rules::TemplateMethods& AlertsMethods() {
  static const rules::TemplateMethods m = {
      {"Firing", [](const V& self, const std::vector<V>&) -> Result<V> { return FilterAlerts(self, "firing"); }},
      {"Resolved", [](const V& self, const std::vector<V>&) -> Result<V> { return FilterAlerts(self, "resolved"); }},
  };
  return m;
}

// time.Time: prints as Go does; .Unix, .UnixMilli, .IsZero, .UTC.
const rules::TemplateMethods& TimeMethods() {
  static const rules::TemplateMethods m = {
      // Integers print as Go prints an int64, not as a float ("1.78e+09").
      {"Unix", [](const V& self, const std::vector<V>&) -> Result<V> {
         return V::Str(fmt::format("{}", static_cast<std::int64_t>(std::floor(self.n / 1000))));
       }},
      {"UnixMilli", [](const V& self, const std::vector<V>&) -> Result<V> {
         return V::Str(fmt::format("{}", static_cast<std::int64_t>(self.n)));
       }},
      {"IsZero", [](const V& self, const std::vector<V>&) -> Result<V> { return V::Bool(self.s.starts_with("0001-")); }},
      {"UTC", [](const V& self, const std::vector<V>&) -> Result<V> { return self; }},
  };
  return m;
}

// Go's time.Time.String() in UTC; ms 0 is Go's zero time.
V Time(std::int64_t ms) {
  V v;
  v.k = V::K::kStr;
  v.methods = &TimeMethods();
  v.n = static_cast<double>(ms);
  if (ms == 0) {
    v.s = "0001-01-01 00:00:00 +0000 UTC";
    return v;
  }
  std::int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int frac = static_cast<int>(ms - secs * 1000);
  auto tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  v.s = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (frac != 0) {
    std::string f = fmt::format("{:03}", frac);
    while (f.back() == '0') f.pop_back();
    v.s += "." + f;
  }
  v.s += " +0000 UTC";
  return v;
}

std::map<std::string, std::string> LabelMap(const model::Labels& ls) {
  std::map<std::string, std::string> m;
  for (const auto& l : ls) m[std::string(l.name)] = std::string(l.value);
  return m;
}

// runbook_url as a link: absolute as given, a relative path under the external URL.
std::string RunbookLink(const std::string& runbook, const std::string& external_url) {
  if (runbook.empty() || runbook.find("://") != std::string::npos) return runbook;
  std::string base = external_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + (runbook.front() == '/' ? "" : "/") + runbook;
}

// The entries equal in every map.
std::map<std::string, std::string> Common(const std::vector<std::map<std::string, std::string>>& maps) {
  if (maps.empty()) return {};
  std::map<std::string, std::string> out = maps[0];
  for (std::size_t i = 1; i < maps.size(); ++i) {
    for (auto it = out.begin(); it != out.end();) {
      auto f = maps[i].find(it->first);
      if (f == maps[i].end() || f->second != it->second) {
        it = out.erase(it);
      } else {
        ++it;
      }
    }
  }
  return out;
}

const char* KindName(Notification::Kind k) {
  switch (k) {
    case Notification::Kind::kNormal: return "normal";
    case Notification::Kind::kHeldSummary: return "held_summary";
    case Notification::Kind::kFlapping: return "flapping";
  }
  return "normal";
}

}  // namespace

V NotifyData(const Notification& n) {
  std::vector<V> alerts;
  std::vector<std::map<std::string, std::string>> labels, annotations;
  std::vector<V> runbooks;
  std::set<std::string> seen_runbooks, seen_summaries;
  std::string summary;
  bool firing = false;
  for (const model::Alert& a : n.alerts) {
    bool resolved = a.ResolvedAt(n.now_ms);
    firing = firing || !resolved;
    labels.push_back(LabelMap(a.labels));
    annotations.push_back(a.annotations);
    auto rb = a.annotations.find("runbook_url");
    std::string runbook = RunbookLink(rb == a.annotations.end() ? "" : rb->second, n.external_url);
    if (!runbook.empty() && seen_runbooks.insert(runbook).second) runbooks.push_back(V::Str(runbook));
    auto s = a.annotations.find("summary");
    if (s == a.annotations.end() || s->second.empty()) s = a.annotations.find("description");
    if (s != a.annotations.end() && !s->second.empty() && seen_summaries.insert(s->second).second) {
      summary += (summary.empty() ? "" : "; ") + s->second;
    }
    alerts.push_back(V::Object({
        {"Status", V::Str(resolved ? "resolved" : "firing")},
        {"Labels", Kv(labels.back())},
        {"Annotations", Kv(a.annotations)},
        {"StartsAt", Time(a.starts_at_ms)},
        {"EndsAt", Time(a.ends_at_ms)},
        {"GeneratorURL", V::Str(a.generator_url)},
        {"Fingerprint", V::Str(model::FingerprintHex(model::AlertFingerprint(a.labels)))},
        {"RunbookURL", V::Str(runbook)},
    }));
  }
  return V::Object({
      {"Receiver", V::Str(n.receiver)},
      {"Status", V::Str(firing ? "firing" : "resolved")},
      {"Alerts", V::List(std::move(alerts), &AlertsMethods())},
      {"GroupLabels", Kv(LabelMap(n.group_labels))},
      {"CommonLabels", Kv(Common(labels))},
      {"CommonAnnotations", Kv(Common(annotations))},
      {"ExternalURL", V::Str(n.external_url)},
      {"GroupKey", V::Str(n.group_key)},
      {"Kind", V::Str(KindName(n.kind))},
      {"Note", V::Str(n.note)},
      {"RunbookURLs", V::List(std::move(runbooks))},
      {"Summary", V::Str(summary)},
  });
}

std::shared_ptr<const NotifyTemplates> NotifyTemplates::Defaults() {
  static const std::shared_ptr<const NotifyTemplates> defaults = [] {
    auto t = std::make_shared<NotifyTemplates>();
    Status st = t->Add("default.tmpl", DefaultTemplatesText());
    if (!st.ok()) std::abort();  // the built-in text is tested; a failure is a bug
    return t;
  }();
  return defaults;
}

Result<std::shared_ptr<const NotifyTemplates>> NotifyTemplates::Load(
    const std::vector<std::string>& globs) {
  auto t = std::make_shared<NotifyTemplates>(*Defaults());
  for (const std::string& pattern : globs) {
    glob_t g{};
    int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
    std::vector<std::string> files;
    if (rc == 0) {
      for (std::size_t i = 0; i < g.gl_pathc; ++i) files.emplace_back(g.gl_pathv[i]);
    }
    globfree(&g);
    if (rc != 0 && rc != GLOB_NOMATCH) {
      return Status::BadData(fmt::format("cannot expand template glob {}", pattern));
    }
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) {
      std::ifstream in(f, std::ios::binary);
      if (!in) return Status::BadData(fmt::format("cannot load template file {}: cannot open", f));
      std::stringstream ss;
      ss << in.rdbuf();
      Status st = t->Add(f, ss.str());
      if (!st.ok()) {
        return Status::BadData(fmt::format("cannot load template file {}: {}", f, st.message()));
      }
    }
  }
  return std::shared_ptr<const NotifyTemplates>(std::move(t));
}

Status NotifyTemplates::Add(std::string_view name, std::string_view text) {
  return set_.Add(name, text);
}

Result<std::string> NotifyTemplates::Execute(std::string_view text, const V& data,
                                             bool html) const {
  return set_.ExecuteText(text, data, html);
}

Result<std::string> NotifyTemplates::Execute(std::string_view text, const Notification& n,
                                             bool html) const {
  return set_.ExecuteText(text, NotifyData(n), html);
}

}  // namespace hw::alerting
