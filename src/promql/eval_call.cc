// Function calls: argument evaluation and dispatch to the implementation table.
#include "promql/eval.h"
#include "promql/functions.h"
#include "promql/functions_impl.h"
#include "promql/str_cat.h"

namespace hw::promql {
namespace {

const FuncMap& Table() {
  static const FuncMap* table = [] {
    auto* m = new FuncMap();
    RegisterRateFunctions(*m);
    RegisterOverTimeFunctions(*m);
    RegisterMathFunctions(*m);
    RegisterTimeFunctions(*m);
    RegisterLabelFunctions(*m);
    RegisterHistogramFunctions(*m);
    RegisterSortFunctions(*m);
    return m;
  }();
  return *table;
}

const Expr* Unparen(const Expr* e) {
  while (auto* p = e->As<ParenExpr>()) e = p->expr.get();
  return e;
}

bool UsesExtendedRange(const Expr& e) {
  auto* ms = e.As<MatrixSelector>();
  return ms != nullptr && (ms->selector->anchored || ms->selector->smoothed);
}

}  // namespace

const FuncImpl* FindFuncImpl(std::string_view name) {
  auto it = Table().find(name);
  return it == Table().end() ? nullptr : &it->second;
}

Value VectorOf(Evaluator& ev, std::vector<StepSeries> series, bool drop_name) {
  Value v;
  v.type = ValueType::kVector;
  v.series = std::move(series);
  if (drop_name) {
    for (StepSeries& s : v.series) ev.DropName(s);
    if (!ev.delayed()) Evaluator::MergeSameLabels(&v.series);
  }
  return v;
}

Value Evaluator::EvalCall(const Call& c) {
  std::string_view name = c.func->name;
  if (name == "timestamp") {
    const Expr* arg = Unparen(c.args[0].get());
    if (auto* vs = arg->As<VectorSelector>()) {
      Value v = EvalVectorSelector(*vs, true);
      for (StepSeries& s : v.series) DropName(s);
      if (!delayed()) MergeSameLabels(&v.series);
      return v;
    }
  }
  for (const ExprPtr& a : c.args) {
    if (UsesExtendedRange(*a)) {
      ThrowExec("anchored and smoothed range selectors are not supported");
    }
  }
  const FuncImpl* impl = FindFuncImpl(name);
  if (impl == nullptr) ThrowExec(StrCat("function \"", name, "\" is not supported"));
  std::vector<Value> args;
  args.reserve(c.args.size());
  for (const ExprPtr& a : c.args) args.push_back(Eval(*a));
  return (*impl)(*this, c, args);
}

}  // namespace hw::promql
