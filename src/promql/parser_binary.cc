// Binary operators: precedence levels (or < and/unless < comparisons and trims < + - <
// * / % atan2; `^` is in parser_expr.cc), left associativity, and the modifiers between
// an operator and its right operand: bool, on/ignoring, group_left/group_right, fill.
#include <fmt/format.h>

#include "promql/parser_internal.h"

namespace hw::promql {
namespace {

// Binary operators from loosest (0) to tightest (4); `^` (5) is parsed by ParsePow.
int Level(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return 0;
    case BinaryOp::kAnd:
    case BinaryOp::kUnless:
      return 1;
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
      return 3;
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
    case BinaryOp::kAtan2:
      return 4;
    case BinaryOp::kPow:
      return 5;
    default:
      return 2;  // comparisons and the histogram trims </ >/
  }
}

bool TokenBinaryOp(const Token& t, BinaryOp* op) {
  switch (t.kind) {
    case TokenKind::kAdd:
      *op = BinaryOp::kAdd;
      return true;
    case TokenKind::kSub:
      *op = BinaryOp::kSub;
      return true;
    case TokenKind::kMul:
      *op = BinaryOp::kMul;
      return true;
    case TokenKind::kDiv:
      *op = BinaryOp::kDiv;
      return true;
    case TokenKind::kMod:
      *op = BinaryOp::kMod;
      return true;
    case TokenKind::kPow:
      *op = BinaryOp::kPow;
      return true;
    case TokenKind::kEql:
      *op = BinaryOp::kEql;
      return true;
    case TokenKind::kNeq:
      *op = BinaryOp::kNeq;
      return true;
    case TokenKind::kLte:
      *op = BinaryOp::kLte;
      return true;
    case TokenKind::kLss:
      *op = BinaryOp::kLss;
      return true;
    case TokenKind::kGte:
      *op = BinaryOp::kGte;
      return true;
    case TokenKind::kGtr:
      *op = BinaryOp::kGtr;
      return true;
    case TokenKind::kTrimUpper:
      *op = BinaryOp::kTrimUpper;
      return true;
    case TokenKind::kTrimLower:
      *op = BinaryOp::kTrimLower;
      return true;
    case TokenKind::kIdentifier: {
      std::string w = ToLower(t.text);
      if (w == "and")
        *op = BinaryOp::kAnd;
      else if (w == "or")
        *op = BinaryOp::kOr;
      else if (w == "unless")
        *op = BinaryOp::kUnless;
      else if (w == "atan2")
        *op = BinaryOp::kAtan2;
      else
        return false;
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

ExprPtr Parser::ParseBinary(int level) {
  ExprPtr lhs = level >= 4 ? ParseUnary() : ParseBinary(level + 1);
  while (lhs) {
    BinaryOp op;
    if (!TokenBinaryOp(Peek(), &op) || Level(op) != level) return lhs;
    Next();
    auto b = std::make_unique<BinaryExpr>();
    if (!ParseBinaryModifiers(b.get())) return nullptr;
    ExprPtr rhs = level >= 4 ? ParseUnary() : ParseBinary(level + 1);
    if (!rhs) return nullptr;
    lhs = MakeBinary(op, std::move(lhs), std::move(rhs), b.release());
  }
  return nullptr;
}

ExprPtr Parser::MakeBinary(BinaryOp op, ExprPtr lhs, ExprPtr rhs, BinaryExpr* b) {
  ExprPtr out(b);
  b->op = op;
  b->pos = PosRange{lhs->pos.start, rhs->pos.end};
  b->lhs = std::move(lhs);
  b->rhs = std::move(rhs);
  return out;
}

bool Parser::ParseBinaryModifiers(BinaryExpr* b) {
  VectorMatching vm;
  if (AtWord("bool")) {
    Next();
    b->return_bool = true;
  }
  int end = 0;
  if (AtWord("on") || AtWord("ignoring")) {
    vm.on = AtWord("on");
    Next();
    if (!ParseLabelList(&vm.matching_labels, "grouping opts", &end)) return false;
    if (AtWord("group_left") || AtWord("group_right")) {
      vm.card = AtWord("group_left") ? Cardinality::kManyToOne : Cardinality::kOneToMany;
      Next();
      if (At(TokenKind::kLeftParen) && !ParseLabelList(&vm.include, "grouping opts", &end)) {
        return false;
      }
    }
  }
  while ((AtWord("fill") || AtWord("fill_left") || AtWord("fill_right")) &&
         Peek(1).kind == TokenKind::kLeftParen) {
    if (!ParseFillModifier(&vm)) return false;
  }
  b->matching = std::move(vm);
  return true;
}

bool Parser::ParseFillModifier(VectorMatching* vm) {
  Token kw = Next();
  std::string w = ToLower(kw.text);
  if (!options_.binop_fill_modifiers) {
    Fail(kw, fmt::format("{}() modifier is experimental and not enabled "
                         "(--enable-feature=promql-binop-fill-modifiers)",
                         w));
    return false;
  }
  Next();  // '('
  double v = 0;
  int end = 0;
  if (!ParseSignedNumber(&v, &end)) return false;
  if (!At(TokenKind::kRightParen)) {
    FailUnexpected(Peek(), "fill modifier", "\")\"");
    return false;
  }
  Next();
  bool left = w != "fill_right", right = w != "fill_left";
  if ((left && vm->fill_left) || (right && vm->fill_right)) {
    Fail(kw, "fill modifier may not be set multiple times");
    return false;
  }
  if (left) vm->fill_left = v;
  if (right) vm->fill_right = v;
  return true;
}

bool Parser::ParseSignedNumber(double* value, int* end) {
  bool negative = false;
  if (At(TokenKind::kAdd) || At(TokenKind::kSub)) negative = Next().kind == TokenKind::kSub;
  const Token& t = Peek();
  bool word =
      t.kind == TokenKind::kIdentifier && (ToLower(t.text) == "inf" || ToLower(t.text) == "nan");
  if (t.kind != TokenKind::kNumber && !word) {
    FailUnexpected(t, "fill modifier", "number");
    return false;
  }
  Result<double> v = ParseNumber(t.text);
  if (!v.ok()) {
    Fail(t, v.status().message());
    return false;
  }
  *value = negative ? -*v : *v;
  *end = Next().end;
  return true;
}

}  // namespace hw::promql
