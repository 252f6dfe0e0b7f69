// Function calls and aggregations: argument lists, the function table lookup with its
// feature gates, and by/without placed before or after the arguments.
#include <fmt/format.h>

#include "promql/functions.h"
#include "promql/parser_internal.h"

namespace hw::promql {

bool Parser::ParseCallArgs(std::vector<ExprPtr>* args, int* end) {
  Next();  // '('
  ++paren_depth_;
  while (!At(TokenKind::kRightParen)) {
    ExprPtr e = ParseExpression();
    if (!e) return false;
    args->push_back(std::move(e));
    if (At(TokenKind::kComma)) {
      Token comma = Next();
      if (At(TokenKind::kRightParen)) {
        Fail(comma, "trailing commas not allowed in function call args");
        return false;
      }
    } else if (!At(TokenKind::kRightParen)) {
      if (At(TokenKind::kEof)) {
        Fail(Peek(), "unclosed left parenthesis");
      } else {
        FailAfterExpr(*args->back(), "function call args", "\",\" or \")\"");
      }
      return false;
    }
  }
  --paren_depth_;
  *end = Next().end;
  return true;
}

ExprPtr Parser::ParseCall() {
  Token name = Next();
  const Function* f = LookupFunction(name.text);
  if (f == nullptr || (f->legacy && !options_.legacy_functions)) {
    return Fail(name, fmt::format("unknown function with name \"{}\"", name.text));
  }
  if (f->experimental && !options_.experimental_functions) {
    return Fail(name, fmt::format("function \"{}\" is not enabled", name.text));
  }
  auto c = std::make_unique<Call>();
  c->func = f;
  int end = 0;
  if (!ParseCallArgs(&c->args, &end)) return nullptr;
  c->pos = PosRange{name.pos, end};
  return c;
}

ExprPtr Parser::ParseAggregate() {
  Token op_tok = Next();
  auto a = std::make_unique<AggregateExpr>();
  LookupAggregateOp(op_tok.text, &a->op);
  bool grouped = false;
  int end = op_tok.end;
  if (AtWord("by") || AtWord("without")) {
    a->without = AtWord("without");
    Next();
    if (!ParseLabelList(&a->grouping, "grouping opts", &end)) return nullptr;
    grouped = true;
  }
  if (!At(TokenKind::kLeftParen)) return FailUnexpected(Peek());
  std::vector<ExprPtr> args;
  if (!ParseCallArgs(&args, &end)) return nullptr;
  if (AtWord("by") || AtWord("without")) {
    if (grouped) return FailUnexpected(Peek());
    a->without = AtWord("without");
    Next();
    if (!ParseLabelList(&a->grouping, "grouping opts", &end)) return nullptr;
    if (AtWord("by") || AtWord("without")) return FailUnexpected(Peek());
  }
  a->pos = PosRange{op_tok.pos, end};
  if (args.empty()) return Fail(a->pos, "no arguments for aggregate expression provided");
  size_t want = AggregateOpHasParam(a->op) ? 2 : 1;
  if (args.size() != want) {
    return Fail(a->pos, fmt::format("wrong number of arguments for aggregate expression "
                                    "provided, expected {}, got {}",
                                    want, args.size()));
  }
  if (want == 2) a->param = std::move(args[0]);
  a->expr = std::move(args.back());
  return a;
}

}  // namespace hw::promql
