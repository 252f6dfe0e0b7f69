// Duration expressions (`[5m+step()]`, `offset -(1h/2)`): their parsing (a small
// arithmetic grammar over numbers of seconds, durations, step(), range(), min_of() and
// max_of()) and their evaluation.
#include <fmt/format.h>

#include <cmath>

#include "promql/functions.h"
#include "promql/parser_internal.h"

namespace hw::promql {
namespace {

constexpr std::string_view kDurationExpected = "number, duration, step(), or range()";

}  // namespace

bool UsesQueryParams(const Expr& e) {
  bool uses = false;
  Walk(e, [&uses](const Expr& n) {
    if (auto* c = n.As<Call>()) {
      if (c->func->name == "step" || c->func->name == "range") uses = true;
    }
  });
  return uses;
}

bool EvalDurationSeconds(const Expr& e, double step_s, double range_s, double* out,
                         std::string* error, PosRange* where) {
  auto fail = [&](const Expr& at, std::string msg) {
    *error = std::move(msg);
    *where = at.pos;
    return false;
  };
  switch (e.kind) {
    case ExprKind::kNumberLiteral:
      *out = e.As<NumberLiteral>()->value;
      return true;
    case ExprKind::kParen:
      return EvalDurationSeconds(*e.As<ParenExpr>()->expr, step_s, range_s, out, error, where);
    case ExprKind::kUnary: {
      auto& u = *e.As<UnaryExpr>();
      if (!EvalDurationSeconds(*u.expr, step_s, range_s, out, error, where)) return false;
      if (u.op == UnaryOp::kNeg) *out = -*out;
      return true;
    }
    case ExprKind::kCall: {
      auto& c = *e.As<Call>();
      std::string_view name = c.func->name;
      if (name == "step") return *out = step_s, true;
      if (name == "range") return *out = range_s, true;
      if ((name == "min_of" || name == "max_of") && c.args.size() == 2) {
        double a = 0, b = 0;
        if (!EvalDurationSeconds(*c.args[0], step_s, range_s, &a, error, where) ||
            !EvalDurationSeconds(*c.args[1], step_s, range_s, &b, error, where)) {
          return false;
        }
        *out = name == "min_of" ? std::min(a, b) : std::max(a, b);
        return true;
      }
      return fail(e, fmt::format("function {}() is not allowed in a duration expression", name));
    }
    case ExprKind::kBinary: {
      auto& b = *e.As<BinaryExpr>();
      double l = 0, r = 0;
      if (!EvalDurationSeconds(*b.lhs, step_s, range_s, &l, error, where) ||
          !EvalDurationSeconds(*b.rhs, step_s, range_s, &r, error, where)) {
        return false;
      }
      switch (b.op) {
        case BinaryOp::kAdd:
          *out = l + r;
          return true;
        case BinaryOp::kSub:
          *out = l - r;
          return true;
        case BinaryOp::kMul:
          *out = l * r;
          return true;
        case BinaryOp::kDiv:
          if (r == 0) return fail(*b.rhs, "division by zero");
          *out = l / r;
          return true;
        case BinaryOp::kMod:
          if (r == 0) return fail(*b.rhs, "modulo by zero");
          *out = std::fmod(l, r);
          return true;
        case BinaryOp::kPow:
          *out = std::pow(l, r);
          return true;
        default:
          return fail(e, fmt::format("operator {} is not allowed in a duration expression",
                                     BinaryOpString(b.op)));
      }
    }
    default:
      return fail(e, "not a duration expression");
  }
}

Result<Duration> SecondsToDuration(double seconds) {
  // Prometheus keeps durations in int64 nanoseconds; stay within that range.
  constexpr double kMaxSeconds = 9223372036.854775;
  if (!std::isfinite(seconds) || std::fabs(seconds) >= kMaxSeconds) {
    return Status::BadData("duration out of range");
  }
  return Duration(std::llround(seconds * 1000.0));
}

Result<Duration> EvaluateDurationExpr(const Expr& e, Duration step, Duration range) {
  double seconds = 0;
  std::string error;
  PosRange where;
  if (!EvalDurationSeconds(e, static_cast<double>(step.count()) / 1000.0,
                           static_cast<double>(range.count()) / 1000.0, &seconds, &error, &where)) {
    return Status::BadData(error);
  }
  return SecondsToDuration(seconds);
}

bool Parser::ParseDuration(bool in_brackets, Duration* value, ExprPtr* expr, PosRange* pos) {
  // The plain forms every Prometheus version accepts: [+-]<number or duration>.
  int k = (At(TokenKind::kAdd) || At(TokenKind::kSub)) ? 1 : 0;
  TokenKind lit = Peek(k).kind;
  TokenKind after = Peek(k + 1).kind;
  bool simple = (lit == TokenKind::kNumber || lit == TokenKind::kDuration) &&
                (!in_brackets || after == TokenKind::kColon || after == TokenKind::kRightBracket);
  ExprPtr e = in_brackets ? ParseDurAdd() : ParseDurSignedAtom();
  if (!e) return false;
  *pos = e->pos;
  simple = simple || e->kind == ExprKind::kNumberLiteral;  // `++4` folds to a literal too
  if (!simple && !options_.duration_expressions) {
    Fail(e->pos,
         "duration expressions are experimental and not enabled "
         "(--enable-feature=promql-duration-expr)");
    return false;
  }
  if (!simple && UsesQueryParams(*e)) {
    *expr = std::move(e);  // resolved by the engine for each query
    return true;
  }
  double seconds = 0;
  std::string error;
  PosRange where;
  if (!EvalDurationSeconds(*e, 0, 0, &seconds, &error, &where)) {
    Fail(where, error);
    return false;
  }
  Result<Duration> d = SecondsToDuration(seconds);
  if (!d.ok()) {
    Fail(e->pos, d.status().message());
    return false;
  }
  *value = *d;
  if (!simple) *expr = std::move(e);
  return true;
}

ExprPtr Parser::ParseDurAdd() {
  ExprPtr lhs = ParseDurMul();
  while (lhs && (At(TokenKind::kAdd) || At(TokenKind::kSub))) {
    BinaryOp op = Next().kind == TokenKind::kAdd ? BinaryOp::kAdd : BinaryOp::kSub;
    ExprPtr rhs = ParseDurMul();
    if (!rhs) return nullptr;
    lhs = MakeBinary(op, std::move(lhs), std::move(rhs), new BinaryExpr());
  }
  return lhs;
}

ExprPtr Parser::ParseDurMul() {
  ExprPtr lhs = ParseDurUnary();
  while (lhs && (At(TokenKind::kMul) || At(TokenKind::kDiv) || At(TokenKind::kMod))) {
    TokenKind k = Next().kind;
    BinaryOp op = k == TokenKind::kMul   ? BinaryOp::kMul
                  : k == TokenKind::kDiv ? BinaryOp::kDiv
                                         : BinaryOp::kMod;
    ExprPtr rhs = ParseDurUnary();
    if (!rhs) return nullptr;
    lhs = MakeBinary(op, std::move(lhs), std::move(rhs), new BinaryExpr());
  }
  return lhs;
}

ExprPtr Parser::ParseDurUnary() {
  if (depth_ >= kMaxNesting) {
    return Fail(Peek(),
                fmt::format("expression nesting exceeds the maximum depth of {}", kMaxNesting));
  }
  ++depth_;
  struct Unwind {
    int* depth;
    ~Unwind() { --*depth; }
  } unwind{&depth_};
  if (!At(TokenKind::kAdd) && !At(TokenKind::kSub)) return ParseDurPow();
  Token sign = Next();
  ExprPtr operand = ParseDurUnary();
  if (!operand) return nullptr;
  return ApplySign(sign, std::move(operand));
}

// After `offset`: an optional sign and one atom, so `x offset -2 ^ 2` is (x offset -2)^2.
ExprPtr Parser::ParseDurSignedAtom() {
  if (!At(TokenKind::kAdd) && !At(TokenKind::kSub)) return ParseDurAtom();
  Token sign = Next();
  ExprPtr operand = ParseDurAtom();
  if (!operand) return nullptr;
  return ApplySign(sign, std::move(operand));
}

ExprPtr Parser::ParseDurPow() {
  ExprPtr lhs = ParseDurAtom();
  if (!lhs || !At(TokenKind::kPow)) return lhs;
  Next();
  ExprPtr rhs = ParseDurUnary();
  if (!rhs) return nullptr;
  return MakeBinary(BinaryOp::kPow, std::move(lhs), std::move(rhs), new BinaryExpr());
}

ExprPtr Parser::ParseDurAtom() {
  const Token& t = Peek();
  if (t.kind == TokenKind::kNumber || t.kind == TokenKind::kDuration) return ParsePrimary();
  if (t.kind == TokenKind::kLeftParen) {
    Token lp = Next();
    ExprPtr inner = ParseDurAdd();
    if (!inner) return nullptr;
    if (!At(TokenKind::kRightParen)) {
      if (At(TokenKind::kEof)) return Fail(Peek(), "unclosed left parenthesis");
      return FailUnexpected(Peek(), "duration expression", "\")\"");
    }
    auto p = std::make_unique<ParenExpr>();
    p->pos = PosRange{lp.pos, Next().end};
    p->expr = std::move(inner);
    return p;
  }
  std::string w = t.kind == TokenKind::kIdentifier ? ToLower(t.text) : "";
  if (w == "step" || w == "range" || w == "min_of" || w == "max_of") {
    Token name = Next();
    if (!At(TokenKind::kLeftParen)) return FailUnexpected(Peek(), dur_context_, kDurationExpected);
    Next();
    auto c = std::make_unique<Call>();
    c->func = LookupFunction(w);
    int arity = (w == "min_of" || w == "max_of") ? 2 : 0;
    for (int i = 0; i < arity; ++i) {
      ExprPtr arg = ParseDurAdd();
      if (!arg) return nullptr;
      c->args.push_back(std::move(arg));
      TokenKind want = i + 1 < arity ? TokenKind::kComma : TokenKind::kRightParen;
      if (!At(want)) {
        return FailUnexpected(Peek(), "duration expression",
                              want == TokenKind::kComma ? "\",\"" : "\")\"");
      }
      if (want == TokenKind::kComma) Next();
    }
    if (!At(TokenKind::kRightParen)) return FailUnexpected(Peek(), "duration expression", "\")\"");
    c->pos = PosRange{name.pos, Next().end};
    return c;
  }
  if (t.kind == TokenKind::kEof && dur_context_ != "offset") {
    return Fail(t, "unexpected end of input in duration expression");
  }
  return FailUnexpected(t, dur_context_, kDurationExpected);
}

}  // namespace hw::promql
