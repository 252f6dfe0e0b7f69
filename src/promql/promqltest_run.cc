// Running parsed PromQL test scripts against a fresh tsdb::Head per `clear`.
#include <fstream>
#include <regex>
#include <sstream>

#include "promql/engine.h"
#include "promql/parser.h"
#include "promql/promqltest.h"
#include "promql/promqltest_compare.h"
#include "promql/promqltest_internal.h"
#include "promql/str_cat.h"
#include "tsdb/head.h"

namespace hw::promql {
namespace {

using namespace testdsl;  // NOLINT

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

class Runner {
 public:
  explicit Runner(const PromqlTestOptions& o) : opts_(o), engine_(MakeOptions(o)) { Clear(); }

  static EngineOptions MakeOptions(const PromqlTestOptions& o) {
    EngineOptions e;
    e.lint_hints = false;
    e.v2_semantics = o.v2;
    e.delayed_name_removal = !o.v2;
    return e;
  }

  void Clear() {
    head_ = std::make_unique<tsdb::Head>();
    special_.clear();
  }

  std::string Load(const LoadCmd& l) {
    auto app = head_->NewAppender();
    for (const model::Labels& st : l.st_series) special_.push_back({st, "start timestamps"});
    // A series given twice keeps its last definition (as Prometheus' loader does).
    std::vector<const SeriesLine*> lines;
    for (const SeriesLine& s : l.series) {
      bool replaced = false;
      for (auto*& p : lines) {
        if (p->labels == s.labels) {
          p = &s;
          replaced = true;
        }
      }
      if (!replaced) lines.push_back(&s);
    }
    for (const SeriesLine* sp : lines) {
      const SeriesLine& s = *sp;
      if (s.histogram) {
        special_.push_back({s.labels, "native histograms"});
        continue;
      }
      for (std::size_t i = 0; i < s.slots.size(); ++i) {
        const Slot& slot = s.slots[i];
        if (slot.kind == Slot::Kind::kMissing) continue;
        double v = slot.kind == Slot::Kind::kStale ? model::kStaleNaN : slot.v;
        auto r = app->Append(s.labels, static_cast<std::int64_t>(i) * l.interval_ms, v);
        if (!r.ok()) return r.status().message();
      }
      if (l.with_nhcb) {
        std::string_view name = s.labels.MetricName();
        for (std::string_view suffix : {"_bucket", "_count", "_sum"}) {
          if (!EndsWith(name, suffix)) continue;
          std::string base(name.substr(0, name.size() - suffix.size()));
          special_.push_back({model::LabelsBuilder(s.labels).Del("le").Set(model::kMetricName, base).Build(),
                              "native histograms (NHCB)"});
        }
      }
    }
    Status st = app->Commit();
    return st.ok() ? "" : st.message();
  }

  CaseResult Eval(const EvalCmd& e) {
    CaseResult r;
    r.line = e.line;
    r.query = e.query;
    auto skip = [&](std::string why) {
      r.status = CaseStatus::kSkipped;
      r.message = std::move(why);
      return r;
    };
    if (e.uses_histogram_literal) return skip("expects native histograms");
    ParseOptions plain;
    plain.legacy_functions = opts_.v2;
    ParseOptions all = ParseOptions::AllEnabled();
    all.legacy_functions = opts_.v2;
    auto p_plain = ParseExpr(e.query, plain);
    auto p_all = ParseExpr(e.query, all);
    if (!p_plain.ok() && (p_all.ok() || p_all.status().message() != p_plain.status().message())) {
      return skip("needs an experimental feature");
    }
    if (p_all.ok()) {
      std::string why;
      Walk(**p_all, [&](const Expr& x) {
        auto* vs = x.As<VectorSelector>();
        if (vs == nullptr || !why.empty()) return;
        for (const auto& [labels, reason] : special_) {
          bool all_match = true;
          for (const model::Matcher& m : vs->matchers) {
            all_match = all_match && m.Matches(labels.Get(m.name()));
          }
          if (all_match) why = StrCat("reads a series that needs ", reason);
        }
      });
      if (!why.empty()) return skip(why);
    }
    if (!e.parse_error.empty()) return Fail(r, StrCat("cannot parse expectations: ", e.parse_error));
    Result<QueryResult> res = e.range ? engine_.Range(*head_, e.query, e.start, e.end, e.step)
                                      : engine_.Instant(*head_, e.query, e.at);
    std::string diff = CheckResult(e, res);
    if (!diff.empty()) return Fail(r, diff);
    if (!e.range && res.ok()) diff = CheckAsRange(e, *res);
    if (!diff.empty()) return Fail(r, StrCat("re-run as a range query: ", diff));
    return r;
  }

  // Prometheus' implicit check: an instant eval re-run as a range query from t-1m to
  // t+1m every 1m must give the same vector at t.
  std::string CheckAsRange(const EvalCmd& e, const QueryResult& instant) {
    if (e.fail || e.ordered || e.str || e.range_vector) return "";
    for (const char* fn : {"start()", "end()", "range()", "step()"}) {
      if (e.query.find(fn) != std::string::npos) return "";
    }
    const QueryValue& iv = instant.value;
    if (iv.type != ValueType::kVector && iv.type != ValueType::kScalar) return "";
    auto rr = engine_.Range(*head_, e.query, e.at - 60000, e.at + 60000, 60000);
    if (!rr.ok()) return rr.status().message();
    std::vector<VectorSample> mid;
    for (const MatrixSeries& m : rr->value.matrix) {
      for (const Point& p : m.points) {
        if (p.t == e.at) mid.push_back({m.metric, p.t, p.v});
      }
    }
    if (iv.type == ValueType::kScalar) {
      if (mid.size() != 1 || !AlmostEqual(mid[0].v, iv.scalar)) return "scalar differs";
      return "";
    }
    if (mid.size() != iv.vector.size()) {
      return StrCat(std::to_string(mid.size()), " series at t instead of ",
                    std::to_string(iv.vector.size()));
    }
    for (const VectorSample& want : iv.vector) {
      bool found = false;
      for (const VectorSample& got : mid) {
        found = found || (got.metric == want.metric && AlmostEqual(got.v, want.v));
      }
      if (!found) return StrCat("series ", want.metric.ToString(), " differs or is missing");
    }
    return "";
  }

  static CaseResult Fail(CaseResult r, std::string msg) {
    r.status = CaseStatus::kFailed;
    r.message = std::move(msg);
    return r;
  }

 private:
  PromqlTestOptions opts_;
  Engine engine_;
  std::unique_ptr<tsdb::Head> head_;
  std::vector<std::pair<model::Labels, std::string>> special_;  // series we cannot load
};

}  // namespace

FileReport RunPromqlTestScript(std::string_view name, std::string_view content,
                               const PromqlTestOptions& options) {
  FileReport rep;
  rep.file = std::string(name);
  Runner runner(options);
  bool skip_file = EndsWith(name, "type_and_unit.test");
  for (const Command& c : ParseScript(content)) {
    switch (c.kind) {
      case Command::Kind::kClear:
        runner.Clear();
        break;
      case Command::Kind::kLoad: {
        std::string err = runner.Load(c.load);
        if (!err.empty()) {
          rep.cases.push_back({c.line, "load", CaseStatus::kFailed, StrCat("cannot load: ", err)});
        }
        break;
      }
      case Command::Kind::kError:
        rep.cases.push_back({c.line, "", CaseStatus::kFailed, c.error});
        break;
      case Command::Kind::kEval:
        if (skip_file) {
          rep.cases.push_back({c.line, c.eval.query, CaseStatus::kSkipped,
                               "needs the type-and-unit-labels feature"});
        } else {
          rep.cases.push_back(runner.Eval(c.eval));
        }
        break;
    }
  }
  for (const CaseResult& r : rep.cases) {
    if (r.status == CaseStatus::kPassed) ++rep.passed;
    if (r.status == CaseStatus::kFailed) ++rep.failed;
    if (r.status == CaseStatus::kSkipped) ++rep.skipped;
  }
  return rep;
}

Result<FileReport> RunPromqlTestFile(const std::string& path, const PromqlTestOptions& options) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(StrCat("cannot open test file ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return RunPromqlTestScript(path, ss.str(), options);
}

}  // namespace hw::promql
