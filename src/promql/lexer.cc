// The tokenizer loop: contexts (statement, braces, brackets), operators, words and
// comments. Number, duration and string scanning live in lexer_literals.cc.
#include "promql/lexer.h"

#include <fmt/format.h>

#include "promql/lexer_internal.h"

namespace hw::promql {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

class Lexer {
 public:
  explicit Lexer(std::string_view in) : in_(in) {}

  std::vector<Token> Run() {
    while (true) {
      SkipSpaceAndComments();
      if (pos_ >= in_.size()) {
        if (in_braces_) {
          Fail(pos_, pos_, "unexpected end of input inside braces");
        } else {
          Emit(TokenKind::kEof, pos_, pos_);
        }
        return std::move(out_);
      }
      bool ok = in_braces_ ? LexInsideBraces() : LexStatement();
      if (!ok) return std::move(out_);
    }
  }

 private:
  void SkipSpaceAndComments() {
    while (pos_ < in_.size()) {
      if (IsSpace(in_[pos_])) {
        ++pos_;
      } else if (in_[pos_] == '#') {
        while (pos_ < in_.size() && in_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  char Peek(size_t ahead = 0) const { return pos_ + ahead < in_.size() ? in_[pos_ + ahead] : '\0'; }

  bool Emit(TokenKind kind, size_t start, size_t end) {
    Token t;
    t.kind = kind;
    t.pos = static_cast<int>(start);
    t.end = static_cast<int>(end);
    t.text = in_.substr(start, end - start);
    out_.push_back(std::move(t));
    pos_ = end;
    return true;
  }

  bool Fail(size_t start, size_t end, std::string message) {
    Token t;
    t.kind = TokenKind::kError;
    t.pos = static_cast<int>(start);
    t.end = static_cast<int>(std::min(end, in_.size()));
    t.text = in_.substr(start, t.end - t.pos);
    t.error = std::move(message);
    out_.push_back(std::move(t));
    return false;
  }

  bool LexWord(bool allow_colon) {
    size_t end = pos_;
    while (end < in_.size() &&
           (IsAlpha(in_[end]) || IsDigit(in_[end]) || (allow_colon && in_[end] == ':'))) {
      ++end;
    }
    return Emit(TokenKind::kIdentifier, pos_, end);
  }

  bool LexString() {
    std::string error;
    size_t err_pos = pos_;
    size_t end = ScanString(in_, pos_, &error, &err_pos);
    if (!error.empty()) return Fail(err_pos, end, std::move(error));
    return Emit(TokenKind::kString, pos_, end);
  }

  bool LexInsideBraces() {
    char c = Peek();
    if (IsAlpha(c)) return LexWord(/*allow_colon=*/false);
    switch (c) {
      case '"':
      case '\'':
      case '`':
        return LexString();
      case ',':
        return Emit(TokenKind::kComma, pos_, pos_ + 1);
      case '}':
        in_braces_ = false;
        return Emit(TokenKind::kRightBrace, pos_, pos_ + 1);
      case '=':
        if (Peek(1) == '~') return Emit(TokenKind::kRegexMatch, pos_, pos_ + 2);
        return Emit(TokenKind::kAssign, pos_, pos_ + 1);
      case '!':
        if (Peek(1) == '=') return Emit(TokenKind::kNeq, pos_, pos_ + 2);
        if (Peek(1) == '~') return Emit(TokenKind::kRegexNoMatch, pos_, pos_ + 2);
        return Fail(pos_, pos_ + 2,
                    fmt::format("unexpected character after '!' inside braces: {}",
                                QuoteRuneAt(in_, pos_ + 1)));
      default:
        return Fail(pos_, pos_ + 1,
                    fmt::format("unexpected character inside braces: {}", QuoteRuneAt(in_, pos_)));
    }
  }

  bool LexStatement() {
    char c = Peek();
    bool in_brackets = bracket_depth_ > 0;
    if (IsAlpha(c) || (c == ':' && !in_brackets)) return LexWord(/*allow_colon=*/!in_brackets);
    if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) {
      std::string error;
      bool is_duration = false;
      size_t end = ScanNumber(in_, pos_, &is_duration, &error);
      if (!error.empty()) return Fail(pos_, end, std::move(error));
      return Emit(is_duration ? TokenKind::kDuration : TokenKind::kNumber, pos_, end);
    }
    switch (c) {
      case '"':
      case '\'':
      case '`':
        if (in_brackets) {
          return Fail(pos_, pos_ + 1,
                      fmt::format("unexpected character in duration expression: {}",
                                  QuoteRuneAt(in_, pos_)));
        }
        return LexString();
      case '(':
        return Emit(TokenKind::kLeftParen, pos_, pos_ + 1);
      case ')':
        return Emit(TokenKind::kRightParen, pos_, pos_ + 1);
      case ',':
        return Emit(TokenKind::kComma, pos_, pos_ + 1);
      case ':':
        return Emit(TokenKind::kColon, pos_, pos_ + 1);
      case '+':
        return Emit(TokenKind::kAdd, pos_, pos_ + 1);
      case '-':
        return Emit(TokenKind::kSub, pos_, pos_ + 1);
      case '*':
        return Emit(TokenKind::kMul, pos_, pos_ + 1);
      case '/':
        return Emit(TokenKind::kDiv, pos_, pos_ + 1);
      case '%':
        return Emit(TokenKind::kMod, pos_, pos_ + 1);
      case '^':
        return Emit(TokenKind::kPow, pos_, pos_ + 1);
      case '@':
        return Emit(TokenKind::kAt, pos_, pos_ + 1);
      case '[':
        ++bracket_depth_;
        return Emit(TokenKind::kLeftBracket, pos_, pos_ + 1);
      case ']':
        if (bracket_depth_ == 0) return Fail(pos_, pos_ + 1, "unexpected right bracket ']'");
        --bracket_depth_;
        return Emit(TokenKind::kRightBracket, pos_, pos_ + 1);
      case '{':
        if (in_brackets) {
          return Fail(pos_, pos_ + 1, "unexpected character in duration expression: '{'");
        }
        in_braces_ = true;
        return Emit(TokenKind::kLeftBrace, pos_, pos_ + 1);
      case '}':
        return Fail(pos_, pos_ + 1, "unexpected character: '}'");
      case '=':
        if (Peek(1) == '=') return Emit(TokenKind::kEql, pos_, pos_ + 2);
        if (Peek(1) == '~') return Fail(pos_, pos_ + 2, "unexpected character after '=': '~'");
        return Emit(TokenKind::kAssign, pos_, pos_ + 1);
      case '!':
        if (Peek(1) == '=') return Emit(TokenKind::kNeq, pos_, pos_ + 2);
        return Fail(pos_, pos_ + 2,
                    fmt::format("unexpected character after '!': {}", QuoteRuneAt(in_, pos_ + 1)));
      case '<':
        if (Peek(1) == '=') return Emit(TokenKind::kLte, pos_, pos_ + 2);
        if (Peek(1) == '/') return Emit(TokenKind::kTrimUpper, pos_, pos_ + 2);
        return Emit(TokenKind::kLss, pos_, pos_ + 1);
      case '>':
        if (Peek(1) == '=') return Emit(TokenKind::kGte, pos_, pos_ + 2);
        if (Peek(1) == '/') return Emit(TokenKind::kTrimLower, pos_, pos_ + 2);
        return Emit(TokenKind::kGtr, pos_, pos_ + 1);
      default:
        return Fail(pos_, pos_ + 1,
                    fmt::format("unexpected character: {}", QuoteRuneAt(in_, pos_)));
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
  bool in_braces_ = false;
  int bracket_depth_ = 0;
  std::vector<Token> out_;
};

}  // namespace

std::vector<Token> Lex(std::string_view input) { return Lexer(input).Run(); }

}  // namespace hw::promql
