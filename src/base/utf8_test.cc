// UTF-8 validity as Go's utf8.ValidString judges it, and the repair the API applies
// before writing raw bytes into JSON.
#include "base/utf8.h"

#include <gtest/gtest.h>

namespace hw {
namespace {

TEST(Utf8Test, AcceptsWellFormedTextOfEveryLength) {
  EXPECT_TRUE(ValidUtf8(""));
  EXPECT_TRUE(ValidUtf8("plain ascii"));
  EXPECT_TRUE(ValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\xA5"));  // é € 🔥
  EXPECT_TRUE(ValidUtf8("\xF4\x8F\xBF\xBF"));                          // U+10FFFF
}

TEST(Utf8Test, RejectsWhatGoRejects) {
  EXPECT_FALSE(ValidUtf8("\xFF\xFE"));
  EXPECT_FALSE(ValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(ValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(ValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(ValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(ValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(ValidUtf8("a\x80z"));            // a lone continuation byte
  // Past the 8-byte ASCII runs too.
  EXPECT_FALSE(ValidUtf8("0123456789abcdef\xFF"));
  EXPECT_TRUE(ValidUtf8("0123456789abcdef\xC3\xA9"));
  EXPECT_FALSE(ValidUtf8("01234567\xC0\xAF89"));
}

TEST(Utf8Test, RepairReplacesEachInvalidByteAndKeepsTheRest) {
  EXPECT_EQ(ToValidUtf8("ok \xC3\xA9"), "ok \xC3\xA9");
  EXPECT_EQ(ToValidUtf8("a\xFF\xFE" "b"), "a\xEF\xBF\xBD\xEF\xBF\xBD" "b");
  EXPECT_EQ(ToValidUtf8("\xC3"), "\xEF\xBF\xBD");
  EXPECT_EQ(ToValidUtf8("long ascii prefix!\xE2\x82"), "long ascii prefix!\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_TRUE(ValidUtf8(ToValidUtf8("\xED\xA0\x80 \xF4\x90\x80\x80")));
}

}  // namespace
}  // namespace hw
