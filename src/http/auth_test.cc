#include "http/auth.h"

#include <gtest/gtest.h>

namespace hw::http {
namespace {

config::AuthConfig TwoTokens(config::Role anonymous) {
  config::AuthConfig c;
  c.anonymous = anonymous;
  c.tokens = {{"grafana", "read-token-0123456789", config::Role::kRead},
              {"ops", "admin-token-0123456789", config::Role::kAdmin}};
  return c;
}

TEST(AuthTest, BearerTokenGivesItsRole) {
  Authenticator a(TwoTokens(config::Role::kNone));
  Result<Principal> p = a.Authenticate("Bearer admin-token-0123456789");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->name, "ops");
  EXPECT_EQ(p->role, config::Role::kAdmin);
  EXPECT_TRUE(a.Authenticate("bearer read-token-0123456789").ok());
}

TEST(AuthTest, UnknownOrMalformedIsUnauthorizedNeverAnonymous) {
  Authenticator a(TwoTokens(config::Role::kRead));
  for (const char* h : {"Bearer nope", "Basic dXNlcjpwYXNz", "Bearer ", "admin-token-0123456789",
                        "Bearer admin-token-012345678", "Bearer admin-token-01234567890"}) {
    Result<Principal> p = a.Authenticate(h);
    ASSERT_FALSE(p.ok()) << h;
    EXPECT_EQ(p.status().code(), StatusCode::kUnauthorized);
    EXPECT_EQ(p.status().message().find("admin-token"), std::string::npos) << "leaks the token";
  }
  EXPECT_EQ(a.Authenticate("")->role, config::Role::kRead);
}

TEST(AuthTest, AuthorizeSeparates401From403) {
  EXPECT_TRUE(Authenticator::Authorize({"ops", config::Role::kAdmin}, config::Role::kWrite).ok());
  Status anon = Authenticator::Authorize({"", config::Role::kRead}, config::Role::kAdmin);
  EXPECT_EQ(anon.code(), StatusCode::kUnauthorized);
  Status low = Authenticator::Authorize({"grafana", config::Role::kRead}, config::Role::kAdmin);
  EXPECT_EQ(low.code(), StatusCode::kForbidden);
  EXPECT_NE(low.message().find("grafana"), std::string::npos);
}

TEST(AuthTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

}  // namespace
}  // namespace hw::http
