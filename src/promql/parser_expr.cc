// Expressions below the binary operators: unary signs, `^` (right-associative and
// binding tighter than unary minus), postfix modifiers, primaries and parentheses.
#include <fmt/format.h>

#include "promql/parser_internal.h"

namespace hw::promql {

ExprPtr ApplySign(const Token& sign, ExprPtr operand) {
  bool negate = sign.kind == TokenKind::kSub;
  if (auto* n = operand->As<NumberLiteral>()) {  // -1 is a literal, as in Prometheus
    if (negate) n->value = -n->value;
    n->pos.start = sign.pos;
    return operand;
  }
  auto u = std::make_unique<UnaryExpr>();
  u->op = negate ? UnaryOp::kNeg : UnaryOp::kPos;
  u->pos = PosRange{sign.pos, operand->pos.end};
  u->expr = std::move(operand);
  return u;
}

ExprPtr Parser::ParseUnary() {
  if (depth_ >= kMaxNesting) {
    return Fail(Peek(),
                fmt::format("expression nesting exceeds the maximum depth of {}", kMaxNesting));
  }
  ++depth_;
  struct Unwind {
    int* depth;
    ~Unwind() { --*depth; }
  } unwind{&depth_};
  if (!At(TokenKind::kAdd) && !At(TokenKind::kSub)) return ParsePow();
  Token sign = Next();
  ExprPtr operand = ParseUnary();
  if (!operand) return nullptr;
  return ApplySign(sign, std::move(operand));
}

ExprPtr Parser::ParsePow() {
  ExprPtr lhs = ParsePostfix();
  if (!lhs || !At(TokenKind::kPow)) return lhs;
  Next();
  auto b = std::make_unique<BinaryExpr>();
  if (!ParseBinaryModifiers(b.get())) return nullptr;
  ExprPtr rhs = ParseUnary();  // right-associative, and `2 ^ -1` is allowed
  if (!rhs) return nullptr;
  return MakeBinary(BinaryOp::kPow, std::move(lhs), std::move(rhs), b.release());
}

ExprPtr Parser::ParsePostfix() {
  ExprPtr e = ParsePrimary();
  while (e) {
    if (At(TokenKind::kLeftBracket)) {
      e = ParseRangeOrSubquery(std::move(e));
    } else if (AtWord("offset")) {
      e = ParseOffset(std::move(e));
    } else if (At(TokenKind::kAt)) {
      e = ParseAt(std::move(e));
    } else if (AtWord("anchored") || AtWord("smoothed")) {
      e = ParseRangeModifier(std::move(e));
    } else {
      return e;
    }
  }
  return nullptr;
}

ExprPtr Parser::ParsePrimary() {
  const Token& t = Peek();
  switch (t.kind) {
    case TokenKind::kNumber:
    case TokenKind::kDuration: {
      auto n = std::make_unique<NumberLiteral>();
      n->pos = PosRange{t.pos, t.end};
      if (t.kind == TokenKind::kDuration) {
        Result<Duration> d = hw::ParseDuration(t.text);
        if (!d.ok()) return Fail(t, fmt::format("not a valid duration string: \"{}\"", t.text));
        n->value = static_cast<double>(d->count()) / 1000.0;
        n->is_duration = true;
      } else {
        Result<double> v = ParseNumber(t.text);
        if (!v.ok()) return Fail(t, v.status().message());
        n->value = *v;
      }
      Next();
      return n;
    }
    case TokenKind::kString: {
      Result<std::string> s = Unquote(t.text);
      if (!s.ok()) return Fail(t, s.status().message());
      auto lit = std::make_unique<StringLiteral>();
      lit->value = std::move(*s);
      lit->pos = PosRange{t.pos, t.end};
      Next();
      return lit;
    }
    case TokenKind::kLeftParen:
      return ParseParen();
    case TokenKind::kLeftBrace:
      return ParseVectorSelector();
    case TokenKind::kIdentifier: {
      std::string w = ToLower(t.text);
      if (w == "inf" || w == "nan") {
        auto n = std::make_unique<NumberLiteral>();
        n->value = *ParseNumber(t.text);
        n->pos = PosRange{t.pos, t.end};
        Next();
        return n;
      }
      bool call = Peek(1).kind == TokenKind::kLeftParen;
      AggregateOp op;
      if (LookupAggregateOp(t.text, &op) && (call || AtWord("by", 1) || AtWord("without", 1))) {
        return ParseAggregate();
      }
      if (IsReservedWord(t.text)) return FailUnexpected(t);
      if (call) return ParseCall();
      return ParseVectorSelector();
    }
    case TokenKind::kEof:
      if (paren_depth_ > 0) return Fail(t, "unclosed left parenthesis");
      return FailUnexpected(t);
    case TokenKind::kRightParen:
      if (paren_depth_ == 0) return Fail(t, "unexpected right parenthesis ')'");
      return FailUnexpected(t);
    default:
      return FailUnexpected(t);
  }
}

ExprPtr Parser::ParseParen() {
  Token lp = Next();
  ++paren_depth_;
  ExprPtr e = ParseExpression();
  if (!e) return nullptr;
  if (!At(TokenKind::kRightParen)) {
    if (At(TokenKind::kEof)) return Fail(Peek(), "unclosed left parenthesis");
    return FailAfterExpr(*e, "parenthesized expression", "\")\"");
  }
  --paren_depth_;
  auto p = std::make_unique<ParenExpr>();
  p->pos = PosRange{lp.pos, Next().end};
  p->expr = std::move(e);
  return p;
}

}  // namespace hw::promql
