#include "base/status.h"

#include <set>

#include <gtest/gtest.h>

namespace hw {
namespace {

TEST(StatusTest, EveryCodeHasItsOwnErrorType) {
  const StatusCode codes[] = {StatusCode::kBadData,     StatusCode::kExecution,
                              StatusCode::kTimeout,     StatusCode::kCanceled,
                              StatusCode::kUnavailable, StatusCode::kNotFound,
                              StatusCode::kInternal,    StatusCode::kUnauthorized,
                              StatusCode::kForbidden,   StatusCode::kTooLarge,
                              StatusCode::kMethodNotAllowed};
  std::set<std::string_view> seen;
  for (StatusCode c : codes) {
    EXPECT_FALSE(ErrorType(c).empty());
    EXPECT_TRUE(seen.insert(ErrorType(c)).second) << ErrorType(c);
  }
  EXPECT_EQ(ErrorType(StatusCode::kBadData), "bad_data");
}

TEST(StatusTest, WrapChainsCauseAndKeepsCode) {
  Status s = Status::NotFound("no such file").Wrap("cannot load config \"x.yml\"");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "cannot load config \"x.yml\": no such file");
  EXPECT_TRUE(Status::Ok().Wrap("ignored").ok());
}

Result<int> Half(int n) {
  if (n % 2) return Status::BadData("odd");
  return n / 2;
}

TEST(StatusTest, ResultHoldsValueOrStatus) {
  EXPECT_EQ(*Half(4), 2);
  Result<int> r = Half(3);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd");
  EXPECT_TRUE(Half(2).status().ok());
}

}  // namespace
}  // namespace hw
