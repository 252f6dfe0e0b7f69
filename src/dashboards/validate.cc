// ParseDashboard: a dashboard file's JSON checked against the shape dashboard.h
// describes, collecting every problem with its JSON path.
#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "base/units.h"
#include "dashboards/dashboard.h"
#include "promql/parser.h"

namespace hw::dashboards {
namespace {

using rapidjson::Value;

constexpr std::string_view kPanelTypes[] = {"timeseries", "stat", "gauge", "table", "bar"};
// The UI's units (ui/src/units.ts): seconds, bytes, percent (0-100), percentunit
// (0-1), rates and plain numbers.
constexpr std::string_view kUnits[] = {"seconds", "bytes", "percent", "percentunit",
                                       "req/s",   "ops/s", "short"};

template <std::size_t N>
std::string OneOf(const std::string_view (&names)[N]) {
  std::string out;
  for (std::string_view n : names) out += fmt::format("{}\"{}\"", out.empty() ? "" : ", ", n);
  return out;
}

template <std::size_t N>
bool Contains(const std::string_view (&names)[N], std::string_view s) {
  return std::find(std::begin(names), std::end(names), s) != std::end(names);
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string_view TypeName(const Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "a value";
}

// 1-based line and column of a byte offset.
std::pair<int, int> LineColumn(std::string_view text, std::size_t offset) {
  int line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

class Validator {
 public:
  explicit Validator(const std::string& file) : file_(file) {}

  void Dashboard(const Value& root, dashboards::Dashboard* out) {
    if (!root.IsObject()) {
      Error("", fmt::format("expected the dashboard object, got {}", TypeName(root)));
      return;
    }
    Unknown(
        root, "",
        {"title", "description", "time", "refresh", "variables", "panels", "tags", "uid", "id"});
    if (const Value* t = String(root, "", "title", true)) out->title = t->GetString();
    String(root, "", "description", false);
    if (const Value* time = Member(root, "time")) Time(*time, "time");
    if (const Value* r = String(root, "", "refresh", false)) {
      std::string_view s = r->GetString();
      Result<hw::Duration> d = ParseDuration(s);
      if (s != "off" && (!d.ok() || d->count() < 1000)) {
        Error("refresh", fmt::format("expected \"off\" or a duration of at least 1s such as "
                                     "\"30s\", got \"{}\"",
                                     s));
      }
    }
    if (const Value* vars = Member(root, "variables")) Variables(*vars);
    const Value* panels = Member(root, "panels");
    if (panels == nullptr) {
      Error("panels", "missing: a dashboard needs a list of panels");
    } else if (!panels->IsArray()) {
      Error("panels", fmt::format("expected an array of panels, got {}", TypeName(*panels)));
    } else {
      if (panels->Empty()) Error("panels", "empty: a dashboard needs at least one panel");
      for (rapidjson::SizeType i = 0; i < panels->Size(); ++i) {
        Panel((*panels)[i], fmt::format("panels[{}]", i), out);
      }
      out->panels = panels->Size();
    }
  }

  std::vector<std::string> errors;
  std::vector<std::string> warnings;

 private:
  void Error(std::string_view path, std::string_view msg) {
    errors.push_back(path.empty() ? fmt::format("{}: {}", file_, msg)
                                  : fmt::format("{}: {}: {}", file_, path, msg));
  }

  static std::string Join(std::string_view path, std::string_view key) {
    return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
  }

  static const Value* Member(const Value& obj, const char* key) {
    auto it = obj.FindMember(key);
    return it == obj.MemberEnd() ? nullptr : &it->value;
  }

  // Grafana-style tolerance: a field this version does not know is ignored, with a
  // warning (a typo such as "tpye" shows up in check-config).
  void Unknown(const Value& obj, std::string_view path,
               std::initializer_list<std::string_view> known) {
    for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
      std::string_view k(it->name.GetString(), it->name.GetStringLength());
      if (std::find(known.begin(), known.end(), k) == known.end()) {
        warnings.push_back(fmt::format("{}: {}: unknown field (ignored)", file_, Join(path, k)));
      }
    }
  }

  const Value* String(const Value& obj, std::string_view path, const char* key, bool required) {
    const Value* v = Member(obj, key);
    if (v == nullptr) {
      if (required) Error(Join(path, key), "missing: expected a non-empty string");
      return nullptr;
    }
    if (!v->IsString()) {
      Error(Join(path, key), fmt::format("expected a string, got {}", TypeName(*v)));
      return nullptr;
    }
    if (required && v->GetStringLength() == 0) {
      Error(Join(path, key), "must not be empty");
      return nullptr;
    }
    return v;
  }

  void Time(const Value& v, const std::string& path) {
    if (!v.IsObject()) {
      Error(path,
            fmt::format("expected an object {{\"from\": \"now-1h\", \"to\": \"now\"}}, got {}",
                        TypeName(v)));
      return;
    }
    Unknown(v, path, {"from", "to"});
    for (const char* key : {"from", "to"}) {
      const Value* s = String(v, path, key, true);
      if (s == nullptr) continue;
      std::string_view t = s->GetString();
      bool ok = t == "now" || (t.starts_with("now-") && ParseDuration(t.substr(4)).ok()) ||
                (!t.empty() && std::all_of(t.begin(), t.end(), [](char c) {
                  return std::isdigit(static_cast<unsigned char>(c));
                }));
      if (!ok) {
        Error(Join(path, key),
              fmt::format("expected \"now\", \"now-<duration>\" (e.g. \"now-6h\") or "
                          "epoch milliseconds, got \"{}\"",
                          t));
      }
    }
  }

  void Variables(const Value& v) {
    if (!v.IsArray()) {
      Error("variables", fmt::format("expected an array of variables, got {}", TypeName(v)));
      return;
    }
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      const std::string path = fmt::format("variables[{}]", i);
      const Value& var = v[i];
      if (!var.IsObject()) {
        Error(path, fmt::format("expected an object {{\"name\", \"label\", \"match\"}}, got {}",
                                TypeName(var)));
        continue;
      }
      Unknown(var, path, {"name", "label", "match", "title", "all", "multi", "default"});
      std::string name;
      if (const Value* n = String(var, path, "name", true)) {
        name = n->GetString();
        if (!IsIdentifier(name)) {
          Error(Join(path, "name"), fmt::format("\"{}\" is not a variable name: expected letters, "
                                                "digits and _, not starting with a digit",
                                                name));
        } else if (!variables_.insert(name).second) {
          Error(Join(path, "name"), fmt::format("variable \"{}\" is defined twice", name));
        }
      }
      if (const Value* l = String(var, path, "label", false);
          l != nullptr && !IsIdentifier(l->GetString())) {
        Error(Join(path, "label"), fmt::format("\"{}\" is not a label name", l->GetString()));
      }
      if (const Value* m = String(var, path, "match", false)) {
        std::string sel = Placeholders(m->GetString());
        promql::ParseError pe;
        if (!promql::ParseMetricSelector(sel, &pe).ok()) {
          Error(Join(path, "match"), fmt::format("expected a series selector such as "
                                                 "http_requests_total{{job=\"api\"}}: {}",
                                                 pe.ToString()));
        }
      }
      String(var, path, "title", false);
      for (const char* flag : {"all", "multi"}) {
        if (const Value* a = Member(var, flag); a != nullptr && !a->IsBool()) {
          Error(Join(path, flag), fmt::format("expected true or false, got {}", TypeName(*a)));
        }
      }
      const Value* multi = Member(var, "multi");
      Default(var, path, multi != nullptr && multi->IsTrue());
    }
  }

  // A string; a multi-value variable may also start with several values.
  void Default(const Value& var, const std::string& path, bool multi) {
    const Value* d = Member(var, "default");
    if (d == nullptr || d->IsString()) return;
    const std::string key = Join(path, "default");
    if (!d->IsArray()) {
      Error(key, fmt::format("expected {}, got {}",
                             multi ? "a string or an array of strings" : "a string", TypeName(*d)));
      return;
    }
    if (!multi) {
      Error(key, "a list of values needs \"multi\": true");
      return;
    }
    for (rapidjson::SizeType i = 0; i < d->Size(); ++i) {
      if (!(*d)[i].IsString()) {
        Error(fmt::format("{}[{}]", key, i),
              fmt::format("expected a string, got {}", TypeName((*d)[i])));
      }
    }
  }

  // Every declared variable replaced by ".*" (what "All" selects), to parse-check
  // queries before anyone picks a value.
  std::string Placeholders(std::string_view query) const {
    std::vector<std::pair<std::string, std::string>> values;
    for (const std::string& v : variables_) values.emplace_back(v, ".*");
    return SubstituteVariables(query, values);
  }

  void Number(const Value& obj, const std::string& path, const char* key) {
    if (const Value* v = Member(obj, key); v != nullptr && !v->IsNumber()) {
      Error(Join(path, key), fmt::format("expected a number, got {}", TypeName(*v)));
    }
  }

  void Panel(const Value& p, const std::string& path, dashboards::Dashboard* out) {
    if (!p.IsObject()) {
      Error(path,
            fmt::format("expected a panel object {{\"title\", \"query\"}}, got {}", TypeName(p)));
      return;
    }
    Unknown(p, path,
            {"title", "query", "queries", "type", "unit", "legend", "thresholds", "stack",
             "description", "width", "min", "max", "id", "gridPos"});
    std::string title;
    if (const Value* t = String(p, path, "title", true)) title = t->GetString();
    const std::string named = title.empty() ? path : fmt::format("{} \"{}\"", path, title);
    const Value* query = Member(p, "query");
    const Value* queries = Member(p, "queries");
    if (query != nullptr && queries != nullptr) {
      Error(path, "has both \"query\" and \"queries\": use one");
    } else if (query == nullptr && queries == nullptr) {
      Error(Join(path, "query"),
            "missing: a panel needs \"query\" (or \"queries\": [{\"expr\", \"legend\"}])");
    } else if (query != nullptr) {
      if (const Value* q = String(p, path, "query", true))
        Query(q->GetString(), named, "query", out);
    } else if (!queries->IsArray() || queries->Empty()) {
      Error(Join(path, "queries"),
            fmt::format("expected a non-empty array of {{\"expr\", \"legend\"}}, got {}",
                        queries->IsArray() ? "an empty array" : TypeName(*queries)));
    } else {
      for (rapidjson::SizeType i = 0; i < queries->Size(); ++i) {
        const std::string qpath = fmt::format("{}.queries[{}]", path, i);
        const Value& q = (*queries)[i];
        if (!q.IsObject()) {
          Error(qpath,
                fmt::format("expected an object {{\"expr\", \"legend\"}}, got {}", TypeName(q)));
          continue;
        }
        Unknown(q, qpath, {"expr", "legend"});
        if (const Value* e = String(q, qpath, "expr", true)) {
          Query(e->GetString(), named, fmt::format("queries[{}].expr", i), out);
        }
        String(q, qpath, "legend", false);
      }
    }
    if (const Value* t = String(p, path, "type", false);
        t != nullptr && !Contains(kPanelTypes, t->GetString())) {
      Error(Join(path, "type"), fmt::format("unknown panel type \"{}\": expected one of {}",
                                            t->GetString(), OneOf(kPanelTypes)));
    }
    if (const Value* u = String(p, path, "unit", false);
        u != nullptr && !Contains(kUnits, u->GetString())) {
      Error(Join(path, "unit"),
            fmt::format("unknown unit \"{}\": expected one of {}", u->GetString(), OneOf(kUnits)));
    }
    String(p, path, "legend", false);
    String(p, path, "description", false);
    if (const Value* s = Member(p, "stack"); s != nullptr && !s->IsBool()) {
      Error(Join(path, "stack"), fmt::format("expected true or false, got {}", TypeName(*s)));
    }
    if (const Value* w = Member(p, "width")) {
      if (!w->IsInt() || w->GetInt() < 1 || w->GetInt() > 12) {
        Error(Join(path, "width"),
              w->IsNumber()
                  ? fmt::format("expected a whole number of twelfths from 1 to 12, got {}",
                                w->GetDouble())
                  : fmt::format("expected a number from 1 to 12, got {}", TypeName(*w)));
      }
    }
    Number(p, path, "min");
    Number(p, path, "max");
    if (const Value* th = Member(p, "thresholds")) Thresholds(*th, Join(path, "thresholds"));
  }

  // [80, 90] or [{"value": 80, "color": "#d97706"}].
  void Thresholds(const Value& v, const std::string& path) {
    if (!v.IsArray()) {
      Error(path, fmt::format("expected an array of numbers or {{\"value\", \"color\"}}, got {}",
                              TypeName(v)));
      return;
    }
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      const std::string tpath = fmt::format("{}[{}]", path, i);
      const Value& t = v[i];
      if (t.IsNumber()) continue;
      if (!t.IsObject()) {
        Error(tpath,
              fmt::format("expected a number or {{\"value\", \"color\"}}, got {}", TypeName(t)));
        continue;
      }
      Unknown(t, tpath, {"value", "color"});
      const Value* value = Member(t, "value");
      if (value == nullptr) {
        Error(Join(tpath, "value"), "missing: expected a number");
      } else if (!value->IsNumber()) {
        Error(Join(tpath, "value"), fmt::format("expected a number, got {}", TypeName(*value)));
      }
      String(t, tpath, "color", false);
    }
  }

  void Query(std::string_view expr, const std::string& panel, const std::string& key,
             dashboards::Dashboard* out) {
    promql::ParseError pe;
    if (!promql::ParseExpr(Placeholders(expr), {}, &pe).ok()) {
      out->query_errors.push_back(fmt::format("{}: {}: {}: {}", file_, panel, key, pe.ToString()));
    }
  }

  const std::string& file_;
  std::set<std::string> variables_;
};

}  // namespace

std::string SubstituteVariables(std::string_view query,
                                const std::vector<std::pair<std::string, std::string>>& values) {
  std::string out;
  out.reserve(query.size());
  for (std::size_t i = 0; i < query.size();) {
    if (query[i] == '$' && i + 1 < query.size()) {
      const bool braced = query[i + 1] == '{';
      std::size_t start = i + (braced ? 2 : 1), end = start;
      while (end < query.size() &&
             (std::isalnum(static_cast<unsigned char>(query[end])) || query[end] == '_'))
        ++end;
      std::string_view name = query.substr(start, end - start);
      const bool closed = !braced || (end < query.size() && query[end] == '}');
      auto it = std::find_if(values.begin(), values.end(),
                             [&](const auto& kv) { return kv.first == name; });
      if (!name.empty() && closed && it != values.end()) {
        for (char c : it->second) {
          if (c == '\\' || c == '"') out += '\\';
          out += c;
        }
        i = end + (braced ? 1 : 0);
        continue;
      }
    }
    out += query[i++];
  }
  return out;
}

Result<Dashboard> ParseDashboard(std::string_view json, const std::string& file,
                                 const std::string& id) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    auto [line, col] = LineColumn(json, doc.GetErrorOffset());
    return Status::BadData(fmt::format("{}:{}:{}: invalid JSON: {}", file, line, col,
                                       rapidjson::GetParseError_En(doc.GetParseError())));
  }
  Dashboard out;
  out.id = id;
  out.file = file;
  out.json = std::string(json);
  Validator v(file);
  v.Dashboard(doc, &out);
  if (!v.errors.empty()) {
    std::string all;
    for (const std::string& e : v.errors) all += (all.empty() ? "" : "\n") + e;
    return Status::BadData(all);
  }
  out.warnings = std::move(v.warnings);
  return out;
}

}  // namespace hw::dashboards
