// Postfix modifiers: `[range]` and `[range:step]` (range selectors and subqueries),
// `offset`, `@`, and the experimental `anchored`/`smoothed`. The durations inside them
// are parsed by parser_duration_expr.cc.
#include <fmt/format.h>

#include <cmath>

#include "promql/functions.h"
#include "promql/parser_internal.h"

namespace hw::promql {
namespace {

// Go's %f for the out-of-bounds message: +Inf, -Inf, NaN or fixed with 6 decimals.
std::string GoFixed(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{:f}", v);
}

// The selector that `offset`, `@`, anchored and smoothed attach to, if any.
VectorSelector* SelectorOf(Expr* e) {
  if (auto* vs = e->As<VectorSelector>()) return vs;
  if (auto* ms = e->As<MatrixSelector>()) return ms->selector.get();
  return nullptr;
}

}  // namespace

ExprPtr Parser::ParseRangeOrSubquery(ExprPtr e) {
  Token lb = Next();
  dur_context_ = "subquery or range selector";
  Duration range{0};
  ExprPtr range_expr;
  PosRange rpos;
  if (!ParseDuration(/*in_brackets=*/true, &range, &range_expr, &rpos)) return nullptr;
  bool known = !range_expr || !UsesQueryParams(*range_expr);
  if (known && range.count() <= 0) return Fail(rpos, "duration must be greater than 0");
  if (At(TokenKind::kColon)) {
    Next();
    auto sq = std::make_unique<SubqueryExpr>();
    if (!At(TokenKind::kRightBracket)) {
      PosRange spos;
      if (!ParseDuration(true, &sq->step, &sq->step_expr, &spos)) return nullptr;
      bool step_known = !sq->step_expr || !UsesQueryParams(*sq->step_expr);
      if (step_known && sq->step.count() <= 0) {
        return Fail(spos, "duration must be greater than 0");
      }
    }
    if (!At(TokenKind::kRightBracket)) {
      return FailUnexpected(Peek(), "subquery or range selector", "\"]\"");
    }
    sq->pos = PosRange{e->pos.start, Next().end};
    sq->expr = std::move(e);
    sq->range = range;
    sq->range_expr = std::move(range_expr);
    return sq;
  }
  if (!At(TokenKind::kRightBracket)) {
    return FailUnexpected(Peek(), "subquery or range selector", "\":\" or \"]\"");
  }
  PosRange brackets{lb.pos, Next().end};
  auto* vs = e->As<VectorSelector>();
  if (vs == nullptr) return Fail(brackets, "ranges only allowed for vector selectors");
  if (vs->offset.count() != 0 || vs->offset_expr) {
    return Fail(brackets, "no offset modifiers allowed before range");
  }
  if (vs->at.kind != AtModifier::Kind::kNone) {
    return Fail(brackets, "no @ modifiers allowed before range");
  }
  auto ms = std::make_unique<MatrixSelector>();
  ms->pos = PosRange{vs->pos.start, brackets.end};
  e.release();
  ms->selector.reset(vs);
  ms->range = range;
  ms->range_expr = std::move(range_expr);
  return ms;
}

ExprPtr Parser::ParseOffset(ExprPtr e) {
  Token kw = Next();
  VectorSelector* vs = SelectorOf(e.get());
  auto* sq = e->As<SubqueryExpr>();
  if (vs == nullptr && sq == nullptr) {
    return Fail(e->pos,
                "offset modifier must be preceded by an instant vector selector or "
                "range vector selector or a subquery");
  }
  Duration* offset = vs ? &vs->offset : &sq->offset;
  ExprPtr* offset_expr = vs ? &vs->offset_expr : &sq->offset_expr;
  if (offset->count() != 0 || *offset_expr) {
    return Fail(e->pos, "offset may not be set multiple times");
  }
  dur_context_ = "offset";
  PosRange opos{kw.end, kw.end};
  if (!ParseDuration(/*in_brackets=*/false, offset, offset_expr, &opos)) return nullptr;
  e->pos.end = opos.end;
  return e;
}

ExprPtr Parser::ParseAt(ExprPtr e) {
  Next();  // '@'
  VectorSelector* vs = SelectorOf(e.get());
  auto* sq = e->As<SubqueryExpr>();
  if (vs == nullptr && sq == nullptr) {
    return Fail(e->pos,
                "@ modifier must be preceded by an instant vector selector or range "
                "vector selector or a subquery");
  }
  AtModifier* at = vs ? &vs->at : &sq->at;
  if (at->kind != AtModifier::Kind::kNone) {
    return Fail(e->pos, "@ <timestamp> may not be set multiple times");
  }
  if ((AtWord("start") || AtWord("end")) && Peek(1).kind == TokenKind::kLeftParen &&
      Peek(2).kind == TokenKind::kRightParen) {
    at->kind = AtWord("start") ? AtModifier::Kind::kStart : AtModifier::Kind::kEnd;
    Next(), Next();
    e->pos.end = Next().end;
    return e;
  }
  bool negative = false;
  if (At(TokenKind::kAdd) || At(TokenKind::kSub)) negative = Next().kind == TokenKind::kSub;
  const Token& t = Peek();
  double seconds = 0;
  if (t.kind == TokenKind::kDuration) {
    Result<Duration> d = hw::ParseDuration(t.text);
    if (!d.ok()) return Fail(t, fmt::format("not a valid duration string: \"{}\"", t.text));
    seconds = static_cast<double>(d->count()) / 1000.0;
  } else if (t.kind == TokenKind::kNumber ||
             (t.kind == TokenKind::kIdentifier &&
              (ToLower(t.text) == "inf" || ToLower(t.text) == "nan"))) {
    Result<double> v = ParseNumber(t.text);
    if (!v.ok()) return Fail(t, v.status().message());
    seconds = *v;
  } else {
    return FailUnexpected(t, "@", "timestamp");
  }
  if (negative) seconds = -seconds;
  double ms = seconds * 1000.0;
  if (!std::isfinite(ms) || ms >= 9.223372036854775807e18 || ms <= -9.223372036854775808e18) {
    return Fail(e->pos, "timestamp out of bounds for @ modifier: " + GoFixed(seconds));
  }
  at->kind = AtModifier::Kind::kTimestamp;
  at->timestamp_ms = std::llround(ms);
  e->pos.end = Next().end;
  return e;
}

ExprPtr Parser::ParseRangeModifier(ExprPtr e) {
  Token kw = Next();
  std::string w = ToLower(kw.text);
  if (!options_.extended_range_selectors) {
    return Fail(kw, fmt::format("{} modifier is experimental and not enabled "
                                "(--enable-feature=promql-extended-range-selectors)",
                                w));
  }
  VectorSelector* vs = SelectorOf(e.get());
  if (vs == nullptr) {
    return Fail(e->pos, fmt::format("{} modifier must be preceded by an instant vector "
                                    "selector or range vector selector",
                                    w));
  }
  if (vs->anchored || vs->smoothed) {
    return Fail(kw, "anchored and smoothed modifiers may not be set multiple times");
  }
  (w == "anchored" ? vs->anchored : vs->smoothed) = true;
  e->pos.end = kw.end;
  return e;
}

}  // namespace hw::promql
