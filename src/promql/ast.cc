// Node types, operator names and structural equality.
#include "promql/ast.h"

#include <cmath>

#include "promql/functions.h"

namespace hw::promql {
namespace {

constexpr std::string_view kAggregateNames[] = {
    "sum",    "avg",  "count",   "min",          "max",      "group",  "stddev",
    "stdvar", "topk", "bottomk", "count_values", "quantile", "limitk", "limit_ratio"};

constexpr std::string_view kBinaryNames[] = {"+",     "-",  "*",  "/",   "%",  "^",
                                             "atan2", "==", "!=", "<=",  "<",  ">=",
                                             ">",     "</", ">/", "and", "or", "unless"};

bool SameNumber(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

bool SameOptional(const std::optional<double>& a, const std::optional<double>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a.has_value() || SameNumber(*a, *b);
}

bool SameMatchers(const std::vector<model::Matcher>& a, const std::vector<model::Matcher>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].type() != b[i].type() || a[i].name() != b[i].name() || a[i].value() != b[i].value()) {
      return false;
    }
  }
  return true;
}

// Both null, or both set and equal.
bool SamePtr(const Expr* a, const Expr* b) {
  if (a == nullptr || b == nullptr) return a == b;
  return Equal(*a, *b);
}

bool SameSelector(const VectorSelector& x, const VectorSelector& y) {
  return x.name == y.name && SameMatchers(x.matchers, y.matchers) && x.offset == y.offset &&
         SamePtr(x.offset_expr.get(), y.offset_expr.get()) && x.at == y.at &&
         x.anchored == y.anchored && x.smoothed == y.smoothed;
}

}  // namespace

std::string_view ValueTypeName(ValueType type) {
  switch (type) {
    case ValueType::kScalar:
      return "scalar";
    case ValueType::kVector:
      return "instant vector";
    case ValueType::kMatrix:
      return "range vector";
    case ValueType::kString:
      return "string";
    case ValueType::kNone:
      break;
  }
  return "none";
}

ValueType Expr::type() const {
  switch (kind) {
    case ExprKind::kNumberLiteral:
      return ValueType::kScalar;
    case ExprKind::kStringLiteral:
      return ValueType::kString;
    case ExprKind::kVectorSelector:
      return ValueType::kVector;
    case ExprKind::kMatrixSelector:
    case ExprKind::kSubquery:
      return ValueType::kMatrix;
    case ExprKind::kAggregate:
      return ValueType::kVector;
    case ExprKind::kCall: {
      const Function* f = static_cast<const Call*>(this)->func;
      return f != nullptr ? f->return_type : ValueType::kNone;
    }
    case ExprKind::kBinary: {
      auto* b = static_cast<const BinaryExpr*>(this);
      if (b->lhs->type() == ValueType::kScalar && b->rhs->type() == ValueType::kScalar) {
        return ValueType::kScalar;
      }
      return ValueType::kVector;
    }
    case ExprKind::kUnary:
      return static_cast<const UnaryExpr*>(this)->expr->type();
    case ExprKind::kParen:
      return static_cast<const ParenExpr*>(this)->expr->type();
  }
  return ValueType::kNone;
}

std::string_view AggregateOpName(AggregateOp op) { return kAggregateNames[static_cast<int>(op)]; }

bool LookupAggregateOp(std::string_view word, AggregateOp* op) {
  if (word.size() > 12) return false;
  std::string lower(word);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (int i = 0; i < static_cast<int>(std::size(kAggregateNames)); ++i) {
    if (kAggregateNames[i] == lower) {
      *op = static_cast<AggregateOp>(i);
      return true;
    }
  }
  return false;
}

bool AggregateOpHasParam(AggregateOp op) {
  switch (op) {
    case AggregateOp::kTopK:
    case AggregateOp::kBottomK:
    case AggregateOp::kCountValues:
    case AggregateOp::kQuantile:
    case AggregateOp::kLimitK:
    case AggregateOp::kLimitRatio:
      return true;
    default:
      return false;
  }
}

std::string_view BinaryOpString(BinaryOp op) { return kBinaryNames[static_cast<int>(op)]; }

bool IsComparisonOp(BinaryOp op) { return op >= BinaryOp::kEql && op <= BinaryOp::kGtr; }

bool IsSetOp(BinaryOp op) { return op >= BinaryOp::kAnd; }

bool Equal(const Expr& a, const Expr& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ExprKind::kNumberLiteral: {
      auto &x = *a.As<NumberLiteral>(), &y = *b.As<NumberLiteral>();
      return SameNumber(x.value, y.value) && x.is_duration == y.is_duration;
    }
    case ExprKind::kStringLiteral:
      return a.As<StringLiteral>()->value == b.As<StringLiteral>()->value;
    case ExprKind::kVectorSelector:
      return SameSelector(*a.As<VectorSelector>(), *b.As<VectorSelector>());
    case ExprKind::kMatrixSelector: {
      auto &x = *a.As<MatrixSelector>(), &y = *b.As<MatrixSelector>();
      return SameSelector(*x.selector, *y.selector) && x.range == y.range &&
             SamePtr(x.range_expr.get(), y.range_expr.get());
    }
    case ExprKind::kSubquery: {
      auto &x = *a.As<SubqueryExpr>(), &y = *b.As<SubqueryExpr>();
      return Equal(*x.expr, *y.expr) && x.range == y.range &&
             SamePtr(x.range_expr.get(), y.range_expr.get()) && x.step == y.step &&
             SamePtr(x.step_expr.get(), y.step_expr.get()) && x.offset == y.offset &&
             SamePtr(x.offset_expr.get(), y.offset_expr.get()) && x.at == y.at;
    }
    case ExprKind::kCall: {
      auto &x = *a.As<Call>(), &y = *b.As<Call>();
      if (x.func != y.func || x.args.size() != y.args.size()) return false;
      for (size_t i = 0; i < x.args.size(); ++i) {
        if (!Equal(*x.args[i], *y.args[i])) return false;
      }
      return true;
    }
    case ExprKind::kAggregate: {
      auto &x = *a.As<AggregateExpr>(), &y = *b.As<AggregateExpr>();
      return x.op == y.op && Equal(*x.expr, *y.expr) && SamePtr(x.param.get(), y.param.get()) &&
             x.grouping == y.grouping && x.without == y.without;
    }
    case ExprKind::kBinary: {
      auto &x = *a.As<BinaryExpr>(), &y = *b.As<BinaryExpr>();
      if (x.op != y.op || x.return_bool != y.return_bool || !Equal(*x.lhs, *y.lhs) ||
          !Equal(*x.rhs, *y.rhs) || x.matching.has_value() != y.matching.has_value()) {
        return false;
      }
      if (!x.matching) return true;
      const VectorMatching &m = *x.matching, &n = *y.matching;
      return m.card == n.card && m.matching_labels == n.matching_labels && m.on == n.on &&
             m.include == n.include && SameOptional(m.fill_left, n.fill_left) &&
             SameOptional(m.fill_right, n.fill_right);
    }
    case ExprKind::kUnary:
      return a.As<UnaryExpr>()->op == b.As<UnaryExpr>()->op &&
             Equal(*a.As<UnaryExpr>()->expr, *b.As<UnaryExpr>()->expr);
    case ExprKind::kParen:
      return Equal(*a.As<ParenExpr>()->expr, *b.As<ParenExpr>()->expr);
  }
  return false;
}

}  // namespace hw::promql
