// label_replace, label_join, absent, absent_over_time.
#include <re2/re2.h>

#include <memory>

#include "base/utf8.h"
#include "promql/functions_impl.h"
#include "promql/str_cat.h"

namespace hw::promql {
namespace {

bool ValidLabelName(Evaluator& ev, std::string_view name) {
  if (ev.delayed() || !ev.q().opts->v2_semantics) {
    return !name.empty() && ValidUtf8(name);
  }
  return model::IsValidLabelName(name);
}

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Go's regexp.Expand: $1, ${1}, $name, ${name}, $$.
std::string Expand(std::string_view tmpl, const RE2& re, const std::vector<re2::StringPiece>& groups) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != '$' || i + 1 >= tmpl.size()) {
      out.push_back(tmpl[i]);
      continue;
    }
    if (tmpl[i + 1] == '$') {
      out.push_back('$');
      ++i;
      continue;
    }
    std::string_view name;
    std::size_t next;
    if (tmpl[i + 1] == '{') {
      std::size_t close = tmpl.find('}', i + 2);
      if (close == std::string_view::npos) {
        out.push_back('$');
        continue;
      }
      name = tmpl.substr(i + 2, close - i - 2);
      next = close;
    } else {
      std::size_t j = i + 1;
      while (j < tmpl.size() && IsWordChar(tmpl[j])) ++j;
      name = tmpl.substr(i + 1, j - i - 1);
      next = j - 1;
    }
    bool valid = !name.empty();
    for (char c : name) valid = valid && IsWordChar(c);
    if (!valid) {
      out.push_back('$');
      continue;
    }
    i = next;
    bool digits = true;
    for (char c : name) digits = digits && c >= '0' && c <= '9';
    int idx = -1;
    if (digits) {
      idx = name.size() < 9 ? std::stoi(std::string(name)) : -1;
    } else {
      auto it = re.NamedCapturingGroups().find(std::string(name));
      if (it != re.NamedCapturingGroups().end()) idx = it->second;
    }
    if (idx >= 0 && idx < static_cast<int>(groups.size()) && groups[idx].data() != nullptr) {
      out.append(groups[idx].data(), groups[idx].size());
    }
  }
  return out;
}

Value Relabelled(Evaluator& ev, Value v) {
  Evaluator::RemoveEmpty(&v.series);
  Evaluator::MergeSameLabels(&v.series);
  return v;
}

Value LabelReplace(Evaluator& ev, const Call&, std::vector<Value>& a) {
  const std::string& dst = a[1].str;
  const std::string& repl = a[2].str;
  const std::string& src = a[3].str;
  const std::string& pattern = a[4].str;
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_dot_nl(!ev.q().opts->v2_semantics);
  RE2 re(StrCat("^(?:", pattern, ")$"), opts);
  if (!re.ok()) ThrowExec(StrCat("invalid regular expression in label_replace(): ", pattern));
  if (!ValidLabelName(ev, dst)) {
    ThrowExec(StrCat("invalid destination label name in label_replace(): ", dst));
  }
  std::vector<re2::StringPiece> groups(re.NumberOfCapturingGroups() + 1);
  for (StepSeries& s : a[0].series) {
    std::string_view value = s.metric.Get(src);
    re2::StringPiece input(value.data(), value.size());
    if (!re.Match(input, 0, input.size(), RE2::UNANCHORED, groups.data(),
                  static_cast<int>(groups.size()))) {
      continue;
    }
    std::string res = Expand(repl, re, groups);
    s.metric = model::LabelsBuilder(s.metric).Set(dst, res).Build();
    if (dst == model::kMetricName) s.drop_name = false;
  }
  return Relabelled(ev, std::move(a[0]));
}

Value LabelJoin(Evaluator& ev, const Call&, std::vector<Value>& a) {
  const std::string& dst = a[1].str;
  const std::string& sep = a[2].str;
  if (!ValidLabelName(ev, dst)) ThrowExec(StrCat("invalid destination label name in label_join(): ", dst));
  for (std::size_t k = 3; k < a.size(); ++k) {
    if (!ValidLabelName(ev, a[k].str)) ThrowExec(StrCat("invalid source label name in label_join(): ", a[k].str));
  }
  for (StepSeries& s : a[0].series) {
    std::string joined;
    for (std::size_t k = 3; k < a.size(); ++k) {
      if (k > 3) joined += sep;
      joined += s.metric.Get(a[k].str);
    }
    s.metric = model::LabelsBuilder(s.metric).Set(dst, joined).Build();
    if (dst == model::kMetricName) s.drop_name = false;
  }
  return Relabelled(ev, std::move(a[0]));
}

model::Labels AbsentLabels(const Expr& arg) {
  const VectorSelector* vs = arg.As<VectorSelector>();
  if (auto* ms = arg.As<MatrixSelector>()) vs = ms->selector.get();
  if (vs == nullptr) return model::Labels();
  model::LabelsBuilder b;
  std::vector<std::string> has;
  for (const model::Matcher& m : vs->matchers) {
    if (m.name() == model::kMetricName) continue;
    bool seen = std::find(has.begin(), has.end(), m.name()) != has.end();
    if (m.type() == model::MatchType::kEqual && !seen) {
      b.Set(m.name(), m.value());
      has.push_back(m.name());
    } else {
      b.Del(m.name());
    }
  }
  return b.Build();
}

Value AbsentOf(Evaluator& ev, const Call& c, const std::vector<StepSeries>& in) {
  StepSeries out = ev.NewSeries(AbsentLabels(*c.args[0]));
  std::fill(out.v.begin(), out.v.end(), 1.0);
  for (const StepSeries& s : in) {
    for (std::size_t i = 0; i < s.v.size(); ++i) {
      if (IsPresent(s.v[i])) out.v[i] = kAbsent;
    }
  }
  Value v;
  v.type = ValueType::kVector;
  v.series.push_back(std::move(out));
  Evaluator::RemoveEmpty(&v.series);
  return v;
}

Value Absent(Evaluator& ev, const Call& c, std::vector<Value>& a) {
  return AbsentOf(ev, c, a[0].series);
}

Value AbsentOverTime(Evaluator& ev, const Call& c, std::vector<Value>& a) {
  auto present = ev.MapWindows(a[0].range, [](const model::Sample*, std::size_t n, const WindowInfo&) {
    return n > 0 ? 1.0 : kAbsent;
  });
  return AbsentOf(ev, c, present);
}

}  // namespace

void RegisterLabelFunctions(FuncMap& m) {
  m["label_replace"] = LabelReplace;
  m["label_join"] = LabelJoin;
  m["absent"] = Absent;
  m["absent_over_time"] = AbsentOverTime;
}

}  // namespace hw::promql
