// The recursive-descent parser behind ParseExpr and ParseMetricSelector. Internal to
// src/promql: its methods are split over parser*.cc by concern (expressions,
// selectors, durations/modifiers, type checks).
//
// Error handling: parse methods return nullptr (or false) after recording the first
// error with Fail(); callers propagate the null without reporting anything else.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "promql/ast.h"
#include "promql/lexer.h"
#include "promql/parser.h"

namespace hw::promql {

// `+x` / `-x`: a signed number literal folds the sign in (as Prometheus does), any
// other operand is wrapped in a UnaryExpr spanning sign and operand.
ExprPtr ApplySign(const Token& sign, ExprPtr operand);

// Nesting limit: deeper queries fail instead of exhausting the stack.
inline constexpr int kMaxNesting = 500;

class Parser {
 public:
  Parser(std::string_view input, const ParseOptions& options);

  // The whole input as one expression, type-checked; nullptr on error.
  ExprPtr ParseQuery();
  // The whole input as one plain vector selector, checked; nullptr on error.
  std::unique_ptr<VectorSelector> ParseSelectorOnly();

  const std::optional<ParseError>& error() const { return error_; }

 private:
  // --- tokens and errors (parser.cc) ---
  const Token& Peek(int ahead = 0) const;
  const Token& Next();
  bool At(TokenKind kind) const { return Peek().kind == kind; }
  // Whether the next token is the identifier `word` (lower case), in any case.
  bool AtWord(std::string_view word, int ahead = 0) const;
  std::nullptr_t Fail(PosRange pos, std::string message);
  std::nullptr_t Fail(const Token& t, std::string message) {
    return Fail(PosRange{t.pos, t.end}, std::move(message));
  }
  // "unexpected <token>[ in <context>][, expected <expected>]" (lexer errors verbatim).
  std::nullptr_t FailUnexpected(const Token& t, std::string_view context = {},
                                std::string_view expected = {});
  // Reports a token that cannot follow `operand`; explains a misplaced by/without.
  std::nullptr_t FailAfterExpr(const Expr& operand, std::string_view context,
                               std::string_view expected);

  // --- expressions (parser_expr.cc) ---
  ExprPtr ParseExpression() { return ParseBinary(0); }
  ExprPtr ParseBinary(int level);
  ExprPtr ParseUnary();
  ExprPtr ParsePow();
  ExprPtr ParsePostfix();
  ExprPtr ParsePrimary();
  ExprPtr ParseParen();
  ExprPtr ParseCall();
  ExprPtr ParseAggregate();
  bool ParseCallArgs(std::vector<ExprPtr>* args, int* end);
  bool ParseBinaryModifiers(BinaryExpr* b);
  bool ParseFillModifier(VectorMatching* vm);
  ExprPtr MakeBinary(BinaryOp op, ExprPtr lhs, ExprPtr rhs, BinaryExpr* modifiers);
  bool ParseSignedNumber(double* value, int* end);

  // --- selectors (parser_selector.cc) ---
  ExprPtr ParseVectorSelector();
  bool ParseLabelMatchers(std::vector<model::Matcher>* out, int* end);
  // `( label, "quoted label", ... )` as used by by/without/on/ignoring/group_*.
  bool ParseLabelList(std::vector<std::string>* out, std::string_view context, int* end);

  // --- ranges, subqueries, offset, @ and duration expressions (parser_duration.cc) ---
  ExprPtr ParseRangeOrSubquery(ExprPtr e);
  ExprPtr ParseOffset(ExprPtr e);
  ExprPtr ParseAt(ExprPtr e);
  ExprPtr ParseRangeModifier(ExprPtr e);
  // A duration in brackets (full expression) or after `offset` (signed atom). Sets
  // *value when the duration is known now; *expr when it was written as an expression.
  bool ParseDuration(bool in_brackets, Duration* value, ExprPtr* expr, PosRange* pos);
  ExprPtr ParseDurAdd();
  ExprPtr ParseDurMul();
  ExprPtr ParseDurUnary();
  ExprPtr ParseDurPow();
  ExprPtr ParseDurSignedAtom();
  ExprPtr ParseDurAtom();

  // --- type checks after parsing (parser_check.cc) ---
  bool Check(Expr* e);
  bool CheckCall(Call* c);
  bool CheckAggregate(AggregateExpr* a);
  bool CheckBinary(BinaryExpr* b);
  bool CheckSelector(const VectorSelector& vs);
  // Byte offset of a binary expression's operator (the first token after the lhs).
  int OperatorPos(const BinaryExpr& b) const;

  std::string_view input_;
  ParseOptions options_;
  std::vector<Token> tokens_;
  size_t next_ = 0;
  int paren_depth_ = 0;           // open '(' of parens and calls
  int depth_ = 0;                 // recursion depth of ParseUnary/ParseDurUnary
  std::string_view dur_context_;  // "offset" or "subquery or range selector"
  std::optional<ParseError> error_;
};

// Prometheus' Go names for value types, used in a few messages: "scalar", "vector",
// "matrix", "string".
std::string_view InternalTypeName(ValueType type);

// Whether a duration expression calls step() or range() (so it is only known at
// query time).
bool UsesQueryParams(const Expr& e);
// Evaluates a duration expression in seconds; on failure sets *error and *where.
bool EvalDurationSeconds(const Expr& e, double step_s, double range_s, double* out,
                         std::string* error, PosRange* where);
// Seconds -> Duration, failing with "duration out of range" outside int64 nanoseconds.
Result<Duration> SecondsToDuration(double seconds);

// Words that can never name a metric: bool, on, ignoring, group_left, group_right
// (Prometheus' rule) and inf/nan (numbers).
bool IsReservedWord(std::string_view word);

// The operand closest to the end of `e` (the rhs of binaries, the operand of unaries).
const Expr& RightmostOperand(const Expr& e);

}  // namespace hw::promql
