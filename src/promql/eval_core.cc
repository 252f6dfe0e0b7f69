// Evaluator core: dispatch on node kind, limits, annotations, name handling.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "promql/eval.h"
#include "promql/str_cat.h"
#include "promql/time_range.h"

namespace hw::promql {

void ThrowExec(std::string msg) { throw EvalError(Status::Execution(std::move(msg))); }

void QueryState::Check() {
  if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
    throw EvalError(Status::Canceled("query was canceled in expression evaluation"));
  }
  if (std::chrono::steady_clock::now() > deadline) {
    throw EvalError(Status::Timeout("query timed out in expression evaluation"));
  }
}

void QueryState::Add(std::int64_t n) {
  current_samples += n;
  stats.peak_samples = std::max(stats.peak_samples, current_samples);
  if (current_samples > opts->max_samples) {
    throw EvalError(Status::Execution(
        "query processing would load too many samples into memory in query execution"));
  }
}

std::string QueryState::PosText(PosRange pos) const {
  int line = 1;
  int col = 1;
  for (int i = 0; i < pos.start && i < static_cast<int>(query.size()); ++i) {
    if (query[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return StrCat(std::to_string(line), ":", std::to_string(col));
}

void QueryState::Warn(std::string_view msg, PosRange pos) {
  warnings.insert(StrCat("PromQL warning: ", msg, " (", PosText(pos), ")"));
}

void QueryState::Info(std::string_view msg, PosRange pos) {
  infos.insert(StrCat("PromQL info: ", msg, " (", PosText(pos), ")"));
}

Evaluator::Evaluator(QueryState* q, std::int64_t start, std::int64_t end, std::int64_t step)
    : q_(q), start_(start), end_(end), step_(step) {
  n_ = static_cast<std::size_t>((end - start) / step) + 1;
}

namespace {

std::int64_t CountPoints(const Value& v) {
  std::int64_t n = 0;
  for (const StepSeries& s : v.series) {
    for (double x : s.v) n += IsPresent(x) ? 1 : 0;
  }
  for (const RangeSeries& s : v.range.series) n += static_cast<std::int64_t>(s.s.size());
  return n;
}

}  // namespace

Value Evaluator::Eval(const Expr& e) {
  std::int64_t before = q_->current_samples;
  Value v = EvalNode(e);
  q_->current_samples = before;
  q_->Add(CountPoints(v));
  return v;
}

Value Evaluator::EvalNode(const Expr& e) {
  q_->Check();
  switch (e.kind) {
    case ExprKind::kNumberLiteral:
      return Scalar(e.As<NumberLiteral>()->value);
    case ExprKind::kStringLiteral: {
      Value v;
      v.type = ValueType::kString;
      v.str = e.As<StringLiteral>()->value;
      return v;
    }
    case ExprKind::kVectorSelector:
      return EvalVectorSelector(*e.As<VectorSelector>(), false);
    case ExprKind::kMatrixSelector: {
      Value v;
      v.type = ValueType::kMatrix;
      v.range = EvalMatrixSelector(*e.As<MatrixSelector>());
      return v;
    }
    case ExprKind::kSubquery: {
      Value v;
      v.type = ValueType::kMatrix;
      v.range = EvalSubquery(*e.As<SubqueryExpr>());
      return v;
    }
    case ExprKind::kParen:
      return Eval(*e.As<ParenExpr>()->expr);
    case ExprKind::kUnary: {
      const UnaryExpr& u = *e.As<UnaryExpr>();
      Value v = Eval(*u.expr);
      if (u.op == UnaryOp::kPos) return v;
      for (StepSeries& s : v.series) {
        for (double& x : s.v) {
          if (IsPresent(x)) x = -x;
        }
        if (v.type == ValueType::kVector) DropName(s);
      }
      if (v.type == ValueType::kVector && !delayed()) MergeSameLabels(&v.series);
      return v;
    }
    case ExprKind::kBinary:
      return EvalBinary(*e.As<BinaryExpr>());
    case ExprKind::kAggregate:
      return EvalAggregate(*e.As<AggregateExpr>());
    case ExprKind::kCall:
      return EvalCall(*e.As<Call>());
  }
  return Value{};
}

void Evaluator::DropName(StepSeries& s) const {
  if (delayed()) {
    s.drop_name = true;
  } else if (s.metric.Has(model::kMetricName)) {
    s.metric = model::LabelsBuilder(s.metric).Del(model::kMetricName).Build();
  }
}

void Evaluator::MergeSameLabels(std::vector<StepSeries>* series) {
  if (series->size() < 2) return;
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> seen;
  seen.reserve(series->size());
  std::vector<bool> dead(series->size(), false);
  bool any_dead = false;
  for (std::size_t i = 0; i < series->size(); ++i) {
    StepSeries& s = (*series)[i];
    auto& bucket = seen[s.metric.Hash()];
    std::size_t target = SIZE_MAX;
    for (std::size_t j : bucket) {
      if ((*series)[j].metric == s.metric) target = j;
    }
    if (target == SIZE_MAX) {
      bucket.push_back(i);
      continue;
    }
    StepSeries& t = (*series)[target];
    for (std::size_t k = 0; k < s.v.size(); ++k) {
      if (IsAbsent(s.v[k])) continue;
      if (IsPresent(t.v[k])) ThrowExec("vector cannot contain metrics with the same labelset");
      t.v[k] = s.v[k];
    }
    t.drop_name = t.drop_name || s.drop_name;
    dead[i] = true;
    any_dead = true;
  }
  if (!any_dead) return;
  std::size_t w = 0;
  for (std::size_t i = 0; i < series->size(); ++i) {
    if (dead[i]) continue;
    if (w != i) (*series)[w] = std::move((*series)[i]);
    ++w;
  }
  series->resize(w);
}

void Evaluator::RemoveEmpty(std::vector<StepSeries>* series) {
  auto empty = [](const StepSeries& s) {
    return std::none_of(s.v.begin(), s.v.end(), [](double x) { return IsPresent(x); });
  };
  series->erase(std::remove_if(series->begin(), series->end(), empty), series->end());
}

Value Evaluator::Scalar(double x) const { return ScalarSeries(std::vector<double>(n_, x)); }

Value Evaluator::ScalarSeries(std::vector<double> v) const {
  Value out;
  out.type = ValueType::kScalar;
  out.series.push_back(StepSeries{model::Labels(), std::move(v), false});
  return out;
}

bool Evaluator::ResolveAt(const AtModifier& at, std::int64_t* t) const {
  return ResolveAtModifier(at, q_->query_start, q_->query_end, t);
}

std::string FormatFloatPlain(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[400];
  auto r = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

}  // namespace hw::promql
