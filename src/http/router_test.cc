#include "http/router.h"

#include <gtest/gtest.h>

namespace hw::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&) { return Response::Text(name); };
}

class RouterTest : public testing::Test {
 protected:
  void SetUp() override {
    r_.Get("/api/v1/query", config::Role::kRead, Named("query-get"));
    r_.Post("/api/v1/query", config::Role::kRead, Named("query-post"));
    r_.Get("/api/v1/label/:name/values", config::Role::kRead, Named("label-values"));
    r_.Get("/runbooks/*file", config::Role::kRead, Named("runbook"));
    r_.Get("/", config::Role::kRead, Named("root"));
  }
  Router r_;
};

TEST_F(RouterTest, MatchesLiteralAndMethod) {
  RouteMatch m = r_.Match("POST", "/api/v1/query");
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  Request req;
  EXPECT_EQ(m.route->handler(req).body, "query-post");
  EXPECT_EQ(m.route->pattern, "/api/v1/query");
}

TEST_F(RouterTest, CapturesParameters) {
  RouteMatch m = r_.Match("GET", "/api/v1/label/job/values");
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].first, "name");
  EXPECT_EQ(m.params[0].second, "job");
  EXPECT_EQ(r_.Match("GET", "/api/v1/label//values").kind, RouteMatch::Kind::kNotFound);
}

TEST_F(RouterTest, WildcardTakesTheRest) {
  RouteMatch m = r_.Match("GET", "/runbooks/db/database-down.md");
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.params[0].second, "db/database-down.md");
}

TEST_F(RouterTest, UnknownPathIsNotFoundAndWrongMethodListsAllowed) {
  EXPECT_EQ(r_.Match("GET", "/nope").kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(r_.Match("GET", "/api/v1/query/extra").kind, RouteMatch::Kind::kNotFound);
  RouteMatch m = r_.Match("DELETE", "/api/v1/query");
  EXPECT_EQ(m.kind, RouteMatch::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, POST");
}

TEST_F(RouterTest, HeadUsesGetRoute) {
  EXPECT_EQ(r_.Match("HEAD", "/").kind, RouteMatch::Kind::kFound);
}

}  // namespace
}  // namespace hw::http
