#include "alerting/alertmanager_sender.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "http/server.h"
#include "http/service.h"

namespace hw::alerting {
namespace {

using namespace std::chrono_literals;

// An Alertmanager stand-in: records what is POSTed to /api/v2/alerts, or fails.
class Sink {
 public:
  explicit Sink(std::string prefix = "") {
    auto router = std::make_shared<http::Router>();
    router->Post(prefix + "/api/v2/alerts", config::Role::kNone, [this](http::Request& r) {
      std::lock_guard lock(mu_);
      if (fail_) return http::Response::Error(Status::Unavailable("down for maintenance"));
      bodies_.push_back(r.body);
      auth_ = std::string(r.Header("authorization"));
      return http::Response::Text("");
    });
    service_ = std::make_unique<http::Service>(
        router, std::make_shared<http::Authenticator>(config::AuthConfig{}), log_, registry_,
        http::ServiceOptions{});
    http::ServerOptions opts;
    opts.listen = "127.0.0.1:0";
    server_ = std::make_unique<http::Server>(opts, *service_, log_);
    EXPECT_TRUE(server_->Start().ok());
  }
  ~Sink() { server_->Stop(); }
  std::string address() const { return server_->address(); }
  void set_fail(bool f) {
    std::lock_guard lock(mu_);
    fail_ = f;
  }
  std::vector<std::string> bodies() const {
    std::lock_guard lock(mu_);
    return bodies_;
  }
  std::string auth() const {
    std::lock_guard lock(mu_);
    return auth_;
  }

 private:
  Logger log_{"sink", LogLevel::kError, std::make_shared<MemoryLogSink>()};
  metrics::Registry registry_;
  std::unique_ptr<http::Service> service_;
  std::unique_ptr<http::Server> server_;
  mutable std::mutex mu_;
  bool fail_ = false;
  std::vector<std::string> bodies_;
  std::string auth_;
};

model::Alert Alert(std::string_view name, std::string_view replica = "a") {
  model::Alert a;
  a.labels = model::Labels::FromPairs({{"alertname", name}, {"replica", replica}});
  a.starts_at_ms = 1'780'000'000'000;
  return a;
}

bool WaitFor(const std::function<bool()>& cond) {
  for (int i = 0; i < 500 && !cond(); ++i) std::this_thread::sleep_for(10ms);
  return cond();
}

config::AlertmanagerConfig StaticAm(const std::string& address) {
  config::AlertmanagerConfig am;
  am.static_configs.push_back({{address}, {}});
  am.timeout = Duration(2'000);
  return am;
}

class SenderTest : public testing::Test {
 protected:
  Logger log_{"hw", LogLevel::kError, std::make_shared<MemoryLogSink>()};
  metrics::Registry registry_;
};

TEST_F(SenderTest, PostsBatchesToEveryAlertmanagerWithAuthAndRelabeling) {
  Sink one, two("/am");
  config::AlertingConfig cfg;
  cfg.alertmanagers.push_back(StaticAm(one.address()));
  cfg.alertmanagers.back().authorization = config::AuthorizationConfig{"Bearer", "s3cret", ""};
  cfg.alertmanagers.push_back(StaticAm(two.address()));
  cfg.alertmanagers.back().path_prefix = "/am/";
  config::RelabelConfig drop_replica;
  drop_replica.action = config::RelabelConfig::Action::kLabelDrop;
  drop_replica.regex = "replica";
  cfg.alert_relabel_configs.push_back(drop_replica);

  AlertmanagerSender sender(log_, &registry_, SenderOptions{.max_batch = 2});
  ASSERT_TRUE(sender.ApplyConfig(cfg).ok());
  auto ams = sender.Alertmanagers();
  ASSERT_EQ(ams.size(), 2u);
  EXPECT_EQ(ams[0].url, "http://" + one.address() + "/api/v2/alerts");
  EXPECT_EQ(ams[1].url, "http://" + two.address() + "/am/api/v2/alerts");
  sender.Send({Alert("A"), Alert("B"), Alert("C")});
  sender.Run();
  ASSERT_TRUE(WaitFor([&] { return one.bodies().size() == 2 && two.bodies().size() == 2; }));
  EXPECT_EQ(one.bodies()[0],
            R"([{"labels":{"alertname":"A"},"annotations":{},"startsAt":"2026-05-28T20:26:40Z","generatorURL":""},)"
            R"({"labels":{"alertname":"B"},"annotations":{},"startsAt":"2026-05-28T20:26:40Z","generatorURL":""}])");
  EXPECT_EQ(one.auth(), "Bearer s3cret");
  EXPECT_EQ(two.auth(), "");
  sender.Stop();
  const std::string text = registry_.Render();
  EXPECT_NE(text.find("hastewatch_notifications_sent_total{alertmanager=\"http://" + one.address() +
                      "/api/v2/alerts\"} 3"),
            std::string::npos)
      << text;
}

TEST_F(SenderTest, FailuresAreCountedAndLaterSendsGetThrough) {
  Sink am;
  am.set_fail(true);
  config::AlertingConfig cfg;
  cfg.alertmanagers.push_back(StaticAm(am.address()));
  AlertmanagerSender sender(log_, &registry_);
  ASSERT_TRUE(sender.ApplyConfig(cfg).ok());
  sender.Run();
  sender.Send({Alert("A")});
  ASSERT_TRUE(WaitFor([&] { return registry_.Render().find("hastewatch_notifications_errors_total{") != std::string::npos; }));
  am.set_fail(false);
  sender.Send({Alert("A")});  // the rules manager's re-send
  ASSERT_TRUE(WaitFor([&] { return am.bodies().size() == 1; }));
}

TEST_F(SenderTest, FullQueueDropsTheOldestAndStopFlushes) {
  Sink am;
  config::AlertingConfig cfg;
  cfg.alertmanagers.push_back(StaticAm(am.address()));
  AlertmanagerSender sender(log_, &registry_, SenderOptions{.queue_capacity = 3, .max_batch = 64});
  ASSERT_TRUE(sender.ApplyConfig(cfg).ok());
  sender.Send({Alert("A", "1"), Alert("A", "2"), Alert("A", "3"), Alert("A", "4"), Alert("A", "5")});
  EXPECT_EQ(sender.QueueLength(), 3u);
  EXPECT_NE(registry_.Render().find("hastewatch_notifications_dropped_total 2"), std::string::npos);
  sender.Run();
  sender.Stop();
  ASSERT_EQ(am.bodies().size(), 1u);
  EXPECT_EQ(am.bodies()[0].find("\"replica\":\"1\""), std::string::npos);  // dropped
  EXPECT_NE(am.bodies()[0].find("\"replica\":\"5\""), std::string::npos);
}

TEST_F(SenderTest, DiscoversFromFilesAndRelabelsTargets) {
  Sink am;
  const std::string dir = testing::TempDir() + "/am_sd";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/am.yml") << "- targets: ['" << am.address() << "', 'dropme:9093']\n";
  config::AlertingConfig cfg;
  config::AlertmanagerConfig c;
  c.file_sd_configs.push_back({{dir + "/*.yml"}, Duration(60'000)});
  config::RelabelConfig drop;
  drop.action = config::RelabelConfig::Action::kDrop;
  drop.source_labels = {"__address__"};
  drop.regex = "dropme:.*";
  c.relabel_configs.push_back(drop);
  cfg.alertmanagers.push_back(c);
  AlertmanagerSender sender(log_, &registry_);
  ASSERT_TRUE(sender.ApplyConfig(cfg).ok());
  auto ams = sender.Alertmanagers();
  ASSERT_EQ(ams.size(), 2u);
  EXPECT_FALSE(ams[0].dropped);
  EXPECT_TRUE(ams[1].dropped);
  EXPECT_EQ(ams[1].url, "http://dropme:9093/api/v2/alerts");
  sender.Run();
  sender.Send({Alert("A")});
  ASSERT_TRUE(WaitFor([&] { return am.bodies().size() == 1; }));
}

TEST_F(SenderTest, BadRelabelRegexIsRejectedAndNothingChanges) {
  config::AlertingConfig cfg;
  cfg.alertmanagers.push_back(StaticAm("127.0.0.1:9093"));
  AlertmanagerSender sender(log_, &registry_);
  ASSERT_TRUE(sender.ApplyConfig(cfg).ok());
  config::AlertingConfig bad = cfg;
  bad.alert_relabel_configs.emplace_back().regex = "(";
  Status s = sender.ApplyConfig(bad);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("alerting.alert_relabel_configs"), std::string::npos);
  EXPECT_EQ(sender.Alertmanagers().size(), 1u);
}

}  // namespace
}  // namespace hw::alerting
