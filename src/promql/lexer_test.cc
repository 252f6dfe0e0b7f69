// Tokenizing: kinds, positions, contexts (braces, brackets), literals and unquoting.
#include "promql/lexer.h"

#include <gtest/gtest.h>

namespace hw::promql {
namespace {

std::vector<TokenKind> Kinds(std::string_view in) {
  std::vector<TokenKind> out;
  for (const Token& t : Lex(in)) out.push_back(t.kind);
  return out;
}

using K = TokenKind;

TEST(LexerTest, TokensAndPositions) {
  std::vector<Token> t = Lex("sum(rate(x{a=~\"b\"}[5m])) # note\n> 0.5");
  std::vector<K> want = {K::kIdentifier,   K::kLeftParen,  K::kIdentifier,  K::kLeftParen,
                         K::kIdentifier,   K::kLeftBrace,  K::kIdentifier,  K::kRegexMatch,
                         K::kString,       K::kRightBrace, K::kLeftBracket, K::kDuration,
                         K::kRightBracket, K::kRightParen, K::kRightParen,  K::kGtr,
                         K::kNumber,       K::kEof};
  ASSERT_EQ(t.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(t[i].kind, want[i]) << i;
  EXPECT_EQ(t[11].text, "5m");
  EXPECT_EQ(t[11].pos, 19);
  EXPECT_EQ(t[16].text, "0.5");
  EXPECT_EQ(t[17].pos, 37);
}

TEST(LexerTest, Contexts) {
  // ':' is part of a metric name outside brackets, a separator inside them.
  EXPECT_EQ(Kinds("a:b[5m:1m]"),
            (std::vector<K>{K::kIdentifier, K::kLeftBracket, K::kDuration, K::kColon, K::kDuration,
                            K::kRightBracket, K::kEof}));
  EXPECT_EQ(Lex("a:b")[0].text, "a:b");
  EXPECT_EQ(Kinds("x[5m:step()]"), (std::vector<K>{K::kIdentifier, K::kLeftBracket, K::kDuration,
                                                   K::kColon, K::kIdentifier, K::kLeftParen,
                                                   K::kRightParen, K::kRightBracket, K::kEof}));
  // '==' is one token outside braces, '=' '=' inside.
  EXPECT_EQ(Kinds("a == b"), (std::vector<K>{K::kIdentifier, K::kEql, K::kIdentifier, K::kEof}));
  EXPECT_EQ(Kinds("{a==\"b\"}")[2], K::kAssign);
  EXPECT_EQ(Kinds("{a!~\"b\"}")[2], K::kRegexNoMatch);
}

TEST(LexerTest, NumbersAndDurations) {
  for (std::string_view n : {"1", "1.5", ".5", "5.", "1e3", "1E-3", "0x1F", "0755", "1_000"}) {
    std::vector<Token> t = Lex(n);
    EXPECT_EQ(t[0].kind, K::kNumber) << n;
    EXPECT_EQ(t[0].text, n);
  }
  for (std::string_view d : {"1ms", "5m", "1h30m", "1y2w3d4h5m6s7ms", "250ms"}) {
    EXPECT_EQ(Lex(d)[0].kind, K::kDuration) << d;
  }
  EXPECT_EQ(Lex("5m1h")[0].error, "not a valid duration string: \"5m1h\"");
  EXPECT_EQ(Lex("1.5m")[0].error, "bad number or duration syntax: \"1.5m\"");
  EXPECT_EQ(Lex("1__0")[0].error, "bad number or duration syntax: \"1_\"");
  EXPECT_EQ(*ParseNumber("1_000"), 1000);
  EXPECT_EQ(*ParseNumber("0x10"), 16);
  EXPECT_EQ(*ParseNumber("010"), 8);
  EXPECT_FALSE(ParseNumber("1e999").ok());
}

TEST(LexerTest, Unquote) {
  EXPECT_EQ(*Unquote(R"("a\x41\101\u00e9\U0001F600")"), "aAA\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_EQ(*Unquote(R"('\'')"), "'");
  EXPECT_EQ(Unquote(R"("\'")").status().message(), "unknown escape sequence U+0027 '''");
  EXPECT_EQ(*Unquote("`\\n`"), "\\n");
  EXPECT_EQ(Unquote("\"\xff\"").status().message(), "invalid UTF-8 rune");
}

TEST(LexerTest, Errors) {
  EXPECT_EQ(Lex("a $ b")[1].error, "unexpected character: '$'");
  EXPECT_EQ(Lex("a ]")[1].error, "unexpected right bracket ']'");
  EXPECT_EQ(Lex("!x")[0].error, "unexpected character after '!': 'x'");
  EXPECT_EQ(Lex("{a!b}")[2].error, "unexpected character after '!' inside braces: 'b'");
  EXPECT_EQ(Lex("\"abc")[0].error, "unterminated quoted string");
  EXPECT_EQ(DescribeToken(Lex("sum")[0]), "<aggr:sum>");
  EXPECT_EQ(DescribeToken(Lex("BY")[0]), "<by>");
  EXPECT_EQ(DescribeToken(Lex("foo")[0]), "identifier \"foo\"");
  EXPECT_EQ(DescribeToken(Lex("a:b")[0]), "metric identifier \"a:b\"");
  EXPECT_EQ(DescribeToken(Lex("'x'")[0]), "string \"'x'\"");
  EXPECT_EQ(DescribeToken(Lex("")[0]), "end of input");
}

}  // namespace
}  // namespace hw::promql
