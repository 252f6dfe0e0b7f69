// Deep copy and traversal of ASTs.
#include "promql/ast.h"

namespace hw::promql {
namespace {

ExprPtr CloneOrNull(const ExprPtr& e) { return e ? Clone(*e) : nullptr; }

std::unique_ptr<VectorSelector> CloneSelector(const VectorSelector& s) {
  auto out = std::make_unique<VectorSelector>();
  out->pos = s.pos;
  out->name = s.name;
  out->matchers = s.matchers;
  out->offset = s.offset;
  out->offset_expr = CloneOrNull(s.offset_expr);
  out->at = s.at;
  out->anchored = s.anchored;
  out->smoothed = s.smoothed;
  out->bypass_empty_matcher_check = s.bypass_empty_matcher_check;
  return out;
}

}  // namespace

ExprPtr Clone(const Expr& e) {
  ExprPtr out;
  switch (e.kind) {
    case ExprKind::kNumberLiteral: {
      auto n = std::make_unique<NumberLiteral>();
      n->value = e.As<NumberLiteral>()->value;
      n->is_duration = e.As<NumberLiteral>()->is_duration;
      out = std::move(n);
      break;
    }
    case ExprKind::kStringLiteral: {
      auto s = std::make_unique<StringLiteral>();
      s->value = e.As<StringLiteral>()->value;
      out = std::move(s);
      break;
    }
    case ExprKind::kVectorSelector:
      out = CloneSelector(*e.As<VectorSelector>());
      break;
    case ExprKind::kMatrixSelector: {
      auto& src = *e.As<MatrixSelector>();
      auto m = std::make_unique<MatrixSelector>();
      m->selector = CloneSelector(*src.selector);
      m->range = src.range;
      m->range_expr = CloneOrNull(src.range_expr);
      out = std::move(m);
      break;
    }
    case ExprKind::kSubquery: {
      auto& src = *e.As<SubqueryExpr>();
      auto s = std::make_unique<SubqueryExpr>();
      s->expr = Clone(*src.expr);
      s->range = src.range;
      s->range_expr = CloneOrNull(src.range_expr);
      s->step = src.step;
      s->step_expr = CloneOrNull(src.step_expr);
      s->offset = src.offset;
      s->offset_expr = CloneOrNull(src.offset_expr);
      s->at = src.at;
      out = std::move(s);
      break;
    }
    case ExprKind::kCall: {
      auto c = std::make_unique<Call>();
      c->func = e.As<Call>()->func;
      for (const ExprPtr& a : e.As<Call>()->args) c->args.push_back(Clone(*a));
      out = std::move(c);
      break;
    }
    case ExprKind::kAggregate: {
      auto& src = *e.As<AggregateExpr>();
      auto a = std::make_unique<AggregateExpr>();
      a->op = src.op;
      a->expr = Clone(*src.expr);
      a->param = CloneOrNull(src.param);
      a->grouping = src.grouping;
      a->without = src.without;
      out = std::move(a);
      break;
    }
    case ExprKind::kBinary: {
      auto& src = *e.As<BinaryExpr>();
      auto b = std::make_unique<BinaryExpr>();
      b->op = src.op;
      b->lhs = Clone(*src.lhs);
      b->rhs = Clone(*src.rhs);
      b->return_bool = src.return_bool;
      b->matching = src.matching;
      out = std::move(b);
      break;
    }
    case ExprKind::kUnary: {
      auto u = std::make_unique<UnaryExpr>();
      u->op = e.As<UnaryExpr>()->op;
      u->expr = Clone(*e.As<UnaryExpr>()->expr);
      out = std::move(u);
      break;
    }
    case ExprKind::kParen: {
      auto p = std::make_unique<ParenExpr>();
      p->expr = Clone(*e.As<ParenExpr>()->expr);
      out = std::move(p);
      break;
    }
  }
  out->pos = e.pos;
  return out;
}

std::vector<const Expr*> Children(const Expr& e) {
  std::vector<const Expr*> out;
  auto add = [&out](const ExprPtr& p) {
    if (p) out.push_back(p.get());
  };
  switch (e.kind) {
    case ExprKind::kVectorSelector:
      add(e.As<VectorSelector>()->offset_expr);
      break;
    case ExprKind::kMatrixSelector:
      out.push_back(e.As<MatrixSelector>()->selector.get());
      add(e.As<MatrixSelector>()->range_expr);
      break;
    case ExprKind::kSubquery: {
      auto& s = *e.As<SubqueryExpr>();
      add(s.expr), add(s.range_expr), add(s.step_expr), add(s.offset_expr);
      break;
    }
    case ExprKind::kCall:
      for (const ExprPtr& a : e.As<Call>()->args) add(a);
      break;
    case ExprKind::kAggregate:
      add(e.As<AggregateExpr>()->param), add(e.As<AggregateExpr>()->expr);
      break;
    case ExprKind::kBinary:
      add(e.As<BinaryExpr>()->lhs), add(e.As<BinaryExpr>()->rhs);
      break;
    case ExprKind::kUnary:
      add(e.As<UnaryExpr>()->expr);
      break;
    case ExprKind::kParen:
      add(e.As<ParenExpr>()->expr);
      break;
    default:
      break;
  }
  return out;
}

void Walk(const Expr& e, const std::function<void(const Expr&)>& fn) {
  fn(e);
  for (const Expr* c : Children(e)) Walk(*c, fn);
}

}  // namespace hw::promql
