#include "scrape/discovery.h"

#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

namespace hw::scrape {
namespace {

TEST(DiscoveryTest, StaticGroups) {
  config::ScrapeConfig c;
  c.static_configs.push_back({{"a:1", "b:2"}, {{"env", "prod"}}});
  std::vector<TargetGroup> g = StaticGroups(c);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].source, "0");
  ASSERT_EQ(g[0].targets.size(), 2u);
  EXPECT_EQ(g[0].targets[1].Get("__address__"), "b:2");
  EXPECT_EQ(g[0].labels.Get("env"), "prod");
}

TEST(DiscoveryTest, ParsesYamlAndJson) {
  Result<std::vector<TargetGroup>> y =
      ParseTargetGroups("/sd/a.yml", "- targets: ['h:1', 'h:2']\n  labels: {team: db}\n- targets: []\n");
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  ASSERT_EQ(y->size(), 2u);
  EXPECT_EQ((*y)[0].source, "/sd/a.yml:0");
  EXPECT_EQ((*y)[0].labels.Get("__meta_filepath"), "/sd/a.yml");
  EXPECT_EQ((*y)[0].labels.Get("team"), "db");
  Result<std::vector<TargetGroup>> j = ParseTargetGroups(
      "/sd/b.json", R"([{"targets": ["x:9"], "labels": {"env": "caf\u00e9"}}])");
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ((*j)[0].labels.Get("env"), "café");
}

TEST(DiscoveryTest, BadFilesNameTheProblem) {
  struct {
    const char* content;
    const char* want;
  } cases[] = {
      {"{targets: [a]}", "expected a list of target groups"},
      {"- targets: [a]\n  labelz: {}\n", "[0]: unknown key \"labelz\""},
      {"- targets: ['a/b']\n", "[0].targets[0]: \"a/b\" is not a valid hostname"},
      {"- labels: {'bad-name': x}\n", "\"bad-name\" is not a valid label name"},
      {"- targets: [a\n", "cannot parse f.yml: line"},
  };
  for (const auto& c : cases) {
    Result<std::vector<TargetGroup>> r = ParseTargetGroups("f.yml", c.content);
    ASSERT_FALSE(r.ok()) << c.content;
    EXPECT_NE(r.status().message().find(c.want), std::string::npos) << r.status().message();
  }
}

TEST(DiscoveryTest, FileDiscovererNoticesChanges) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("hw-sd-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
  };
  write("a.yml", "- targets: ['a:1']\n");
  config::FileSdConfig cfg;
  cfg.files = {(dir / "*.yml").string()};
  cfg.refresh_interval = Duration(3'600'000);
  FileDiscoverer d(cfg);
  std::vector<std::string> errors;
  auto now = std::chrono::steady_clock::now();
  EXPECT_TRUE(d.Refresh(now, &errors));
  EXPECT_EQ(d.Groups().size(), 1u);
  EXPECT_FALSE(d.Refresh(now, &errors));  // nothing changed

  write("b.yml", "- targets: ['b:1', 'b:2']\n");  // a new file matches the glob
  EXPECT_TRUE(d.Refresh(now, &errors));
  ASSERT_EQ(d.Groups().size(), 2u);
  EXPECT_EQ(d.Groups()[1].targets.size(), 2u);

  write("b.yml", "- targets: [oops\n");  // broken: keeps the old groups, reports
  EXPECT_FALSE(d.Refresh(now, &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(d.Groups()[1].targets.size(), 2u);

  std::filesystem::remove(dir / "a.yml");
  EXPECT_TRUE(d.Refresh(now, &errors));
  EXPECT_EQ(d.Groups().size(), 1u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hw::scrape
