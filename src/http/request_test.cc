#include "http/request.h"

#include <gtest/gtest.h>

namespace hw::http {
namespace {

TEST(RequestTest, QueryEscapeLikeGo) {
  EXPECT_EQ(QueryEscape("a b/c?d=e&f~g.h_i-j"), "a+b%2Fc%3Fd%3De%26f~g.h_i-j");
}

TEST(RequestTest, FormEncodingIsRecognisedWhateverTheCaseAndParameters) {
  EXPECT_TRUE(IsFormEncoded("application/x-www-form-urlencoded"));
  EXPECT_TRUE(IsFormEncoded("Application/X-WWW-Form-Urlencoded; charset=UTF-8"));
  EXPECT_FALSE(IsFormEncoded("application/json"));
  EXPECT_FALSE(IsFormEncoded("application/x-www-form-urlencodedX"));
  EXPECT_FALSE(IsFormEncoded(""));
}

TEST(RequestTest, PercentDecodeRoundTripsQueryEscape) {
  const std::string expr = "sum by (job)(rate(x{a=~\"b|c\"}[5m])) > 0.5";
  std::string decoded;
  ASSERT_TRUE(PercentDecode(QueryEscape(expr), /*form=*/true, &decoded));
  EXPECT_EQ(decoded, expr);
  EXPECT_FALSE(PercentDecode("%zz", true, &decoded));
}

}  // namespace
}  // namespace hw::http
