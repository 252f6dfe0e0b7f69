// The type checks Prometheus performs once a query has parsed (its checkAST): operand
// types of operators, function and aggregation arguments, subqueries and selectors.
// Children are checked before their parent, so the innermost problem is reported.
#include <fmt/format.h>

#include "promql/functions.h"
#include "promql/parser_internal.h"

namespace hw::promql {
namespace {

bool IsOneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (n == name) return true;
  }
  return false;
}

}  // namespace

int Parser::OperatorPos(const BinaryExpr& b) const {
  size_t i = static_cast<size_t>(b.lhs->pos.end);
  while (i < input_.size()) {
    char c = input_[i];
    if (c == '#') {
      while (i < input_.size() && input_[i] != '\n') ++i;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ')') {
      ++i;  // ')' closes parentheses the lhs position does not include
    } else {
      break;
    }
  }
  return static_cast<int>(i);
}

bool Parser::Check(Expr* e) {
  switch (e->kind) {
    case ExprKind::kNumberLiteral:
    case ExprKind::kStringLiteral:
      return true;
    case ExprKind::kVectorSelector:
      return CheckSelector(*e->As<VectorSelector>());
    case ExprKind::kMatrixSelector:
      return CheckSelector(*e->As<MatrixSelector>()->selector);
    case ExprKind::kSubquery: {
      auto* sq = e->As<SubqueryExpr>();
      if (!Check(sq->expr.get())) return false;
      ValueType t = sq->expr->type();
      if (t != ValueType::kVector) {
        Fail(sq->pos, fmt::format("subquery is only allowed on instant vector, got {} instead",
                                  InternalTypeName(t)));
        return false;
      }
      return true;
    }
    case ExprKind::kCall:
      return CheckCall(e->As<Call>());
    case ExprKind::kAggregate:
      return CheckAggregate(e->As<AggregateExpr>());
    case ExprKind::kBinary:
      return CheckBinary(e->As<BinaryExpr>());
    case ExprKind::kUnary: {
      auto* u = e->As<UnaryExpr>();
      if (!Check(u->expr.get())) return false;
      ValueType t = u->expr->type();
      if (t != ValueType::kScalar && t != ValueType::kVector) {
        Fail(u->pos, fmt::format("unary expression only allowed on expressions of type scalar "
                                 "or instant vector, got \"{}\"",
                                 ValueTypeName(t)));
        return false;
      }
      return true;
    }
    case ExprKind::kParen:
      return Check(e->As<ParenExpr>()->expr.get());
  }
  return true;
}

bool Parser::CheckSelector(const VectorSelector& vs) {
  if (vs.bypass_empty_matcher_check) return true;
  for (const model::Matcher& m : vs.matchers) {
    if (!m.MatchesEmpty()) return true;
  }
  Fail(vs.pos, "vector selector must contain at least one non-empty matcher");
  return false;
}

bool Parser::CheckCall(Call* c) {
  const Function& f = *c->func;
  int n = static_cast<int>(c->args.size());
  if (f.min_args == f.max_args && n != f.min_args) {
    Fail(c->pos,
         fmt::format("expected {} argument(s) in call to \"{}\", got {}", f.min_args, f.name, n));
    return false;
  }
  if (n < f.min_args) {
    Fail(c->pos, fmt::format("expected at least {} argument(s) in call to \"{}\", got {}",
                             f.min_args, f.name, n));
    return false;
  }
  if (f.max_args >= 0 && n > f.max_args) {
    Fail(c->pos, fmt::format("expected at most {} argument(s) in call to \"{}\", got {}",
                             f.max_args, f.name, n));
    return false;
  }
  if (f.name == "info" && n == 2) {
    // The second argument selects info metrics by labels only.
    auto* vs = c->args[1]->As<VectorSelector>();
    if (vs == nullptr) {
      Fail(c->args[1]->pos, "expected label selectors only");
      return false;
    }
    if (!vs->name.empty()) {
      Fail(c->args[1]->pos, "expected label selectors only, got vector selector instead");
      return false;
    }
    vs->bypass_empty_matcher_check = true;
  }
  for (int i = 0; i < n; ++i) {
    Expr* arg = c->args[i].get();
    if (!Check(arg)) return false;
    ValueType want = f.ArgType(i);
    ValueType got = arg->type();
    if (got != want) {
      Fail(arg->pos, fmt::format("expected type {} in call to function \"{}\", got {}",
                                 ValueTypeName(want), f.name, ValueTypeName(got)));
      return false;
    }
    if (auto* ms = arg->As<MatrixSelector>()) {
      if (ms->selector->anchored &&
          !IsOneOf(f.name, {"changes", "delta", "increase", "rate", "resets"})) {
        Fail(arg->pos, fmt::format("anchored modifier can only be used with: changes, delta, "
                                   "increase, rate, resets - not with {}",
                                   f.name));
        return false;
      }
      if (ms->selector->smoothed && !IsOneOf(f.name, {"delta", "increase", "rate"})) {
        Fail(arg->pos, fmt::format("smoothed modifier can only be used with: delta, increase, "
                                   "rate - not with {}",
                                   f.name));
        return false;
      }
    }
  }
  return true;
}

bool Parser::CheckAggregate(AggregateExpr* a) {
  if (a->param && !Check(a->param.get())) return false;
  if (!Check(a->expr.get())) return false;
  if ((a->op == AggregateOp::kLimitK || a->op == AggregateOp::kLimitRatio) &&
      !options_.experimental_functions) {
    Fail(a->pos, fmt::format("{}() is experimental and must be enabled with "
                             "--enable-feature=promql-experimental-functions",
                             AggregateOpName(a->op)));
    return false;
  }
  if (a->expr->type() != ValueType::kVector) {
    Fail(a->expr->pos, fmt::format("expected type instant vector in aggregation expression, "
                                   "got {}",
                                   ValueTypeName(a->expr->type())));
    return false;
  }
  if (a->param) {
    ValueType want = a->op == AggregateOp::kCountValues ? ValueType::kString : ValueType::kScalar;
    if (a->param->type() != want) {
      Fail(a->param->pos, fmt::format("expected type {} in aggregation parameter, got {}",
                                      ValueTypeName(want), ValueTypeName(a->param->type())));
      return false;
    }
  }
  return true;
}

bool Parser::CheckBinary(BinaryExpr* b) {
  if (!Check(b->lhs.get()) || !Check(b->rhs.get())) return false;
  ValueType lt = b->lhs->type(), rt = b->rhs->type();
  VectorMatching vm = b->matching.value_or(VectorMatching{});
  auto fail = [&](PosRange pos, std::string msg) {
    Fail(pos, std::move(msg));
    return false;
  };
  std::string_view op = BinaryOpString(b->op);
  PosRange op_pos{OperatorPos(*b), b->rhs->pos.start};
  if (b->return_bool && !IsComparisonOp(b->op)) {
    return fail(op_pos, "bool modifier can only be used on comparison operators");
  }
  if (IsComparisonOp(b->op) && !b->return_bool && lt == ValueType::kScalar &&
      rt == ValueType::kScalar) {
    return fail(op_pos, "comparisons between scalars must use BOOL modifier");
  }
  if (IsSetOp(b->op) && vm.card == Cardinality::kOneToOne) vm.card = Cardinality::kManyToMany;
  if (vm.on) {
    for (const std::string& l : vm.matching_labels) {
      for (const std::string& g : vm.include) {
        if (l == g) {
          return fail(op_pos, fmt::format("label \"{}\" must not occur in ON and GROUP clause "
                                          "at once",
                                          l));
        }
      }
    }
  }
  if (lt != ValueType::kScalar && lt != ValueType::kVector) {
    return fail(b->lhs->pos, "binary expression must contain only scalar and instant vector types");
  }
  if (rt != ValueType::kScalar && rt != ValueType::kVector) {
    return fail(b->rhs->pos, "binary expression must contain only scalar and instant vector types");
  }
  bool both_vectors = lt == ValueType::kVector && rt == ValueType::kVector;
  if (!both_vectors && !vm.matching_labels.empty()) {
    return fail(b->pos, "vector matching only allowed between instant vectors");
  }
  if (both_vectors && IsSetOp(b->op)) {
    if (vm.card == Cardinality::kOneToMany || vm.card == Cardinality::kManyToOne) {
      return fail(b->pos, fmt::format("no grouping allowed for \"{}\" operation", op));
    }
    if (vm.fill_left || vm.fill_right) {
      return fail(b->pos, fmt::format("fill modifiers are not allowed for \"{}\" operation", op));
    }
  }
  if ((lt == ValueType::kScalar || rt == ValueType::kScalar) && IsSetOp(b->op)) {
    return fail(b->pos,
                fmt::format("set operator \"{}\" not allowed in binary scalar expression", op));
  }
  if (both_vectors) {
    b->matching = std::move(vm);
  } else {
    b->matching.reset();
  }
  return true;
}

}  // namespace hw::promql
