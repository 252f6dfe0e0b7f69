// The PromQL abstract syntax tree produced by the parser and consumed by the engine,
// the printer and the lint hints.
//
// Every node is an Expr subclass with public data (a plain syntax tree, no behaviour
// beyond its value type). Children are owned through ExprPtr (std::unique_ptr), so a
// tree has exactly one owner; Clone() makes a deep copy. Each node records the byte
// range of its source text (`pos`), which error messages and annotations turn into
// line:column.
//
// Durations: ranges, subquery steps and offsets hold their value as a Duration
// (milliseconds). When the query wrote them as an experimental duration expression
// (`[5m+step()]`, `offset (1h/2)`), the expression is kept beside the value as a
// scalar Expr made of NumberLiteral / BinaryExpr / UnaryExpr / ParenExpr / Call
// (step, range, min_of, max_of); the value is then filled in by the parser when the
// expression is constant, or by the engine via EvaluateDurationExpr() when it uses
// step() or range().
//
// Thread-safety: a tree is a plain value; concurrent reads are safe, mutation is not.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/units.h"
#include "model/matcher.h"

namespace hw::promql {

struct Function;

// The type an expression evaluates to. Names follow Prometheus' documentation.
enum class ValueType { kNone, kScalar, kVector, kMatrix, kString };
// "scalar", "instant vector", "range vector", "string", "none".
std::string_view ValueTypeName(ValueType type);

// A half-open byte range [start, end) of the query text.
struct PosRange {
  int start = 0;
  int end = 0;
};

enum class ExprKind {
  kNumberLiteral,
  kStringLiteral,
  kVectorSelector,
  kMatrixSelector,
  kSubquery,
  kCall,
  kAggregate,
  kBinary,
  kUnary,
  kParen,
};

struct Expr {
  explicit Expr(ExprKind k) : kind(k) {}
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  // The static type of the value; for calls, the function's return type.
  ValueType type() const;

  // Downcasts: nullptr when the node is not a T.
  template <typename T>
  const T* As() const {
    return kind == T::kKind ? static_cast<const T*>(this) : nullptr;
  }
  template <typename T>
  T* As() {
    return kind == T::kKind ? static_cast<T*>(this) : nullptr;
  }

  const ExprKind kind;
  PosRange pos;
};
using ExprPtr = std::unique_ptr<Expr>;

struct NumberLiteral : Expr {
  static constexpr ExprKind kKind = ExprKind::kNumberLiteral;
  NumberLiteral() : Expr(kKind) {}
  double value = 0;
  bool is_duration = false;  // written as a duration (`5m` = 300); printed back as one
};

struct StringLiteral : Expr {
  static constexpr ExprKind kKind = ExprKind::kStringLiteral;
  StringLiteral() : Expr(kKind) {}
  std::string value;  // unescaped
};

// The `@` modifier of a selector or subquery.
struct AtModifier {
  enum class Kind { kNone, kTimestamp, kStart, kEnd };
  Kind kind = Kind::kNone;
  int64_t timestamp_ms = 0;  // kTimestamp only
  bool operator==(const AtModifier&) const = default;
};

struct VectorSelector : Expr {
  static constexpr ExprKind kKind = ExprKind::kVectorSelector;
  VectorSelector() : Expr(kKind) {}
  // The metric name written before the braces; empty when it was given inside them
  // (`{"my.metric"}`, `{__name__="x"}`) or not at all.
  std::string name;
  // All matchers in source order; when `name` is set, __name__="name" is appended last.
  std::vector<model::Matcher> matchers;
  Duration offset{0};   // `offset`, negative allowed
  ExprPtr offset_expr;  // set when the offset was a duration expression
  AtModifier at;
  bool anchored = false;  // experimental extended range selectors
  bool smoothed = false;
  // The second argument of info() may select nothing but label matchers.
  bool bypass_empty_matcher_check = false;
};

struct MatrixSelector : Expr {
  static constexpr ExprKind kKind = ExprKind::kMatrixSelector;
  MatrixSelector() : Expr(kKind) {}
  std::unique_ptr<VectorSelector> selector;  // holds offset, @, anchored/smoothed
  Duration range{0};
  ExprPtr range_expr;
};

struct SubqueryExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kSubquery;
  SubqueryExpr() : Expr(kKind) {}
  ExprPtr expr;
  Duration range{0};
  ExprPtr range_expr;
  Duration step{0};  // 0: the engine's default resolution (`[5m:]`)
  ExprPtr step_expr;
  Duration offset{0};
  ExprPtr offset_expr;
  AtModifier at;
};

struct Call : Expr {
  static constexpr ExprKind kKind = ExprKind::kCall;
  Call() : Expr(kKind) {}
  const Function* func = nullptr;  // points into the static function table
  std::vector<ExprPtr> args;
};

enum class AggregateOp {
  kSum,
  kAvg,
  kCount,
  kMin,
  kMax,
  kGroup,
  kStddev,
  kStdvar,
  kTopK,
  kBottomK,
  kCountValues,
  kQuantile,
  kLimitK,
  kLimitRatio,
};
std::string_view AggregateOpName(AggregateOp op);  // "sum", "count_values", ...
// Parses an aggregation keyword (any case). False if `word` is not one.
bool LookupAggregateOp(std::string_view word, AggregateOp* op);
// Whether the operator takes a parameter before the vector (topk, quantile, ...).
bool AggregateOpHasParam(AggregateOp op);

struct AggregateExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kAggregate;
  AggregateExpr() : Expr(kKind) {}
  AggregateOp op = AggregateOp::kSum;
  ExprPtr expr;
  ExprPtr param;  // topk/bottomk/quantile/limitk/limit_ratio/count_values only
  std::vector<std::string> grouping;
  bool without = false;
};

enum class BinaryOp {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPow,
  kAtan2,
  kEql,
  kNeq,
  kLte,
  kLss,
  kGte,
  kGtr,
  kTrimUpper,
  kTrimLower,  // `</`, `>/`: trim a native histogram above / below a value
  kAnd,
  kOr,
  kUnless,
};
std::string_view BinaryOpString(BinaryOp op);  // "+", "==", "and", "atan2", ...
bool IsComparisonOp(BinaryOp op);
bool IsSetOp(BinaryOp op);

enum class Cardinality { kOneToOne, kManyToOne, kOneToMany, kManyToMany };

// How the two sides of a vector/vector operation are matched.
struct VectorMatching {
  Cardinality card = Cardinality::kOneToOne;
  std::vector<std::string> matching_labels;  // of on(...) or ignoring(...)
  bool on = false;                           // on(...) rather than ignoring(...)
  std::vector<std::string> include;          // group_left(...)/group_right(...) labels
  std::optional<double> fill_left;           // experimental fill()/fill_left()
  std::optional<double> fill_right;          // experimental fill()/fill_right()
};

struct BinaryExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kBinary;
  BinaryExpr() : Expr(kKind) {}
  BinaryOp op = BinaryOp::kAdd;
  ExprPtr lhs;
  ExprPtr rhs;
  bool return_bool = false;
  // Present iff both operands are instant vectors.
  std::optional<VectorMatching> matching;
};

enum class UnaryOp { kNeg, kPos };

struct UnaryExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kUnary;
  UnaryExpr() : Expr(kKind) {}
  UnaryOp op = UnaryOp::kNeg;
  ExprPtr expr;
};

struct ParenExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kParen;
  ParenExpr() : Expr(kKind) {}
  ExprPtr expr;
};

// Structural equality: same node kinds, values, matchers, modifiers and children.
// Source positions are ignored; NaN equals NaN.
bool Equal(const Expr& a, const Expr& b);

// A deep copy (positions included).
ExprPtr Clone(const Expr& e);

// The direct children of a node in source order, including duration expressions.
std::vector<const Expr*> Children(const Expr& e);

// Calls `fn` on `e` and then on every descendant, depth-first, in source order.
void Walk(const Expr& e, const std::function<void(const Expr&)>& fn);

// Evaluates a duration expression (see the file comment) for a query with the given
// step and range (end - start; 0 for instant queries). Numbers are seconds.
// Fails on division or modulo by zero and on results outside the int64 ms range.
Result<Duration> EvaluateDurationExpr(const Expr& e, Duration step, Duration range);

}  // namespace hw::promql
