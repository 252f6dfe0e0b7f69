// What people type into incidents: text of a sensible size, one line where one line
// is shown, and every refusal names the field and what was wrong.
#include "incidents/text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace hw::incidents {
namespace {

using ::testing::HasSubstr;

TEST(CheckTextTest, AcceptsOrdinaryText) {
  EXPECT_TRUE(CheckText("title", "Checkout failing: 5xx on /api/pay", 1024, TextShape::kLine).ok());
  EXPECT_TRUE(CheckText("title", "Zahlungen schlagen fehl \xE2\x80\x94 \xF0\x9F\x94\xA5", 1024,
                        TextShape::kLine).ok());
  EXPECT_TRUE(CheckText("note", "Rolled back.\r\n\tDeploy 4711 reverted.\n", 1024,
                        TextShape::kMultiline).ok());
  EXPECT_TRUE(CheckText("owner", "", 10, TextShape::kLine, /*required=*/false).ok());
}

TEST(CheckTextTest, RefusesWithTheFieldAndTheReason) {
  struct Case {
    std::string text;
    TextShape shape;
    const char* message;
  };
  const Case cases[] = {
      {"", TextShape::kLine, "title: is empty"},
      {"  \t ", TextShape::kMultiline, "title: is empty"},
      {std::string(1025, 'x'), TextShape::kLine, "title: 1025 bytes, at most 1024 are allowed"},
      {"\xFF\xFE", TextShape::kLine, "title: not valid UTF-8"},
      {"a\nb", TextShape::kLine, "title: control character U+000A at byte 1 (one line expected)"},
      {"a\x1B[31mb", TextShape::kMultiline, "title: control character U+001B at byte 1"},
      {std::string("a\0b", 3), TextShape::kMultiline, "title: control character U+0000 at byte 1"},
  };
  for (const Case& c : cases) {
    Status s = CheckText("title", c.text, 1024, c.shape);
    EXPECT_EQ(s.code(), StatusCode::kBadData) << c.message;
    EXPECT_THAT(s.message(), HasSubstr(c.message));
  }
}

TEST(OneLineTest, KeepsTheFirstLineAsTextCutOnACharacter) {
  EXPECT_EQ(OneLine("Rolled back deploy 4711", 100), "Rolled back deploy 4711");
  EXPECT_EQ(OneLine("first\nsecond", 100), "first\xE2\x80\xA6");
  EXPECT_EQ(OneLine("a\x1B[31m\xFF", 100), "a\xEF\xBF\xBD[31m\xEF\xBF\xBD");
  // 10 bytes: 7 kept (the 2-byte é at bytes 6-7 would be split) plus the 3-byte ellipsis.
  const std::string cut = OneLine("abcdef\xC3\xA9ghij", 10);
  EXPECT_EQ(cut, "abcdef\xE2\x80\xA6");
  for (const std::string& s : {cut, OneLine(std::string(5000, 'x') + "\n\x01", 300)}) {
    EXPECT_TRUE(CheckText("line", s, 300, TextShape::kLine).ok()) << s;
  }
}

}  // namespace
}  // namespace hw::incidents
