// Parser core: token access, error reporting and the public entry points.
#include "promql/parser.h"

#include <fmt/format.h>

#include "promql/parse_hints.h"
#include "promql/parser_internal.h"

namespace hw::promql {

std::string ParseError::ToString() const {
  return fmt::format("{}:{}: parse error: {}", line, column, message);
}

std::string_view InternalTypeName(ValueType type) {
  switch (type) {
    case ValueType::kScalar:
      return "scalar";
    case ValueType::kVector:
      return "vector";
    case ValueType::kMatrix:
      return "matrix";
    case ValueType::kString:
      return "string";
    case ValueType::kNone:
      break;
  }
  return "none";
}

bool IsReservedWord(std::string_view word) {
  std::string w = ToLower(word);
  return w == "bool" || w == "on" || w == "ignoring" || w == "group_left" || w == "group_right" ||
         w == "inf" || w == "nan";
}

const Expr& RightmostOperand(const Expr& e) {
  if (auto* b = e.As<BinaryExpr>()) return RightmostOperand(*b->rhs);
  if (auto* u = e.As<UnaryExpr>()) return RightmostOperand(*u->expr);
  return e;
}

Parser::Parser(std::string_view input, const ParseOptions& options)
    : input_(input), options_(options), tokens_(Lex(input)) {}

const Token& Parser::Peek(int ahead) const {
  size_t i = std::min(next_ + static_cast<size_t>(ahead), tokens_.size() - 1);
  return tokens_[i];
}

const Token& Parser::Next() {
  const Token& t = tokens_[next_];
  if (next_ + 1 < tokens_.size()) ++next_;
  return t;
}

bool Parser::AtWord(std::string_view word, int ahead) const {
  const Token& t = Peek(ahead);
  if (t.kind != TokenKind::kIdentifier || t.text.size() != word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    char c = t.text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != word[i]) return false;
  }
  return true;
}

std::nullptr_t Parser::Fail(PosRange pos, std::string message) {
  if (error_) return nullptr;  // keep the first error
  ParseError err;
  err.pos = pos;
  err.message = std::move(message);
  int start = std::clamp(pos.start, 0, static_cast<int>(input_.size()));
  int last_newline = -1;
  for (int i = 0; i < start; ++i) {
    if (input_[i] == '\n') {
      ++err.line;
      last_newline = i;
    }
  }
  err.column = start - last_newline;
  error_ = std::move(err);
  return nullptr;
}

std::nullptr_t Parser::FailUnexpected(const Token& t, std::string_view context,
                                      std::string_view expected) {
  if (t.kind == TokenKind::kError) return Fail(t, t.error);
  std::string msg = "unexpected " + DescribeToken(t);
  if (!context.empty()) msg += fmt::format(" in {}", context);
  if (!expected.empty()) msg += fmt::format(", expected {}", expected);
  return Fail(t, std::move(msg));
}

std::nullptr_t Parser::FailAfterExpr(const Expr& operand, std::string_view context,
                                     std::string_view expected) {
  const Token& t = Peek();
  if (t.kind == TokenKind::kRightParen && context.empty()) {
    return Fail(t, "unexpected right parenthesis ')'");
  }
  if (AtWord("by") || AtWord("without")) {
    Token kw = Next();
    bool without = ToLower(kw.text) == "without";
    std::vector<std::string> labels;
    int end = 0;
    if (At(TokenKind::kLeftParen)) {
      std::optional<ParseError> saved = error_;
      ParseLabelList(&labels, "grouping opts", &end);
      error_ = saved;  // the hint below explains the real problem
    }
    return Fail(kw, fmt::format("unexpected {}: {}", DescribeToken(kw),
                                MisplacedGroupingHint(RightmostOperand(operand), without, labels)));
  }
  return FailUnexpected(t, context, expected);
}

ExprPtr Parser::ParseQuery() {
  if (At(TokenKind::kEof)) return Fail(PosRange{0, 0}, "no expression found in input");
  ExprPtr e = ParseExpression();
  if (!e) return nullptr;
  if (!At(TokenKind::kEof)) return FailAfterExpr(*e, {}, {});
  if (!Check(e.get())) return nullptr;
  return e;
}

std::unique_ptr<VectorSelector> Parser::ParseSelectorOnly() {
  const Token& t = Peek();
  if (t.kind != TokenKind::kLeftBrace &&
      (t.kind != TokenKind::kIdentifier || IsReservedWord(t.text))) {
    if (t.kind == TokenKind::kEof) {
      Fail(PosRange{0, 0}, "no expression found in input");
      return nullptr;
    }
    FailUnexpected(t, "metric selector", "metric name or \"{\"");
    return nullptr;
  }
  ExprPtr e = ParseVectorSelector();
  if (!e) return nullptr;
  if (!At(TokenKind::kEof)) {
    FailUnexpected(Peek(), "metric selector", "end of input");
    return nullptr;
  }
  auto* vs = e->As<VectorSelector>();
  if (!CheckSelector(*vs)) return nullptr;
  e.release();
  return std::unique_ptr<VectorSelector>(vs);
}

Result<ExprPtr> ParseExpr(std::string_view input, const ParseOptions& options, ParseError* error) {
  Parser p(input, options);
  ExprPtr e = p.ParseQuery();
  if (e) return e;
  if (error != nullptr) *error = *p.error();
  return Status::BadData(p.error()->ToString());
}

Result<std::vector<model::Matcher>> ParseMetricSelector(std::string_view input, ParseError* error) {
  Parser p(input, ParseOptions{});
  std::unique_ptr<VectorSelector> vs = p.ParseSelectorOnly();
  if (vs) return std::move(vs->matchers);
  if (error != nullptr) *error = *p.error();
  return Status::BadData(p.error()->ToString());
}

}  // namespace hw::promql
