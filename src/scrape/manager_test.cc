#include "scrape/manager.h"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "scrape/scrape_test_util.h"
#include "scrape/targets_json.h"

namespace hw::scrape {
namespace {

using testing::Dump;
using testing::FakeTarget;
using testing::WaitFor;

class ManagerTest : public ::testing::Test {
 protected:
  ManagerTest()
      : log_("test", LogLevel::kError, std::make_shared<MemoryLogSink>()),
        manager_(head_, log_, &registry_, RealClock(),
                 ManagerOptions{2, Duration(20), "prometheus.example"}) {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("hw-manager-{}-{}", ::getpid(), counter_++);
    std::filesystem::create_directories(dir_);
  }
  ~ManagerTest() override {
    manager_.Stop();
    std::filesystem::remove_all(dir_);
  }

  config::Config Load(const std::string& yaml) {
    Result<config::Config> c = config::LoadConfigString(yaml, (dir_ / "hw.yml").string());
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : config::Config{};
  }
  std::string Job(const std::string& name, const std::string& address,
                  const std::string& extra = "") {
    return fmt::format(
        "  - job_name: {}\n    scrape_interval: 100ms\n    scrape_timeout: 90ms\n{}"
        "    static_configs:\n      - targets: ['{}']\n",
        name, extra, address);
  }
  std::optional<TargetStatus> Find(const std::string& pool) {
    for (TargetStatus& t : manager_.ActiveTargets()) {
      if (t.scrape_pool == pool) return t;
    }
    return std::nullopt;
  }
  bool Scraped(const std::string& pool) {
    auto t = Find(pool);
    return t && t->health == Health::kUp;
  }

  static inline int counter_ = 0;
  std::filesystem::path dir_;
  FakeTarget target_;
  tsdb::Head head_;
  metrics::Registry registry_;
  Logger log_;
  Manager manager_;
};

TEST_F(ManagerTest, UnchangedTargetKeepsRunningAcrossApplyConfig) {
  target_.Set("# TYPE a counter\n# HELP a Things.\na 1\n");
  config::Config c1 = Load("scrape_configs:\n" + Job("api", target_.address()));
  ASSERT_TRUE(manager_.ApplyConfig(c1).ok());
  manager_.Run();
  ASSERT_TRUE(WaitFor([&] { return Scraped("api"); }));
  std::uint64_t id = Find("api")->loop_id;

  // Same job plus a new one: the api loop object is untouched.
  config::Config c2 = Load("scrape_configs:\n" + Job("api", target_.address()) +
                           Job("other", target_.address()));
  ASSERT_TRUE(manager_.ApplyConfig(c2).ok());
  EXPECT_EQ(Find("api")->loop_id, id);
  ASSERT_TRUE(WaitFor([&] { return Scraped("other"); }));

  // A changed job config restarts its targets (a new loop).
  config::Config c3 = Load("scrape_configs:\n" +
                           Job("api", target_.address(), "    honor_labels: true\n") +
                           Job("other", target_.address()));
  ASSERT_TRUE(manager_.ApplyConfig(c3).ok());
  EXPECT_NE(Find("api")->loop_id, id);
  ASSERT_TRUE(WaitFor([&] { return Scraped("api"); }));

  // Metadata over the active targets, deduplicated.
  auto md = manager_.MetadataFor("");
  ASSERT_EQ(md.count("a"), 1u);
  ASSERT_EQ(md["a"].size(), 1u);
  EXPECT_EQ(md["a"][0].help, "Things.");
  EXPECT_EQ(MetadataJson(manager_, "a"), R"({"a":[{"type":"counter","help":"Things.","unit":""}]})");
  EXPECT_EQ(MetadataJson(manager_, "nope"), "{}");
  EXPECT_NE(registry_.Render().find("hastewatch_scrape_targets{job=\"api\"} 1"), std::string::npos);
}

TEST_F(ManagerTest, RemovedTargetGetsStaleMarkers) {
  target_.Set("a 1\n");
  ASSERT_TRUE(manager_.ApplyConfig(Load("scrape_configs:\n" + Job("api", target_.address()))).ok());
  manager_.Run();
  ASSERT_TRUE(WaitFor([&] { return Scraped("api"); }));
  ASSERT_TRUE(manager_.ApplyConfig(Load("")).ok());
  EXPECT_TRUE(manager_.ActiveTargets().empty());
  std::string a = fmt::format("{{__name__=\"a\", instance=\"{}\", job=\"api\"}}", target_.address());
  std::string up = fmt::format("{{__name__=\"up\", instance=\"{}\", job=\"api\"}}", target_.address());
  ASSERT_TRUE(WaitFor([&] {
    auto d = Dump(head_);
    return !d[a].empty() && model::IsStaleNaN(d[a].back().v) && model::IsStaleNaN(d[up].back().v);
  }));
  int hits = target_.hits();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(target_.hits(), hits) << "a removed target is no longer scraped";
}

TEST_F(ManagerTest, FileSdChangesArePickedUp) {
  FakeTarget second;
  second.Set("b 1\n");
  target_.Set("a 1\n");
  std::ofstream(dir_ / "targets.json")
      << fmt::format(R"([{{"targets": ["{}"], "labels": {{"team": "db"}}}}])", target_.address());
  ASSERT_TRUE(manager_.ApplyConfig(Load(R"(
scrape_configs:
  - job_name: sd
    scrape_interval: 100ms
    scrape_timeout: 90ms
    file_sd_configs:
      - files: ['*.json']
)")).ok());
  manager_.Run();
  ASSERT_EQ(manager_.ActiveTargets().size(), 1u);  // read at ApplyConfig
  EXPECT_EQ(manager_.ActiveTargets()[0].labels.Get("team"), "db");
  EXPECT_EQ(manager_.ActiveTargets()[0].discovered.Get("__meta_filepath"),
            (dir_ / "targets.json").string());
  std::uint64_t id = manager_.ActiveTargets()[0].loop_id;

  std::ofstream(dir_ / "targets.json") << fmt::format(
      R"([{{"targets": ["{}", "{}"], "labels": {{"team": "db"}}}}])", target_.address(),
      second.address());
  ASSERT_TRUE(WaitFor([&] { return manager_.ActiveTargets().size() == 2; }));
  ASSERT_TRUE(WaitFor([&] { return second.hits() > 0; }));
  bool kept = false;
  for (const TargetStatus& t : manager_.ActiveTargets()) kept |= t.loop_id == id;
  EXPECT_TRUE(kept) << "the unchanged target keeps its loop";
}

TEST_F(ManagerTest, DroppedTargetsAndTargetsJson) {
  target_.Set("a 1\n");
  ASSERT_TRUE(manager_.ApplyConfig(Load(fmt::format(R"(
scrape_configs:
  - job_name: api
    scrape_interval: 1m
    static_configs:
      - targets: ['{}', 'drop.me:9']
    relabel_configs:
      - source_labels: [__address__]
        regex: drop\..*
        action: drop
)",
                                                    target_.address())))
                  .ok());
  ASSERT_EQ(manager_.ActiveTargets().size(), 1u);
  ASSERT_EQ(manager_.DroppedTargets().size(), 1u);
  EXPECT_EQ(manager_.DroppedTargetCounts()["api"], 1u);

  // Not scraped yet (not running): health unknown, Go's zero time.
  std::string port = target_.address().substr(target_.address().rfind(':'));
  std::string want = fmt::format(
      R"({{"activeTargets":[{{"discoveredLabels":{{"__address__":"{0}","__metrics_path__":"/metrics",)"
      R"("__scheme__":"http","__scrape_interval__":"1m","__scrape_timeout__":"10s","job":"api"}},)"
      R"("labels":{{"instance":"{0}","job":"api"}},"scrapePool":"api",)"
      R"("scrapeUrl":"http://{0}/metrics","globalUrl":"http://prometheus.example{1}/metrics",)"
      R"("lastError":"","lastScrape":"0001-01-01T00:00:00Z","lastScrapeDuration":0,)"
      R"("health":"unknown","scrapeInterval":"1m","scrapeTimeout":"10s"}}],)"
      R"("droppedTargets":[{{"discoveredLabels":{{"__address__":"drop.me:9","__metrics_path__":"/metrics",)"
      R"("__scheme__":"http","__scrape_interval__":"1m","__scrape_timeout__":"10s","job":"api"}},)"
      R"("scrapePool":"api"}}],"droppedTargetCounts":{{"api":1}}}})",
      target_.address(), port);
  EXPECT_EQ(TargetsJson(manager_, ""), want);
  EXPECT_EQ(TargetsJson(manager_, " Any"), want);
  std::string active = TargetsJson(manager_, "active");
  EXPECT_NE(active.find(R"("droppedTargets":[],"droppedTargetCounts":null)"), std::string::npos)
      << active;
  std::string dropped = TargetsJson(manager_, "dropped");
  EXPECT_NE(dropped.find(R"({"activeTargets":[],"droppedTargets":[{)"), std::string::npos);
  EXPECT_EQ(TargetsJson(manager_, "", "nope"),
            R"({"activeTargets":[],"droppedTargets":[],"droppedTargetCounts":{}})");
}

TEST_F(ManagerTest, BadRelabelRegexChangesNothing) {
  config::Config c = Load("scrape_configs:\n" + Job("api", target_.address()));
  ASSERT_TRUE(manager_.ApplyConfig(c).ok());
  config::Config bad = c;
  bad.scrape_configs[0].relabel_configs.emplace_back().regex = "(";
  EXPECT_FALSE(manager_.ApplyConfig(bad).ok());
  EXPECT_EQ(manager_.ActiveTargets().size(), 1u);
}

}  // namespace
}  // namespace hw::scrape
