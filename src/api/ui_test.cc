#include "api/ui.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace hw::api {
namespace {

namespace fs = std::filesystem;

std::string HeaderOf(const http::Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

class UiRoutesTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("hw-ui-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    dist_ = root_ / "dist";
    fs::create_directories(dist_ / "assets");
    Write(dist_ / "index.html", "<!doctype html><title>hastewatch</title>");
    Write(dist_ / "assets" / "index-Ab12Cd.js", "console.log(1)");
    Write(dist_ / "assets" / "index-Ab12Cd.css", "body{}");
    Write(dist_ / "favicon.svg", "<svg/>");
    Write(root_ / "secret.txt", "outside");
    RegisterUiRoutes(router_, dist_.string());
  }
  void TearDown() override { fs::remove_all(root_); }

  static void Write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }

  http::Response Get(std::string path) {
    http::RouteMatch m = router_.Match("GET", path);
    EXPECT_EQ(m.kind, http::RouteMatch::Kind::kFound) << path;
    if (m.kind != http::RouteMatch::Kind::kFound) return {};
    EXPECT_EQ(m.route->required, config::Role::kNone);
    http::Request req;
    req.method = "GET";
    req.path = path;
    req.route_params = m.params;
    return m.route->handler(req);
  }

  fs::path root_, dist_;
  http::Router router_;
};

TEST_F(UiRoutesTest, ServesIndexAtRootAndUi) {
  for (const char* path : {"/", "/ui", "/ui/"}) {
    http::Response r = Get(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << path;
    EXPECT_EQ(r.body, "<!doctype html><title>hastewatch</title>") << path;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache") << path;
  }
}

TEST_F(UiRoutesTest, HashedAssetsAreImmutableWithTheirContentType) {
  struct Case {
    const char* path;
    const char* type;
    const char* cache;
  } cases[] = {
      {"/ui/assets/index-Ab12Cd.js", "text/javascript; charset=utf-8",
       "public, max-age=31536000, immutable"},
      {"/ui/assets/index-Ab12Cd.css", "text/css; charset=utf-8",
       "public, max-age=31536000, immutable"},
      {"/ui/favicon.svg", "image/svg+xml", "no-cache"},
  };
  for (const Case& c : cases) {
    http::Response r = Get(c.path);
    EXPECT_EQ(r.status, 200) << c.path;
    EXPECT_EQ(r.content_type, c.type) << c.path;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), c.cache) << c.path;
  }
  EXPECT_EQ(Get("/ui/assets/index-Ab12Cd.js").body, "console.log(1)");
}

TEST_F(UiRoutesTest, ClientRoutesFallBackToIndex) {
  for (const char* path : {"/ui/explore", "/ui/alerts/silences", "/ui/targets"}) {
    http::Response r = Get(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << path;
  }
}

TEST_F(UiRoutesTest, MissingAssetIs404) {
  http::Response r = Get("/ui/assets/gone-123.js");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.error_type, "not_found");
}

TEST_F(UiRoutesTest, NoPathTraversal) {
  // The router hands over percent-decoded paths, so these are what an attacker's
  // %2e%2e%2f would become.
  for (const char* path :
       {"/ui/../secret.txt", "/ui/assets/../../secret.txt", "/ui/./index.html", "/ui/.hidden",
        "/ui//etc/passwd", "/ui/..\\secret.txt", "/ui/..", "/ui/assets/.."}) {
    http::Response r = Get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("outside"), std::string::npos) << path;
  }
}

TEST_F(UiRoutesTest, SymlinkOutOfTheDirectoryIsRefused) {
  std::error_code ec;
  fs::create_symlink(root_ / "secret.txt", dist_ / "link.txt", ec);
  if (ec) GTEST_SKIP() << "cannot create symlinks here: " << ec.message();
  http::Response r = Get("/ui/link.txt");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body.find("outside"), std::string::npos);
}

TEST_F(UiRoutesTest, NotBuiltSaysHowToBuild) {
  fs::remove_all(dist_);
  for (const char* path : {"/", "/ui/", "/ui/explore", "/ui/assets/index-Ab12Cd.js"}) {
    http::Response r = Get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_NE(r.body.find("the web UI is not built: run make ui"), std::string::npos)
        << path << ": " << r.body;
  }
}

}  // namespace
}  // namespace hw::api
