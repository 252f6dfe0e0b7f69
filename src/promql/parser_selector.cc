// Vector selectors: metric names, `{...}` label matchers (with quoted UTF-8 names and
// the bare `"metric.name"` form), and the parenthesized label lists of by/without,
// on/ignoring and group_left/group_right.
#include <fmt/format.h>

#include "model/labels.h"
#include "promql/parser_internal.h"

namespace hw::promql {
namespace {

std::string GoQuote(std::string_view s) {
  std::string out;
  model::AppendQuoted(&out, s);
  return out;
}

bool MatchTypeOf(TokenKind kind, model::MatchType* type) {
  switch (kind) {
    case TokenKind::kAssign:
      *type = model::MatchType::kEqual;
      return true;
    case TokenKind::kNeq:
      *type = model::MatchType::kNotEqual;
      return true;
    case TokenKind::kRegexMatch:
      *type = model::MatchType::kRegexMatch;
      return true;
    case TokenKind::kRegexNoMatch:
      *type = model::MatchType::kRegexNoMatch;
      return true;
    default:
      return false;
  }
}

}  // namespace

ExprPtr Parser::ParseVectorSelector() {
  auto vs = std::make_unique<VectorSelector>();
  int start = Peek().pos;
  int end = start;
  if (At(TokenKind::kIdentifier)) {
    const Token& name = Next();
    vs->name = std::string(name.text);
    end = name.end;
  }
  if (At(TokenKind::kLeftBrace) && !ParseLabelMatchers(&vs->matchers, &end)) return nullptr;
  vs->pos = PosRange{start, end};
  if (!vs->name.empty()) {
    for (const model::Matcher& m : vs->matchers) {
      if (m.name() == model::kMetricName) {
        return Fail(vs->pos, fmt::format("metric name must not be set twice: {} or {}",
                                         GoQuote(vs->name), GoQuote(m.value())));
      }
    }
    vs->matchers.push_back(model::Matcher::Equal(model::kMetricName, vs->name));
  }
  return vs;
}

bool Parser::ParseLabelMatchers(std::vector<model::Matcher>* out, int* end) {
  Next();  // '{'
  constexpr std::string_view kContext = "label matching";
  while (true) {
    const Token& t = Peek();
    if (t.kind == TokenKind::kRightBrace) {
      *end = Next().end;
      return true;
    }
    if (t.kind != TokenKind::kIdentifier && t.kind != TokenKind::kString) {
      FailUnexpected(t, kContext, "identifier or \"}\"");
      return false;
    }
    Token name_tok = Next();
    std::string name(name_tok.text);
    if (name_tok.kind == TokenKind::kString) {
      Result<std::string> s = Unquote(name_tok.text);
      if (!s.ok()) {
        Fail(name_tok, s.status().message());
        return false;
      }
      name = std::move(*s);
      if (At(TokenKind::kComma) || At(TokenKind::kRightBrace)) {
        // A lone quoted string names the metric: {"my.metric"}.
        out->push_back(model::Matcher::Equal(model::kMetricName, name));
        if (At(TokenKind::kComma)) Next();
        continue;
      }
    }
    model::MatchType type;
    if (!MatchTypeOf(Peek().kind, &type)) {
      FailUnexpected(Peek(), kContext, "label matching operator");
      return false;
    }
    Next();
    const Token& value_tok = Peek();
    if (value_tok.kind != TokenKind::kString) {
      FailUnexpected(value_tok, kContext, "string");
      return false;
    }
    Result<std::string> value = Unquote(value_tok.text);
    if (!value.ok()) {
      Fail(value_tok, value.status().message());
      return false;
    }
    Result<model::Matcher> m = model::Matcher::Make(type, name, *value);
    if (!m.ok()) {
      Fail(PosRange{name_tok.pos, value_tok.end}, m.status().message());
      return false;
    }
    out->push_back(std::move(*m));
    Next();
    if (At(TokenKind::kComma)) {
      Next();
    } else if (!At(TokenKind::kRightBrace)) {
      FailUnexpected(Peek(), kContext, "\",\" or \"}\"");
      return false;
    }
  }
}

bool Parser::ParseLabelList(std::vector<std::string>* out, std::string_view context, int* end) {
  if (!At(TokenKind::kLeftParen)) {
    FailUnexpected(Peek(), context, "\"(\"");
    return false;
  }
  Next();
  while (true) {
    const Token& t = Peek();
    if (t.kind == TokenKind::kRightParen) {
      *end = Next().end;
      return true;
    }
    if (t.kind == TokenKind::kIdentifier && t.text.find(':') == std::string_view::npos) {
      out->emplace_back(t.text);
    } else if (t.kind == TokenKind::kString) {
      Result<std::string> s = Unquote(t.text);
      if (!s.ok()) {
        Fail(t, s.status().message());
        return false;
      }
      out->push_back(std::move(*s));
    } else {
      FailUnexpected(t, context, "label");
      return false;
    }
    Next();
    if (At(TokenKind::kComma)) {
      Next();
    } else if (!At(TokenKind::kRightParen)) {
      FailUnexpected(Peek(), context, "\",\" or \")\"");
      return false;
    }
  }
}

}  // namespace hw::promql
