#include "model/hash.h"

#include <string>

#include <gtest/gtest.h>

namespace hw::model {
namespace {

// Published xxHash64 test vectors (seed 0 unless stated) pin the algorithm, so a
// change to it cannot go unnoticed: hashes are persisted and compared across runs.
TEST(XxHash64Test, MatchesReferenceVectors) {
  EXPECT_EQ(XxHash64(""), 0xef46db3751d8e999ULL);
  EXPECT_EQ(XxHash64("a"), 0xd24ec4f1a98c6e5bULL);
  EXPECT_EQ(XxHash64("abc"), 0x44bc2cf5ad770999ULL);
}

TEST(XxHash64Test, CoversEveryTailLengthDeterministically) {
  // Lengths 0..100 exercise the 32-byte stripes and the 8/4/1-byte tails.
  std::string s;
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(XxHash64(s), XxHash64(std::string(s)));
    EXPECT_NE(XxHash64(s), XxHash64(s + 'x'));
    s.push_back(static_cast<char>('a' + i % 26));
  }
  EXPECT_NE(XxHash64("abc", 0), XxHash64("abc", 1));
}

}  // namespace
}  // namespace hw::model
