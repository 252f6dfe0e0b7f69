// Random mutation testing, buildable with gcc (the libFuzzer target needs clang):
// corrupt valid queries by deleting, inserting, swapping and duplicating bytes with a
// fixed seed, and require that the parser never crashes, that every error carries a
// position inside the input, and that whatever still parses prints back to an equal
// tree.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <regex>

#include "promql/parser.h"
#include "promql/printer.h"

namespace hw::promql {
namespace {

std::vector<std::string> LoadCorpus() {
  std::vector<std::string> corpus;
  for (const auto& entry : std::filesystem::directory_iterator(HW_PROMQL_CORPUS_DIR)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!text.empty()) corpus.push_back(text);
  }
  std::sort(corpus.begin(), corpus.end());  // directory order is not stable
  return corpus;
}

std::string Mutate(std::string s, std::mt19937& rng) {
  static const std::string kAlphabet =
      "(){}[],:=!~<>+-*/%^@#\"'`\\ \n\t0123456789.eExXmshdwy_abcfglnoprtuvz"
      "\xff\xc3\xa9";
  auto pick = [&rng](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  int edits = 1 + static_cast<int>(pick(3));
  for (int i = 0; i < edits; ++i) {
    switch (pick(4)) {
      case 0:
        if (!s.empty()) s.erase(pick(s.size()), 1);
        break;
      case 1:
        s.insert(s.begin() + static_cast<long>(pick(s.size() + 1)),
                 kAlphabet[pick(kAlphabet.size())]);
        break;
      case 2:
        if (s.size() > 1) std::swap(s[pick(s.size())], s[pick(s.size())]);
        break;
      default:
        if (!s.empty()) {
          size_t from = pick(s.size());
          size_t len = 1 + pick(std::min<size_t>(8, s.size() - from));
          s.insert(pick(s.size() + 1), s.substr(from, len));
        }
        break;
    }
  }
  return s;
}

TEST(MutationTest, CorruptedQueriesFailCleanlyWithAPosition) {
  std::vector<std::string> corpus = LoadCorpus();
  ASSERT_GE(corpus.size(), 40u);
  std::mt19937 rng(20240601);
  const std::regex kPositioned(R"(^\d+:\d+: parse error: .+)");
  ParseOptions options = ParseOptions::AllEnabled();
  int failures = 0, successes = 0;
  for (int i = 0; i < 100000; ++i) {
    std::string input = Mutate(corpus[i % corpus.size()], rng);
    ParseError err;
    Result<ExprPtr> e = ParseExpr(input, options, &err);
    if (!e.ok()) {
      ++failures;
      ASSERT_TRUE(std::regex_search(e.status().message(), kPositioned))
          << "input: " << input << "\nerror: " << e.status().message();
      ASSERT_GE(err.pos.start, 0) << input;
      ASSERT_LE(err.pos.start, static_cast<int>(input.size())) << input;
      ASSERT_GE(err.line, 1);
      ASSERT_GE(err.column, 1);
      continue;
    }
    ++successes;
    std::string printed = Format(**e);
    Result<ExprPtr> again = ParseExpr(printed, options);
    ASSERT_TRUE(again.ok()) << "input: " << input << "\nprinted: " << printed << "\n"
                            << again.status().message();
    ASSERT_TRUE(Equal(**e, **again)) << "input: " << input << "\nprinted: " << printed;
  }
  EXPECT_GT(failures, 0);
  EXPECT_GT(successes, 0);
}

TEST(MutationTest, DeepNestingFailsInsteadOfOverflowing) {
  std::string deep(100000, '(');
  Result<ExprPtr> e = ParseExpr(deep + "1" + std::string(100000, ')'));
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("maximum depth"), std::string::npos);
  EXPECT_FALSE(ParseExpr(std::string(100000, '-') + "foo").ok());
  // Long flat chains are fine.
  std::string chain = "a";
  for (int i = 0; i < 5000; ++i) chain += " + a";
  EXPECT_TRUE(ParseExpr(chain).ok());
}

}  // namespace
}  // namespace hw::promql
