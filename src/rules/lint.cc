// Rule lint (see lint.h): static checks, live checks through a LiveSource, and the
// mapping of expression offsets back to file positions.
#include "rules/lint.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "promql/functions.h"
#include "promql/parse_hints.h"
#include "promql/parser.h"
#include "promql/printer.h"

namespace hw::rules {
namespace {

using promql::Expr;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> out;
  while (true) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    if (nl == std::string_view::npos) return out;
    text.remove_prefix(nl + 1);
  }
}

bool IsBlank(std::string_view s) { return s.find_first_not_of(" \t") == std::string_view::npos; }

// Maps byte offsets of a rule's expression to file positions. The loader keeps only
// where a rule starts, so the expression's text is looked for verbatim after that:
// on one line as a plain or quoted scalar without escapes, or as the lines of a literal
// block scalar (`|`), all at one column. When it is not found (escapes, folding),
// every offset maps to the rule's start.
class ExprLocator {
 public:
  ExprLocator(const std::vector<std::string_view>& file, const Rule& rule)
      : rule_line_(rule.line), rule_column_(rule.column) {
    std::vector<std::string_view> lines = SplitLines(rule.expr);
    while (lines.size() > 1 && IsBlank(lines.back())) lines.pop_back();
    int offset = 0;
    for (std::string_view l : lines) {
      offsets_.push_back(offset);
      offset += static_cast<int>(l.size()) + 1;
    }
    for (std::size_t at = rule.line > 0 ? rule.line - 1 : 0; at < file.size(); ++at) {
      std::optional<std::size_t> col = Match(file, at, lines);
      if (!col) continue;
      line_ = static_cast<int>(at) + 1;
      column_ = static_cast<int>(*col) + 1;
      return;
    }
  }

  // (line, column), both 1-based.
  std::pair<int, int> At(int offset) const {
    if (line_ == 0) return {rule_line_, rule_column_};
    auto it = std::upper_bound(offsets_.begin(), offsets_.end(), offset);
    std::size_t k = static_cast<std::size_t>(it - offsets_.begin()) - 1;
    return {line_ + static_cast<int>(k), column_ + offset - offsets_[k]};
  }

 private:
  static bool Boundary(char c) { return c == ' ' || c == '\t' || c == '"' || c == '\''; }

  // The column at which `lines` start in file line `at` and continue below it.
  static std::optional<std::size_t> Match(const std::vector<std::string_view>& file, std::size_t at,
                                          const std::vector<std::string_view>& lines) {
    std::string_view first = lines[0];
    if (first.empty() || at + lines.size() > file.size()) return std::nullopt;
    std::string_view text = file[at];
    for (std::size_t col = text.find(first); col != std::string_view::npos;
         col = text.find(first, col + 1)) {
      if (col > 0 && !Boundary(text[col - 1])) continue;
      std::string_view rest = text.substr(col + first.size());
      if (!rest.empty() && !Boundary(rest[0]) && rest[0] != '#' && rest[0] != ',' &&
          rest[0] != '}') {
        continue;
      }
      bool all = true;
      for (std::size_t k = 1; k < lines.size() && all; ++k) {
        std::string_view l = file[at + k];
        all = lines[k].empty()
                  ? (l.size() <= col || IsBlank(l))
                  : (l.size() >= col && l.substr(col) == lines[k] && IsBlank(l.substr(0, col)));
      }
      if (all) return col;
    }
    return std::nullopt;
  }

  int rule_line_, rule_column_;
  std::vector<int> offsets_;  // where each line of the expression starts in it
  int line_ = 0;              // file position of the expression's first byte; 0: unknown
  int column_ = 0;
};

// The metric name a selector selects by equality, or "".
std::string SelectorName(const promql::VectorSelector& vs) {
  if (!vs.name.empty()) return vs.name;
  for (const model::Matcher& m : vs.matchers) {
    if (m.name() == model::kMetricName && m.type() == model::MatchType::kEqual) return m.value();
  }
  return "";
}

// The selector as written, without offset and @ (what /api/v1/series is asked).
std::string SelectorText(const promql::VectorSelector& vs) {
  promql::ExprPtr copy = promql::Clone(vs);
  auto* sel = copy->As<promql::VectorSelector>();
  sel->offset = Duration(0);
  sel->offset_expr.reset();
  sel->at = promql::AtModifier{};
  return promql::Format(*sel);
}

std::string FormatLabelSet(const LabelMap& labels) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : labels) {
    std::string quoted;
    model::AppendQuoted(&quoted, v);
    parts.push_back(fmt::format("{}={}", promql::FormatLabelName(k), quoted));
  }
  return fmt::format("{{{}}}", fmt::join(parts, ", "));
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const std::string& n : names) out.push_back(promql::FormatLabelName(n));
  return fmt::format("{}", fmt::join(out, ", "));
}

bool IsPaging(const RuleGroup& g, const Rule& r) {
  LabelMap labels = g.labels;
  for (const auto& [k, v] : r.labels) labels[k] = v;
  auto get = [&labels](const char* k) {
    auto it = labels.find(k);
    return it == labels.end() ? std::string() : it->second;
  };
  std::string severity = get("severity");
  return get("action") == "page" || severity == "critical" || severity == "page";
}

// Splits a LintHints sentence "... : did you mean X?" into message and suggestion.
std::pair<std::string, std::string> SplitHint(const std::string& hint) {
  constexpr std::string_view kMean = "did you mean ";
  std::size_t at = hint.rfind(kMean);
  if (at == std::string::npos) return {hint, ""};
  std::string message = hint.substr(0, at);
  while (!message.empty() && (message.back() == ' ' || message.back() == ':' ||
                              message.back() == ';' || message.back() == ',')) {
    message.pop_back();
  }
  std::string suggestion = hint.substr(at + kMean.size());
  if (!suggestion.empty() && suggestion.back() == '?') suggestion.pop_back();
  return {message, suggestion};
}

bool IsRateFamily(std::string_view f) {
  return f == "rate" || f == "irate" || f == "increase" || f == "resets";
}

// What to use instead of a rate-family function over a gauge.
std::string_view GaugeAlternative(std::string_view f) {
  if (f == "increase") return "delta";
  if (f == "resets") return "changes";
  return "deriv";
}

// ---- live label sets --------------------------------------------------------------

// The label sets an expression can produce (an upper bound drawn from live series);
// nullopt when they cannot be told (label_replace, truncated selectors, ...).
using LabelSets = std::optional<std::vector<LabelMap>>;

LabelMap ToMap(const model::Labels& labels) {
  LabelMap out;
  for (const model::Label& l : labels) out.emplace(l.name, l.value);
  return out;
}

void Dedupe(std::vector<LabelMap>* sets) {
  std::sort(sets->begin(), sets->end());
  sets->erase(std::unique(sets->begin(), sets->end()), sets->end());
}

// The label set two series are matched on (Prometheus' signature).
LabelMap Signature(const LabelMap& l, const promql::VectorMatching& vm) {
  LabelMap out;
  if (vm.on) {
    for (const std::string& n : vm.matching_labels) {
      if (auto it = l.find(n); it != l.end()) out.insert(*it);
    }
    return out;
  }
  out = l;
  out.erase(std::string(model::kMetricName));
  for (const std::string& n : vm.matching_labels) out.erase(n);
  return out;
}

std::set<LabelMap> Signatures(const std::vector<LabelMap>& sets, const promql::VectorMatching& vm) {
  std::set<LabelMap> out;
  for (const LabelMap& l : sets) out.insert(Signature(l, vm));
  return out;
}

// One linting pass over a set of files; caches live answers across rules.
class Linter {
 public:
  Linter(const LiveSource* live, const LintOptions& options) : live_(live), options_(options) {}

  void LintFile(const RuleFile& file, std::vector<Finding>* out) {
    std::string content;
    if (std::ifstream in(file.path, std::ios::binary); in) {
      std::stringstream ss;
      ss << in.rdbuf();
      content = ss.str();
    }
    std::vector<std::string_view> lines = SplitLines(content);
    for (const RuleGroup& g : file.groups) {
      for (const Rule& r : g.rules) {
        ExprLocator loc(lines, r);
        std::vector<Finding> found;
        LintRule(g, r, loc, &found);
        std::stable_sort(found.begin(), found.end(), [](const Finding& a, const Finding& b) {
          return std::tie(a.line, a.column) < std::tie(b.line, b.column);
        });
        for (Finding& f : found) {
          f.file = g.file.empty() ? file.path : g.file;
          f.rule = r.name;
          out->push_back(std::move(f));
        }
      }
    }
  }

 private:
  struct Ctx {
    const ExprLocator* loc;
    std::vector<Finding>* out;
  };

  static void Add(const Ctx& c, int offset, Severity s, std::string message,
                  std::string suggestion = "") {
    Finding f;
    std::tie(f.line, f.column) = c.loc->At(offset);
    f.severity = s;
    f.message = std::move(message);
    f.suggestion = std::move(suggestion);
    c.out->push_back(std::move(f));
  }

  void LintRule(const RuleGroup& g, const Rule& r, const ExprLocator& loc,
                std::vector<Finding>* out) {
    Ctx c{&loc, out};
    if (r.kind == Rule::Kind::kAlerting && IsPaging(g, r)) {
      Finding f;
      f.line = r.line;
      f.column = r.column;
      if (r.for_duration.count() == 0) {
        f.message = "paging alert without \"for\" (or with for: 0s) pages on a single evaluation";
        f.suggestion = "for: 5m";
        out->push_back(f);
      }
      if (!r.annotations.contains("runbook_url")) {
        f.message = "paging alert has no runbook_url annotation";
        f.suggestion = "annotations: {runbook_url: ...}, or runbook: in the guide's alerts form";
        out->push_back(f);
      }
    }
    Result<promql::ExprPtr> parsed = promql::ParseExpr(r.expr);
    if (!parsed.ok()) return;  // the loader reported it
    const Expr& e = **parsed;
    for (const std::string& h : promql::LintHints(e)) {
      auto [message, suggestion] = SplitHint(h);
      Add(c, 0, Severity::kWarning, std::move(message), std::move(suggestion));
    }
    promql::Walk(e, [&](const Expr& n) {
      if (auto* call = n.As<promql::Call>()) CheckRateFamily(c, *call);
    });
    if (live_ == nullptr || live_failed_) return;
    std::set<std::string> seen;
    LiveWalk(c, e, false, &seen);
  }

  // Selectors under absent() are meant to match nothing; they are not reported.
  void LiveWalk(const Ctx& c, const Expr& e, bool in_absent, std::set<std::string>* seen) {
    if (live_failed_) return;
    if (auto* vs = e.As<promql::VectorSelector>()) {
      if (!in_absent && seen->insert(SelectorText(*vs)).second) CheckSelector(c, *vs);
    } else if (auto* b = e.As<promql::BinaryExpr>()) {
      CheckMatching(c, *b);
    } else if (auto* call = e.As<promql::Call>()) {
      in_absent =
          in_absent || call->func->name == "absent" || call->func->name == "absent_over_time";
    }
    for (const Expr* child : promql::Children(e)) LiveWalk(c, *child, in_absent, seen);
  }

  void CheckRateFamily(const Ctx& c, const promql::Call& call) {
    std::string_view f = call.func->name;
    if (!IsRateFamily(f) || call.args.empty()) return;
    auto* ms = call.args[0]->As<promql::MatrixSelector>();
    if (ms == nullptr) return;
    std::string name = SelectorName(*ms->selector);
    if (name.empty()) return;
    std::string type;
    if (live_ != nullptr && !live_failed_) {
      Result<std::string> t = live_->MetricType(name);
      if (!t.ok()) return LiveFailed(c, t.status());
      type = *t;
    }
    std::string alt = fmt::format("{}({})", GaugeAlternative(f), promql::Format(*ms));
    if (type == "gauge") {
      return Add(c, call.pos.start, Severity::kError,
                 fmt::format("{} over {}, which the server's metadata says is a gauge: {} only "
                             "makes sense for counters",
                             f, name, f),
                 alt);
    }
    if (type == "counter" || type == "histogram" || type == "summary" || LooksLikeCounter(name)) {
      return;
    }
    Add(c, call.pos.start, Severity::kWarning,
        fmt::format("{} over {}, whose name does not look like a counter (_total, _count, _sum, "
                    "_bucket)",
                    f, name),
        fmt::format("{} if {} is a gauge; if it is a counter, name it {}_total", alt, name, name));
  }

  void LiveFailed(const Ctx& c, const Status& s) {
    live_failed_ = true;
    Add(c, 0, Severity::kError,
        fmt::format("cannot check against the live server: {}", s.message()));
  }

  // Series of a selector, cached; nullptr after a failure (reported).
  const LiveSource::SeriesSet* Fetch(const Ctx& c, const promql::VectorSelector& vs) {
    std::string key = SelectorText(vs);
    if (auto it = cache_.find(key); it != cache_.end()) return &it->second;
    if (live_failed_) return nullptr;
    Result<LiveSource::SeriesSet> got = live_->Series(vs.matchers, options_.series_limit);
    if (!got.ok()) {
      LiveFailed(c, got.status());
      return nullptr;
    }
    return &cache_.emplace(key, std::move(got).value()).first->second;
  }

  void CheckSelector(const Ctx& c, const promql::VectorSelector& vs) {
    const LiveSource::SeriesSet* got = Fetch(c, vs);
    if (got == nullptr || !got->series.empty()) return;
    std::string text = SelectorText(vs);
    std::string name = SelectorName(vs);
    std::string why;
    if (!name.empty() && vs.matchers.size() > 1) {
      auto by_name = std::make_unique<promql::VectorSelector>();
      by_name->matchers = {model::Matcher::Equal(model::kMetricName, name)};
      const LiveSource::SeriesSet* all = Fetch(c, *by_name);
      if (all == nullptr) return;
      if (all->series.empty()) {
        why = fmt::format(" (no series named {} at all)", name);
      } else {
        why = fmt::format(" ({} has series, but {})", name, WhyNoMatch(vs, all->series));
      }
    } else if (!name.empty()) {
      why = fmt::format(" (no series named {} at all)", name);
    }
    Add(c, vs.pos.start, Severity::kWarning, fmt::format("no series match {}{}", text, why));
  }

  // Which matchers no series of the metric satisfies, with the values seen.
  static std::string WhyNoMatch(const promql::VectorSelector& vs,
                                const std::vector<model::Labels>& series) {
    std::vector<std::string> parts;
    for (const model::Matcher& m : vs.matchers) {
      if (m.name() == model::kMetricName) continue;
      std::set<std::string> values;
      bool any = false;
      for (const model::Labels& l : series) {
        std::string_view v = l.Get(m.name());
        any = any || m.Matches(v);
        if (values.size() < 5) values.emplace(v);
      }
      if (any) continue;
      std::vector<std::string> quoted;
      for (const std::string& v : values) {
        std::string q;
        model::AppendQuoted(&q, v);
        quoted.push_back(v.empty() ? "(unset)" : q);
      }
      parts.push_back(fmt::format("none where {} ({} values seen: {})", m.ToString(),
                                  promql::FormatLabelName(m.name()), fmt::join(quoted, ", ")));
    }
    if (parts.empty()) return "no series matches all the matchers together";
    return fmt::format("{}", fmt::join(parts, "; "));
  }

  // The label sets `e` can produce, from live series.
  LabelSets Sets(const Ctx& c, const Expr& e) {
    using promql::ValueType;
    if (auto* vs = e.As<promql::VectorSelector>()) {
      const LiveSource::SeriesSet* got = Fetch(c, *vs);
      if (got == nullptr || got->truncated) return std::nullopt;
      std::vector<LabelMap> out;
      for (const model::Labels& l : got->series) out.push_back(ToMap(l));
      return out;
    }
    if (auto* ms = e.As<promql::MatrixSelector>()) return Sets(c, *ms->selector);
    if (auto* sq = e.As<promql::SubqueryExpr>()) return Sets(c, *sq->expr);
    if (auto* p = e.As<promql::ParenExpr>()) return Sets(c, *p->expr);
    if (auto* u = e.As<promql::UnaryExpr>()) return Sets(c, *u->expr);
    if (auto* call = e.As<promql::Call>()) return CallSets(c, *call);
    if (auto* agg = e.As<promql::AggregateExpr>()) return AggregateSets(c, *agg);
    if (auto* b = e.As<promql::BinaryExpr>()) return BinarySets(c, *b);
    return std::nullopt;
  }

  LabelSets CallSets(const Ctx& c, const promql::Call& call) {
    std::string_view f = call.func->name;
    if (f == "label_replace" || f == "label_join" || f == "absent" || f == "absent_over_time" ||
        f == "info" || f == "vector" || f == "scalar") {
      return std::nullopt;
    }
    for (const promql::ExprPtr& a : call.args) {
      promql::ValueType t = a->type();
      if (t != promql::ValueType::kVector && t != promql::ValueType::kMatrix) continue;
      LabelSets in = Sets(c, *a);
      if (in && f.starts_with("histogram_")) {
        for (LabelMap& l : *in) l.erase("le");
        Dedupe(&*in);
      }
      return in;
    }
    return std::nullopt;
  }

  LabelSets AggregateSets(const Ctx& c, const promql::AggregateExpr& agg) {
    using promql::AggregateOp;
    if (agg.op == AggregateOp::kCountValues) return std::nullopt;
    LabelSets in = Sets(c, *agg.expr);
    if (!in) return in;
    if (agg.op == AggregateOp::kTopK || agg.op == AggregateOp::kBottomK ||
        agg.op == AggregateOp::kLimitK || agg.op == AggregateOp::kLimitRatio) {
      return in;
    }
    std::vector<LabelMap> out;
    for (const LabelMap& l : *in) {
      LabelMap g;
      if (agg.without) {
        g = l;
        g.erase(std::string(model::kMetricName));
        for (const std::string& n : agg.grouping) g.erase(n);
      } else {
        for (const std::string& n : agg.grouping) {
          if (auto it = l.find(n); it != l.end()) g.insert(*it);
        }
      }
      out.push_back(std::move(g));
    }
    Dedupe(&out);
    return out;
  }

  LabelSets BinarySets(const Ctx& c, const promql::BinaryExpr& b) {
    using promql::ValueType;
    if (!b.matching) {
      // Vector with scalar: the vector's labels.
      if (b.lhs->type() == ValueType::kVector) return Sets(c, *b.lhs);
      if (b.rhs->type() == ValueType::kVector) return Sets(c, *b.rhs);
      return std::nullopt;
    }
    LabelSets l = Sets(c, *b.lhs), r = Sets(c, *b.rhs);
    if (!l || !r) return std::nullopt;
    const promql::VectorMatching& vm = *b.matching;
    if (b.op == promql::BinaryOp::kOr) {
      l->insert(l->end(), r->begin(), r->end());
      Dedupe(&*l);
      return l;
    }
    if (promql::IsSetOp(b.op)) return l;  // and, unless: a subset of the left side
    // Prometheus' resultMetric for each matched pair.
    bool right = vm.card == promql::Cardinality::kOneToMany;
    const std::vector<LabelMap>& many = right ? *r : *l;
    const std::vector<LabelMap>& one = right ? *l : *r;
    std::map<LabelMap, std::vector<const LabelMap*>> by_sig;
    for (const LabelMap& o : one) by_sig[Signature(o, vm)].push_back(&o);
    std::vector<LabelMap> out;
    for (const LabelMap& m : many) {
      auto it = by_sig.find(Signature(m, vm));
      if (it == by_sig.end()) continue;
      for (const LabelMap* o : it->second) {
        // One-to-one keeps only the on() labels or drops the ignoring() ones, which is
        // the signature; group_left/right keep the "many" side's labels.
        LabelMap res = m;
        res.erase(std::string(model::kMetricName));
        if (vm.card == promql::Cardinality::kOneToOne) res = Signature(m, vm);
        for (const std::string& n : vm.include) {
          if (auto v = o->find(n); v != o->end()) {
            res[n] = v->second;
          } else {
            res.erase(n);
          }
        }
        out.push_back(std::move(res));
      }
    }
    Dedupe(&out);
    return out;
  }

  void CheckMatching(const Ctx& c, const promql::BinaryExpr& b) {
    if (!b.matching || b.op == promql::BinaryOp::kOr || b.op == promql::BinaryOp::kUnless) {
      return;
    }
    LabelSets l = Sets(c, *b.lhs), r = Sets(c, *b.rhs);
    if (!l || !r || l->empty() || r->empty()) return;  // empty sides are reported as such
    const promql::VectorMatching& vm = *b.matching;
    std::set<LabelMap> ls = Signatures(*l, vm), rs = Signatures(*r, vm);
    for (const LabelMap& s : ls) {
      if (rs.contains(s)) return;
    }
    std::vector<std::string> names;
    if (vm.on) {
      names = vm.matching_labels;
    } else {
      std::set<std::string> all;
      for (const auto* side : {&ls, &rs}) {
        for (const LabelMap& s : *side) {
          for (const auto& kv : s) all.insert(kv.first);
        }
      }
      names.assign(all.begin(), all.end());
    }
    std::string message = fmt::format(
        "{}: the two sides never match on ({}): left has {}, right has {}", promql::Format(b),
        JoinNames(names), FormatLabelSet(*ls.begin()), FormatLabelSet(*rs.begin()));
    Add(c, b.pos.start, Severity::kWarning, std::move(message), Suggest(b, *l, *r));
  }

  // Matching on the labels both sides always carry, when that would match.
  static std::string Suggest(const promql::BinaryExpr& b, const std::vector<LabelMap>& l,
                             const std::vector<LabelMap>& r) {
    std::optional<std::set<std::string>> common;
    for (const auto* side : {&l, &r}) {
      for (const LabelMap& s : *side) {
        std::set<std::string> names;
        for (const auto& kv : s) {
          if (kv.first != model::kMetricName) names.insert(kv.first);
        }
        if (!common) {
          common = std::move(names);
          continue;
        }
        std::set<std::string> both;
        std::set_intersection(common->begin(), common->end(), names.begin(), names.end(),
                              std::inserter(both, both.end()));
        common = std::move(both);
      }
    }
    if (!common || common->empty()) return "";
    promql::VectorMatching on;
    on.on = true;
    on.matching_labels.assign(common->begin(), common->end());
    std::set<LabelMap> ls = Signatures(l, on), rs = Signatures(r, on);
    bool meets =
        std::any_of(ls.begin(), ls.end(), [&rs](const LabelMap& s) { return rs.contains(s); });
    if (!meets) return "";
    std::string by = JoinNames(on.matching_labels);
    std::string op(promql::BinaryOpString(b.op));
    if (promql::IsComparisonOp(b.op) || promql::IsSetOp(b.op)) {
      return fmt::format("{} {} on ({}) {}", promql::Format(*b.lhs), op, by,
                         promql::Format(*b.rhs));
    }
    return fmt::format("sum by ({}) ({}) {} sum by ({}) ({})", by, promql::Format(*b.lhs), op, by,
                       promql::Format(*b.rhs));
  }

  const LiveSource* live_;
  LintOptions options_;
  bool live_failed_ = false;
  std::map<std::string, LiveSource::SeriesSet> cache_;  // selector text -> series
};

}  // namespace

std::string_view SeverityName(Severity s) { return s == Severity::kError ? "error" : "warning"; }

std::string Finding::ToString() const {
  std::string out = fmt::format("{}:{}:{}: {}: rule \"{}\": {}", file, line, column,
                                SeverityName(severity), rule, message);
  if (!suggestion.empty()) out += fmt::format(" (suggestion: {})", suggestion);
  return out;
}

bool LooksLikeCounter(std::string_view metric) {
  auto counter = [](std::string_view m) {
    return EndsWith(m, "_total") || EndsWith(m, "_count") || EndsWith(m, "_sum") ||
           EndsWith(m, "_bucket");
  };
  if (counter(metric)) return true;
  // level:metric:operations — the metric part keeps its suffix.
  std::size_t first = metric.find(':'), last = metric.rfind(':');
  return first != std::string_view::npos && first != last &&
         counter(metric.substr(first + 1, last - first - 1));
}

std::vector<Finding> LintRuleFiles(const std::vector<RuleFile>& files, const LiveSource* live,
                                   const LintOptions& options) {
  Linter linter(live, options);
  std::vector<Finding> out;
  for (const RuleFile& f : files) linter.LintFile(f, &out);
  return out;
}

}  // namespace hw::rules
