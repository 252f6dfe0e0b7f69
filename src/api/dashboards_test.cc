#include "api/dashboards.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace hw::api {
namespace {

class DashboardRoutesTest : public testing::Test {
 protected:
  void SetUp() override {
    auto list = std::make_shared<DashboardList>();
    Result<dashboards::Dashboard> a = dashboards::ParseDashboard(
        R"({"title": "API Performance", "extra": 1, "panels": [{"title": "a", "query": "up"}, {"title": "b", "query": "up +"}]})",
        "/etc/hw/api-performance.json", "api-performance");
    ASSERT_TRUE(a.ok()) << a.status().message();
    list->push_back(*a);
    for (dashboards::Dashboard& d : dashboards::BuiltinDashboards()) {
      if (d.id == "system-overview") list->push_back(d);
    }
    ASSERT_EQ(list->size(), 2u);
    RegisterDashboardRoutes(router_, [list] { return std::shared_ptr<const DashboardList>(list); });
  }

  rapidjson::Document Get(const std::string& path, int want_status) {
    http::RouteMatch m = router_.Match("GET", path);
    EXPECT_EQ(m.kind, http::RouteMatch::Kind::kFound) << path;
    EXPECT_EQ(m.route->required, config::Role::kRead);
    http::Request req;
    req.method = "GET";
    req.path = path;
    req.route_params = m.params;
    http::Response r = m.route->handler(req);
    EXPECT_EQ(r.status, want_status) << r.body;
    rapidjson::Document doc;
    doc.Parse(r.body.c_str());
    EXPECT_FALSE(doc.HasParseError()) << r.body;
    return doc;
  }

  http::Router router_;
};

TEST_F(DashboardRoutesTest, ListsIdTitlePanelCountAndFileWithWarnings) {
  rapidjson::Document doc = Get("/api/v1/dashboards", 200);
  ASSERT_EQ(std::string(doc["status"].GetString()), "success");
  const auto& list = doc["data"]["dashboards"];
  ASSERT_EQ(list.Size(), 2u);
  EXPECT_EQ(std::string(list[0]["id"].GetString()), "api-performance");
  EXPECT_EQ(std::string(list[0]["title"].GetString()), "API Performance");
  EXPECT_EQ(list[0]["panels"].GetInt(), 2);
  EXPECT_EQ(std::string(list[0]["file"].GetString()), "/etc/hw/api-performance.json");
  EXPECT_EQ(std::string(list[1]["id"].GetString()), "system-overview");
  EXPECT_EQ(list[1]["panels"].GetInt(), 10);
  ASSERT_TRUE(doc.HasMember("warnings"));
  ASSERT_EQ(doc["warnings"].Size(), 2u);
  EXPECT_EQ(std::string(doc["warnings"][0].GetString()), "/etc/hw/api-performance.json: extra: unknown field (ignored)");
  EXPECT_NE(std::string(doc["warnings"][1].GetString()).find(R"(panels[1] "b": query: )"), std::string::npos);
}

TEST_F(DashboardRoutesTest, OneDashboardIsTheFilesJson) {
  rapidjson::Document doc = Get("/api/v1/dashboards/system-overview", 200);
  const auto& d = doc["data"];
  EXPECT_EQ(std::string(d["title"].GetString()), "hasteCRM System Overview");
  ASSERT_TRUE(d["panels"].IsArray());
  EXPECT_EQ(std::string(d["panels"][0]["title"].GetString()), "Request Rate");
  EXPECT_FALSE(doc.HasMember("warnings"));
}

TEST_F(DashboardRoutesTest, AnUnknownIdIsNotFound) {
  rapidjson::Document doc = Get("/api/v1/dashboards/nope", 404);
  EXPECT_EQ(std::string(doc["errorType"].GetString()), "not_found");
  EXPECT_EQ(std::string(doc["error"].GetString()), "no dashboard \"nope\"");
}

}  // namespace
}  // namespace hw::api
