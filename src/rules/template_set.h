// The template engine's generic side: values of any shape and sets of named templates.
//
// Alerting rules (template.h) run templates against one fixed data shape. Notification
// templates (Alertmanager's: src/alerting/notify_template.h) need more: structs, lists,
// maps with methods (`.Labels.SortedPairs`, `.Alerts.Firing`, `.CommonLabels.Remove
// .GroupLabels.Names`), `{{ define "name" }}` / `{{ template "name" . }}` across files,
// and HTML-escaped output for email. TemplateValue is that value model; TemplateSet a
// collection of definitions executed against it. Both share the parser and executor
// with template.h, so the syntax and the common functions behave identically.
//
// The notification dialect has Go's builtins (and, or, not, len, index, print, printf,
// println, urlquery, html, eq, ne, lt, le, gt, ge) and Alertmanager's functions
// (toUpper, toLower, title, join, match, reReplaceAll, safeHtml, stringSlice,
// trimSpace, humanize, humanize1024, humanizeDuration, humanizePercentage). Variables:
// `$` (the dot the template was called with), `$x := ...`, `range $i, $e := ...`.
//
// Thread-safety: TemplateValue is immutable once built (shared parts are const);
// a TemplateSet is not safe to modify while executing, and safe to execute
// concurrently once built.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/labels.h"

namespace hw::rules {

struct TemplateSample {
  model::Labels labels;
  double value = 0;
};

struct TemplateValue;

// Methods a value offers to `.Name args...` (looked up before fields and map keys, as
// Go resolves methods of named types first). A method gets the receiver and its
// arguments; an error becomes "error calling <Name>: <message>".
using TemplateMethod =
    std::function<Result<TemplateValue>(const TemplateValue& self, const std::vector<TemplateValue>& args)>;
using TemplateMethods = std::map<std::string, TemplateMethod, std::less<>>;

struct TemplateValue {
  enum class K { kNil, kStr, kNum, kBool, kMap, kSamples, kSample, kList, kObject };
  K k = K::kNil;
  std::string s;
  double n = 0;
  bool b = false;
  std::map<std::string, std::string> map;  // kMap: a string map (label sets)
  std::vector<TemplateSample> samples;     // kSamples: a query result (rules only)
  TemplateSample sample;                   // kSample
  std::shared_ptr<const std::vector<TemplateValue>> list;                  // kList
  std::shared_ptr<const std::map<std::string, TemplateValue>> fields;     // kObject
  const TemplateMethods* methods = nullptr;  // static tables; may be null
  bool safe_html = false;  // printed unescaped in HTML output (safeHtml)

  static TemplateValue Str(std::string v) { TemplateValue x; x.k = K::kStr; x.s = std::move(v); return x; }
  static TemplateValue Num(double v) { TemplateValue x; x.k = K::kNum; x.n = v; return x; }
  static TemplateValue Bool(bool v) { TemplateValue x; x.k = K::kBool; x.b = v; return x; }
  static TemplateValue Map(std::map<std::string, std::string> m, const TemplateMethods* methods = nullptr) {
    TemplateValue x;
    x.k = K::kMap;
    x.map = std::move(m);
    x.methods = methods;
    return x;
  }
  static TemplateValue List(std::vector<TemplateValue> items, const TemplateMethods* methods = nullptr) {
    TemplateValue x;
    x.k = K::kList;
    x.list = std::make_shared<const std::vector<TemplateValue>>(std::move(items));
    x.methods = methods;
    return x;
  }
  static TemplateValue Object(std::map<std::string, TemplateValue> f, const TemplateMethods* methods = nullptr) {
    TemplateValue x;
    x.k = K::kObject;
    x.fields = std::make_shared<const std::map<std::string, TemplateValue>>(std::move(f));
    x.methods = methods;
    return x;
  }
  // A field of a kObject, or null.
  const TemplateValue* Field(std::string_view name) const;
};

namespace tmpl {
struct Node;
}

// Named templates defined with {{ define }}, as one Go template set: later definitions
// of a name replace earlier ones, so user files loaded after the defaults override them.
class TemplateSet {
 public:
  // Parses `text` (a file's contents; `name` appears in errors) and adds its
  // definitions. Text outside definitions is ignored, as Go ignores it when a file only
  // defines templates. On error nothing is added.
  Status Add(std::string_view name, std::string_view text);
  bool Has(std::string_view name) const;

  // Parses `text` (a config field such as `title: '{{ template "x" . }}'`) and runs it
  // with `dot`, able to call this set's templates. `html` escapes every printed value
  // that is not marked safe (html/template's escaping for element content and quoted
  // attributes).
  Result<std::string> ExecuteText(std::string_view text, const TemplateValue& dot,
                                  bool html = false) const;
  Result<std::string> ExecuteNamed(std::string_view name, const TemplateValue& dot,
                                   bool html = false) const;

 private:
  std::map<std::string, std::shared_ptr<const tmpl::Node>, std::less<>> defs_;
};

}  // namespace hw::rules
