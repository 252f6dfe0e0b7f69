// The incidents API's parameter checks: an out-of-range action item is a 400 naming
// the parameter (not a 500 from an exception), a bad ?time names `time`, and
// /api/v1/oncall answers every schedule from one read; text that is not text, or too
// much of it, is refused naming the field; a body in another encoding is named.
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

TEST_F(IncidentsApiTest, BadTextAndBadFlagsAre400sNamingWhatWasWrong) {
  struct Case {
    std::string query;
    const char* message;
  };
  const Case cases[] = {
      {"severity=P3&title=a%0Ab", "title: control character U+000A at byte 1 (one line expected)"},
      {"severity=P3&title=%FF%FE", "title: not valid UTF-8"},
      {"severity=P3&title=%20%20", "title: is empty"},
      {"severity=P3&title=" + std::string(1025, 'x'), "title: 1025 bytes, at most 1024"},
      {"severity=P3&title=ok&test=yes", "parameter \\\"test\\\" must be true or false, not \\\"yes\\\""},
  };
  for (const Case& c : cases) {
    http::Response r = Send("POST", "/api/v1/incidents", c.query);
    EXPECT_EQ(r.status, 400) << c.query;
    EXPECT_THAT(r.body, HasSubstr(c.message)) << r.body;
  }
  EXPECT_TRUE(manager_->List({}).empty());

  http::Response open = Send("GET", "/api/v1/incidents", "open=maybe");
  EXPECT_EQ(open.status, 400);
  EXPECT_THAT(open.body, HasSubstr("parameter \\\"open\\\" must be true or false"));

  http::Response big = Send("POST", "/api/v1/incidents/preview",
                            "markdown=" + std::string(256 * 1024 + 1, 'x'));
  EXPECT_EQ(big.status, 400);
  EXPECT_THAT(big.body, HasSubstr("markdown: 262145 bytes, at most 262144"));
}

TEST_F(IncidentsApiTest, ListsFilterAndPageBackNewestFirst) {
  std::vector<std::int64_t> ids;
  for (int i = 1; i <= 5; ++i) {
    auto id = manager_->OpenManual("Incident " + std::to_string(i), i % 2 ? 1 : 3, "alice");
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
  }
  ASSERT_TRUE(manager_->Resolve(ids[4], "alice").ok());
  auto listed = [&](const std::string& query) {
    http::Response r = Send("GET", "/api/v1/incidents", query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    std::vector<std::string> titles;
    for (std::size_t at = r.body.find("\"title\":\""); at != std::string::npos;
         at = r.body.find("\"title\":\"", at + 1)) {
      titles.push_back(r.body.substr(at + 9, r.body.find('"', at + 9) - at - 9));
    }
    return titles;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(listed("limit=2"), (V{"Incident 5", "Incident 4"}));
  EXPECT_EQ(listed("limit=2&before=" + std::to_string(ids[3])), (V{"Incident 3", "Incident 2"}));
  EXPECT_EQ(listed("limit=2&before=" + std::to_string(ids[1])), (V{"Incident 1"}));
  EXPECT_EQ(listed("severity=P1"), (V{"Incident 1", "Incident 3", "Incident 5"}));
  EXPECT_EQ(listed("severity=P1&open=true&limit=10"), (V{"Incident 3", "Incident 1"}));
  EXPECT_EQ(listed("state=resolved"), (V{"Incident 5"}));
  for (const auto& [query, message] : std::vector<std::pair<std::string, std::string>>{
           {"limit=0", "invalid parameter \\\"limit\\\": \\\"0\\\" is not a number from 1 to 1000"},
           {"limit=1001", "is not a number from 1 to 1000"},
           {"before=3", "it pages a list with a limit"},
           {"limit=5&before=x", "invalid parameter \\\"before\\\""},
           {"severity=P7", "invalid severity \\\"P7\\\""},
           {"state=gone", "invalid parameter \\\"state\\\": \\\"gone\\\""}}) {
    http::Response r = Send("GET", "/api/v1/incidents", query);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_THAT(r.body, HasSubstr(message)) << r.body;
  }
}

TEST_F(IncidentsApiTest, AJsonBodyIsNamedAsTheWrongEncoding) {
  http::RouteMatch m = router_.Match("POST", "/api/v1/incidents");
  ASSERT_EQ(m.kind, http::RouteMatch::Kind::kFound);
  http::Request req;
  req.method = "POST";
  req.path = "/api/v1/incidents";
  req.headers = {{"content-type", "application/json"}};
  req.body = R"({"title":"json","severity":"P3"})";
  http::Response r = m.route->handler(req);
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("send it as a form field (Content-Type: "
                                "application/x-www-form-urlencoded) or in the query, not as "
                                "application/json"));
}

}  // namespace
}  // namespace hw::api
