#include "collect/dependency_check.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "http/server.h"

namespace hw::collect {
namespace {

class DependencyCheckTest : public testing::Test {
 protected:
  void SetUp() override {
    auto router = std::make_shared<http::Router>();
    router->Get("/ok", config::Role::kNone, [](http::Request&) { return http::Response::Json("{}"); });
    router->Get("/down", config::Role::kNone,
                [](http::Request&) { return http::Response::Json("{}", 503); });
    service_ = std::make_unique<http::Service>(
        router, std::make_shared<http::Authenticator>(config::AuthConfig{}), log_, registry_,
        http::ServiceOptions{});
    http::ServerOptions opts;
    opts.listen = "127.0.0.1:0";
    server_ = std::make_unique<http::Server>(opts, *service_, log_);
    ASSERT_TRUE(server_->Start().ok());
  }

  config::HealthCheckConfig Http(std::string path, int expect = 0) {
    config::HealthCheckConfig c;
    c.name = path;
    c.kind = config::HealthCheckConfig::Kind::kHttp;
    c.target = "http://" + server_->address() + path;
    c.expect_status = expect;
    c.timeout = Duration(2000);
    return c;
  }

  Logger log_{"hw", LogLevel::kError, std::make_shared<MemoryLogSink>()};
  metrics::Registry registry_;
  std::unique_ptr<http::Service> service_;
  std::unique_ptr<http::Server> server_;
};

TEST_F(DependencyCheckTest, HttpAndTcpChecksReportHealthAndReason) {
  config::HealthCheckConfig tcp_up;
  tcp_up.name = "tcp-up";
  tcp_up.kind = config::HealthCheckConfig::Kind::kTcp;
  tcp_up.target = server_->address();
  config::HealthCheckConfig tcp_down = tcp_up;
  tcp_down.name = "tcp-down";
  tcp_down.target = "127.0.0.1:1";

  std::vector<Check> checks = {MakeDependencyCheck(Http("/ok")), MakeDependencyCheck(Http("/down")),
                               MakeDependencyCheck(Http("/down", 503)),
                               MakeDependencyCheck(tcp_up), MakeDependencyCheck(tcp_down)};
  std::vector<CheckResult> r = RunChecks(checks);
  ASSERT_EQ(r.size(), 5u);
  EXPECT_TRUE(r[0].healthy) << r[0].error;
  EXPECT_FALSE(r[1].healthy);
  EXPECT_NE(r[1].error.find("answered 503, expected 2xx"), std::string::npos) << r[1].error;
  EXPECT_TRUE(r[2].healthy) << r[2].error;
  EXPECT_TRUE(r[3].healthy) << r[3].error;
  EXPECT_FALSE(r[4].healthy);
  EXPECT_EQ(r[4].name, "tcp-down");
  EXPECT_GE(r[0].latency_ms, 0);
}

TEST(WritableDirCheckTest, FailsForMissingDirectory) {
  std::string dir = testing::TempDir() + "/hw-writable-" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  EXPECT_TRUE(MakeWritableDirCheck("storage", dir).run().ok());
  EXPECT_TRUE(std::filesystem::is_empty(dir)) << "probe file left behind";
  std::filesystem::remove_all(dir);
  Status s = MakeWritableDirCheck("storage", dir).run();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("cannot create"), std::string::npos);
}

}  // namespace
}  // namespace hw::collect
