// What the incidents API tests share: a manager over a temporary state.db on a
// FakeClock (pages go nowhere), a router, and a request sent as the server routes it.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "alerting/state_db.h"
#include "base/clock.h"
#include "http/request.h"
#include "http/router.h"
#include "incidents/manager.h"

namespace hw::api {

class IncidentsApiFixture : public ::testing::Test {
 protected:
  class NoPager : public incidents::PageSender {
   public:
    Status Page(const incidents::Incident&, const incidents::EscalationStep&) override {
      return Status::Ok();
    }
  };

  // Opens the manager with `cfg` (configured set) over a fresh state.db.
  void OpenManager(config::IncidentsConfig cfg) {
    dir_ = std::filesystem::temp_directory_path() /
           ("hw_incidents_api_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = alerting::StateDb::Open((dir_ / "state.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    incidents::ManagerOptions o;
    o.db = db_.get();
    o.clock = &clock_;
    o.pager = &pager_;
    o.config = std::move(cfg);
    o.config.configured = true;
    auto m = incidents::IncidentManager::Open(std::move(o));
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    manager_ = std::move(m).value();
  }
  void TearDown() override {
    manager_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // `method` on `path` with query string `query`, routed and handled as the server does.
  http::Response Dispatch(const std::string& method, const std::string& path,
                          const std::string& query) {
    http::RouteMatch m = router_.Match(method, path);
    EXPECT_EQ(m.kind, http::RouteMatch::Kind::kFound) << path;
    if (m.kind != http::RouteMatch::Kind::kFound) return {};
    http::Request req;
    req.method = method;
    req.path = path;
    req.target = query.empty() ? path : path + "?" + query;
    std::string error;
    EXPECT_TRUE(http::ParseQueryString(query, &req.query, &error)) << error;
    req.route_params = m.params;
    return m.route->handler(req);
  }

  std::filesystem::path dir_;
  FakeClock clock_{1'700'000'000'000};
  NoPager pager_;
  std::unique_ptr<alerting::StateDb> db_;
  std::unique_ptr<incidents::IncidentManager> manager_;
  http::Router router_;
};

}  // namespace hw::api
