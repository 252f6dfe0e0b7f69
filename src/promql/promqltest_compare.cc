// Result comparison for the PromQL test runner.
#include "promql/promqltest_compare.h"

#include <cmath>
#include <limits>
#include <map>
#include <regex>

#include "promql/printer.h"
#include "promql/str_cat.h"

namespace hw::promql::testdsl {
namespace {

std::string Num(double v) { return FormatNumber(v); }

std::string CheckAnnotations(const EvalCmd& e, const QueryResult& r) {
  if (e.want_warn && r.warnings.empty()) return "expected a warning, got none";
  if (e.want_info && r.infos.empty()) return "expected an info annotation, got none";
  for (const char* kind : {"warn", "info"}) {
    const std::vector<std::string>& got = std::string(kind) == "warn" ? r.warnings : r.infos;
    std::vector<const Expectation*> exp;
    bool none = false;
    for (const Expectation& x : e.expects) {
      if (x.kind == kind) exp.push_back(&x);
      if (x.kind == StrCat("no_", kind)) none = true;
    }
    if (none && !got.empty()) return StrCat("expected no ", kind, " annotations, got: ", got[0]);
    if (exp.empty()) continue;
    if (got.empty()) return StrCat("expected ", kind, " annotation, got none");
    auto matches = [](const Expectation& x, const std::string& a) {
      if (x.match.empty()) return true;
      if (x.match == "msg") return a == x.text;
      return std::regex_search(a, std::regex(x.text));
    };
    for (const std::string& a : got) {
      bool ok = false;
      for (const Expectation* x : exp) ok = ok || matches(*x, a);
      if (!ok) return StrCat("unexpected ", kind, " annotation: ", a);
    }
    for (const Expectation* x : exp) {
      bool ok = false;
      for (const std::string& a : got) ok = ok || matches(*x, a);
      if (!ok) return StrCat("expected ", kind, " annotation \"", x->text, "\" not found; got: ", got[0]);
    }
  }
  return "";
}

using Points = std::vector<std::pair<std::int64_t, double>>;

Points ExpectedPoints(const SeriesLine& s, std::int64_t start, std::int64_t step) {
  Points p;
  for (std::size_t i = 0; i < s.slots.size(); ++i) {
    if (s.slots[i].kind == Slot::Kind::kMissing) continue;
    double v = s.slots[i].kind == Slot::Kind::kStale ? model::kStaleNaN : s.slots[i].v;
    p.push_back({start + static_cast<std::int64_t>(i) * step, v});
  }
  return p;
}

std::string CompareMatrix(const std::vector<SeriesLine>& want, const std::vector<MatrixSeries>& got,
                          std::int64_t start, std::int64_t step) {
  std::map<std::string, const MatrixSeries*> by;
  for (const MatrixSeries& m : got) by[m.metric.ToString()] = &m;
  for (std::size_t i = 1; i < got.size(); ++i) {
    if (!(got[i - 1].metric < got[i].metric)) return "matrix result is not sorted by labels";
  }
  for (const SeriesLine& w : want) {
    std::string key = w.labels.ToString();
    Points exp = ExpectedPoints(w, start, step);
    auto it = by.find(key);
    if (it == by.end()) {
      if (exp.empty()) continue;
      std::string have;
      for (const MatrixSeries& m : got) have += StrCat(" ", m.metric.ToString());
      return StrCat("expected series ", key, " not found; got", have.empty() ? " nothing" : have);
    }
    const MatrixSeries& g = *it->second;
    by.erase(it);
    for (std::size_t k = 0; k < std::max(exp.size(), g.points.size()); ++k) {
      if (k >= exp.size()) {
        return StrCat("series ", key, ": unexpected point at t=", std::to_string(g.points[k].t),
                      " value ", Num(g.points[k].v));
      }
      if (k >= g.points.size()) {
        return StrCat("series ", key, ": missing point at t=", std::to_string(exp[k].first),
                      " (want ", Num(exp[k].second), ")");
      }
      if (exp[k].first != g.points[k].t || !AlmostEqual(exp[k].second, g.points[k].v)) {
        return StrCat("series ", key, ": expected ", Num(exp[k].second), " @", std::to_string(exp[k].first),
                      ", got ", Num(g.points[k].v), " @", std::to_string(g.points[k].t));
      }
    }
  }
  if (!by.empty()) return StrCat("unexpected series ", by.begin()->first);
  return "";
}

std::string CompareVector(const EvalCmd& e, const std::vector<VectorSample>& got) {
  std::map<std::string, std::size_t> pos;
  for (std::size_t i = 0; i < got.size(); ++i) {
    std::string key = got[i].metric.ToString();
    if (pos.count(key)) return StrCat("duplicate series in result: ", key);
    pos[key] = i;
  }
  std::size_t matched = 0;
  for (std::size_t i = 0; i < e.series.size(); ++i) {
    const SeriesLine& w = e.series[i];
    std::string key = w.labels.ToString();
    auto it = pos.find(key);
    if (it == pos.end()) {
      std::string have;
      for (const VectorSample& g : got) have += StrCat(" ", g.metric.ToString(), " ", Num(g.v));
      return StrCat("expected series ", key, " not found; got", have.empty() ? " nothing" : have);
    }
    if (w.slots.empty()) return StrCat("expected series ", key, " has no value");
    double want = w.slots[0].kind == Slot::Kind::kStale ? model::kStaleNaN : w.slots[0].v;
    const VectorSample& g = got[it->second];
    if (!AlmostEqual(want, g.v)) {
      return StrCat("series ", key, ": expected ", Num(want), ", got ", Num(g.v));
    }
    if (e.ordered && it->second != i) {
      return StrCat("series ", key, ": expected at position ", std::to_string(i), ", got ",
                    std::to_string(it->second));
    }
    ++matched;
  }
  if (matched != got.size()) {
    for (const VectorSample& g : got) {
      bool found = false;
      for (const SeriesLine& w : e.series) found = found || w.labels == g.metric;
      if (!found) return StrCat("unexpected series ", g.metric.ToString(), " ", Num(g.v));
    }
  }
  return "";
}

}  // namespace

bool AlmostEqual(double a, double b) {
  if (model::IsStaleNaN(a) || model::IsStaleNaN(b)) return model::IsStaleNaN(a) && model::IsStaleNaN(b);
  if (std::isnan(a) && std::isnan(b)) return true;
  if (a == b) return true;
  constexpr double kMinNormal = 2.2250738585072014e-308;
  constexpr double kEps = 1e-6;
  double abs_sum = std::fabs(a) + std::fabs(b);
  double diff = std::fabs(a - b);
  if (a == 0 || b == 0 || abs_sum < kMinNormal) return diff < kEps * kMinNormal;
  return diff / std::min(abs_sum, std::numeric_limits<double>::max()) < kEps;
}

std::string CheckResult(const EvalCmd& e, const Result<QueryResult>& res) {
  if (e.fail) {
    if (res.ok()) return "expected the query to fail, it succeeded";
    const std::string& msg = res.status().message();
    for (const Expectation& x : e.expects) {
      if (x.kind != "fail" || x.match.empty()) continue;
      if (x.match == "msg" && msg != x.text) {
        return StrCat("expected error \"", x.text, "\", got \"", msg, "\"");
      }
      if (x.match == "regex" && !std::regex_search(msg, std::regex(x.text))) {
        return StrCat("expected error matching \"", x.text, "\", got \"", msg, "\"");
      }
    }
    return "";
  }
  if (!res.ok()) return StrCat("unexpected error: ", res.status().message());
  const QueryResult& r = *res;
  if (std::string a = CheckAnnotations(e, r); !a.empty()) return a;
  const QueryValue& v = r.value;
  if (e.str) {
    if (v.type != ValueType::kString) return "expected a string result";
    return v.str == *e.str ? "" : StrCat("expected string \"", *e.str, "\", got \"", v.str, "\"");
  }
  if (e.scalar) {
    if (v.type != ValueType::kScalar) return StrCat("expected scalar ", Num(*e.scalar), ", got ", ValueTypeName(v.type));
    return AlmostEqual(*e.scalar, v.scalar) ? "" : StrCat("expected scalar ", Num(*e.scalar), ", got ", Num(v.scalar));
  }
  if (e.range) {
    if (v.type != ValueType::kMatrix) return "expected a matrix result";
    return CompareMatrix(e.series, v.matrix, e.start, e.step);
  }
  if (e.range_vector) {
    if (v.type != ValueType::kMatrix) return "expected a range vector result";
    return CompareMatrix(e.series, v.matrix, e.rv_start, e.rv_step);
  }
  if (v.type == ValueType::kScalar) {
    if (e.series.empty()) return StrCat("expected an empty result, got scalar ", Num(v.scalar));
    return StrCat("expected a vector, got scalar ", Num(v.scalar));
  }
  if (v.type == ValueType::kMatrix) {
    if (e.series.empty() && v.matrix.empty()) return "";
    return "got a range vector where an instant vector was expected";
  }
  if (v.type != ValueType::kVector) return StrCat("unexpected result type ", ValueTypeName(v.type));
  return CompareVector(e, v.vector);
}

}  // namespace hw::promql::testdsl
