// The incidents API's parameter checks: an out-of-range action item is a 400 naming
// the parameter (not a 500 from an exception), a bad ?time names `time`, and
// /api/v1/oncall answers every schedule from one read.
#include "api/incidents.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/incidents_test_fixture.h"

namespace hw::api {
namespace {

using ::testing::HasSubstr;

class IncidentsApiTest : public IncidentsApiFixture {
 protected:
  void SetUp() override {
    config::IncidentsConfig cfg;
    for (const char* name : {"primary", "secondary"}) {
      config::ScheduleConfig s;
      s.name = name;
      s.time_zone = "UTC";
      s.layers = {{"daily", 0, 9 * 60, 0, {"alice"}}};
      cfg.schedules.push_back(s);
    }
    cfg.users = {{"alice", "", {}}};
    OpenManager(std::move(cfg));
    RegisterIncidentRoutes(router_, *manager_);
  }

  http::Response Send(const std::string& method, const std::string& path,
                      const std::string& query = "") {
    return Dispatch(method, path, query);
  }
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
