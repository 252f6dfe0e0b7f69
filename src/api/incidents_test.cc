// The incidents API's parameter checks: an out-of-range action item is a 400 naming
// the parameter (not a 500 from an exception), a bad ?time names `time`, and
// /api/v1/oncall answers every schedule from one read.
#include "api/incidents.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

namespace hw::api {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

class NoPager : public incidents::PageSender {
 public:
  Status Page(const incidents::Incident&, const incidents::EscalationStep&) override {
    return Status::Ok();
  }
};

class IncidentsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hw_incidents_api_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = alerting::StateDb::Open((dir_ / "state.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    incidents::ManagerOptions o;
    o.db = db_.get();
    o.clock = &clock_;
    o.pager = &pager_;
    o.config.configured = true;
    for (const char* name : {"primary", "secondary"}) {
      config::ScheduleConfig s;
      s.name = name;
      s.time_zone = "UTC";
      s.layers = {{"daily", 0, 9 * 60, 0, {"alice"}}};
      o.config.schedules.push_back(s);
    }
    o.config.users = {{"alice", "", {}}};
    auto m = incidents::IncidentManager::Open(std::move(o));
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    manager_ = std::move(m).value();
    RegisterIncidentRoutes(router_, *manager_);
  }
  void TearDown() override {
    manager_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  http::Response Send(const std::string& method, const std::string& path,
                      const std::string& query = "") {
    http::RouteMatch m = router_.Match(method, path);
    EXPECT_EQ(m.kind, http::RouteMatch::Kind::kFound) << path;
    if (m.kind != http::RouteMatch::Kind::kFound) return {};
    http::Request req;
    req.method = method;
    req.path = path;
    req.target = query.empty() ? path : path + "?" + query;
    std::string error;
    EXPECT_TRUE(http::ParseQueryString(query, &req.query, &error));
    req.route_params = m.params;
    return m.route->handler(req);
  }

  fs::path dir_;
  FakeClock clock_{1'700'000'000'000};
  NoPager pager_;
  std::unique_ptr<alerting::StateDb> db_;
  std::unique_ptr<incidents::IncidentManager> manager_;
  http::Router router_;
};

TEST_F(IncidentsApiTest, ActionItemNumberOutOfRangeIs400NamingIt) {
  auto id = manager_->OpenManual("Checkout failing", 2, "alice");
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(manager_->Resolve(*id, "alice").ok());
  ASSERT_TRUE(manager_->AddActionItem(*id, "add a canary", "bob", "alice").ok());
  const std::string base = "/api/v1/incidents/" + std::to_string(*id) + "/action_items/";
  for (const char* bad : {"99999999999", "0", "-1", "x1", "1x"}) {
    http::Response r = Send("POST", base + bad, "done=true");
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
    EXPECT_THAT(r.body, HasSubstr(std::string("invalid item \\\"") + bad)) << bad;
  }
  EXPECT_EQ(Send("POST", base + "2", "done=true").status, 404);  // in range, no such item
  http::Response ok = Send("POST", base + "1", "done=true");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(manager_->Get(*id)->action_items[0].done);
  EXPECT_EQ(Send("GET", "/api/v1/incidents/99999999999999999999").status, 400);
}

TEST_F(IncidentsApiTest, OnCallAnswersEverySchedulesAndNamesABadTime) {
  http::Response all = Send("GET", "/api/v1/oncall", "time=2024-03-05T10:00:00Z");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_THAT(all.body, HasSubstr(R"("schedule":"primary")"));
  EXPECT_THAT(all.body, HasSubstr(R"("user":"alice")"));
  EXPECT_THAT(all.body, HasSubstr(R"("schedule":"secondary")"));
  EXPECT_EQ(Send("GET", "/api/v1/oncall/secondary").status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/oncall/nope").status, 404);
  http::Response bad = Send("GET", "/api/v1/oncall", "time=x");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("invalid parameter \\\"time\\\""));
}

}  // namespace
}  // namespace hw::api
