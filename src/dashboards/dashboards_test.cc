#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <unistd.h>

#include "dashboards/dashboard.h"
#include "dashboards/embedded.h"

namespace hw::dashboards {
namespace {

Result<Dashboard> Parse(const std::string& json) { return ParseDashboard(json, "d.json", "d"); }

TEST(DashboardParse, TheGuidesShapeLoadsAsIs) {
  Result<Dashboard> d = Parse(R"j({"title": "hasteCRM System Overview", "panels": [
      {"title": "Request Rate", "query": "sum(rate(http_requests_total[5m])) by (service)"},
      {"title": "Active Users", "query": "sum(active_users_total)"}]})j");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->title, "hasteCRM System Overview");
  EXPECT_EQ(d->panels, 2u);
  EXPECT_TRUE(d->warnings.empty());
  EXPECT_TRUE(d->query_errors.empty());
}

TEST(DashboardParse, OptionalFieldsAndVariables) {
  Result<Dashboard> d = Parse(R"j({"title": "API", "refresh": "30s", "time": {"from": "now-6h", "to": "now"},
      "variables": [{"name": "service", "match": "http_requests_total"},
                    {"name": "endpoint", "match": "http_requests_total{service=~\"$service\"}", "all": false},
                    {"name": "status", "multi": true, "default": ["200", "500"]}],
      "panels": [{"title": "p95", "query": "histogram_quantile(0.95, sum by (le) (rate(x_bucket{service=~\"$service\",endpoint=~\"${endpoint}\"}[5m])))",
                  "type": "gauge", "unit": "seconds", "thresholds": [0.2, {"value": 0.5, "color": "#dc2626"}],
                  "width": 12, "stack": true, "min": 0, "max": 1, "legend": "{{endpoint}}"},
                 {"title": "t", "queries": [{"expr": "up", "legend": "{{job}}"}], "type": "table"}]})j");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_TRUE(d->query_errors.empty()) << d->query_errors.front();
  EXPECT_TRUE(d->warnings.empty()) << d->warnings.front();  // "multi" is a known field
}

struct BadCase {
  std::string json;
  std::string error;  // a substring of the message
};

class DashboardErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(DashboardErrors, NameTheFilePathAndWhatWasExpected) {
  Result<Dashboard> d = Parse(GetParam().json);
  ASSERT_FALSE(d.ok()) << GetParam().json;
  EXPECT_NE(d.status().message().find(GetParam().error), std::string::npos) << d.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Table, DashboardErrors,
    ::testing::Values(
        BadCase{R"j({"title": "x", "panels": [)j", "d.json:1:27: invalid JSON"},
        BadCase{"{\"title\": \"x\",\n \"panels\": [}", "d.json:2:13: invalid JSON"},
        BadCase{R"j([1])j", "d.json: expected the dashboard object, got an array"},
        BadCase{R"j({"panels": [{"title": "a", "query": "up"}]})j", "d.json: title: missing"},
        BadCase{R"j({"title": "", "panels": [{"title": "a", "query": "up"}]})j", "d.json: title: must not be empty"},
        BadCase{R"j({"title": "x"})j", "d.json: panels: missing"},
        BadCase{R"j({"title": "x", "panels": {}})j", "panels: expected an array of panels, got an object"},
        BadCase{R"j({"title": "x", "panels": []})j", "panels: empty"},
        BadCase{R"j({"title": "x", "panels": [{"query": "up"}]})j", "panels[0].title: missing"},
        BadCase{R"j({"title": "x", "panels": [{"title": "a"}]})j", "panels[0].query: missing"},
        BadCase{R"j({"title": "x", "panels": [{"title": "a", "query": "up", "queries": []}]})j", "panels[0]: has both"},
        BadCase{R"j({"title": "x", "panels": [{"title": "a", "queries": []}]})j", "panels[0].queries: expected a non-empty array"},
        BadCase{R"j({"title": "x", "panels": [{"title": "a", "queries": [{"legend": "l"}]}]})j", "panels[0].queries[0].expr: missing"},
        BadCase{R"j({"title": "x", "panels": [{"title": "a", "query": "up"}, {"title": "b", "query": "up"},
                   {"title": "c", "query": "up"}, {"title": "d", "query": "up", "type": "pie"}]})j",
                R"j(d.json: panels[3].type: unknown panel type "pie": expected one of "timeseries", "stat", "gauge", "table", "bar")j"},
        BadCase{R"j({"title": "x", "panels": [{"title": "a", "query": "up", "unit": "ms"}]})j", R"j(panels[0].unit: unknown unit "ms")j"},
        BadCase{R"j({"title": "x", "panels": [{"title": "a", "query": "up", "width": 13}]})j", "panels[0].width: expected a whole number of twelfths from 1 to 12, got 13"},
        BadCase{R"j({"title": "x", "panels": [{"title": "a", "query": "up", "width": "6"}]})j", "panels[0].width: expected a number from 1 to 12, got a string"},
        BadCase{R"j({"title": "x", "panels": [{"title": "a", "query": "up", "thresholds": ["80"]}]})j", "panels[0].thresholds[0]: expected a number or"},
        BadCase{R"j({"title": "x", "panels": [{"title": "a", "query": "up", "thresholds": [{"value": "80"}]}]})j", "panels[0].thresholds[0].value: expected a number, got a string"},
        BadCase{R"j({"title": "x", "panels": [{"title": "a", "query": "up", "thresholds": 80}]})j", "panels[0].thresholds: expected an array"},
        BadCase{R"j({"title": "x", "panels": [{"title": "a", "query": "up", "stack": "yes"}]})j", "panels[0].stack: expected true or false"},
        BadCase{R"j({"title": "x", "panels": [{"title": "a", "query": 5}]})j", "panels[0].query: expected a string, got a number"},
        BadCase{R"j({"title": "x", "refresh": "1ms", "panels": [{"title": "a", "query": "up"}]})j", "refresh: expected \"off\" or a duration of at least 1s"},
        BadCase{R"j({"title": "x", "time": {"from": "yesterday", "to": "now"}, "panels": [{"title": "a", "query": "up"}]})j", "time.from: expected \"now\""},
        BadCase{R"j({"title": "x", "variables": {}, "panels": [{"title": "a", "query": "up"}]})j", "variables: expected an array"},
        BadCase{R"j({"title": "x", "variables": [{"name": "1st"}], "panels": [{"title": "a", "query": "up"}]})j", "variables[0].name: \"1st\" is not a variable name"},
        BadCase{R"j({"title": "x", "variables": [{"name": "s"}, {"name": "s"}], "panels": [{"title": "a", "query": "up"}]})j", "variables[1].name: variable \"s\" is defined twice"},
        BadCase{R"j({"title": "x", "variables": [{"label": "s"}], "panels": [{"title": "a", "query": "up"}]})j", "variables[0].name: missing"},
        BadCase{R"j({"title": "x", "variables": [{"name": "s", "label": "a-b"}], "panels": [{"title": "a", "query": "up"}]})j", "variables[0].label: \"a-b\" is not a label name"},
        BadCase{R"j({"title": "x", "variables": [{"name": "s", "match": "rate(x[5m])"}], "panels": [{"title": "a", "query": "up"}]})j", "variables[0].match: expected a series selector"},
        BadCase{R"j({"title": "x", "variables": [{"name": "s", "all": "yes"}], "panels": [{"title": "a", "query": "up"}]})j", "variables[0].all: expected true or false"},
        BadCase{R"j({"title": "x", "variables": [{"name": "s", "multi": 1}], "panels": [{"title": "a", "query": "up"}]})j", "variables[0].multi: expected true or false, got a number"},
        BadCase{R"j({"title": "x", "variables": [{"name": "s", "default": ["a"]}], "panels": [{"title": "a", "query": "up"}]})j", "variables[0].default: a list of values needs \"multi\": true"},
        BadCase{R"j({"title": "x", "variables": [{"name": "s", "multi": true, "default": ["a", 2]}], "panels": [{"title": "a", "query": "up"}]})j", "variables[0].default[1]: expected a string, got a number"},
        BadCase{R"j({"title": "x", "variables": [{"name": "s", "multi": true, "default": {}}], "panels": [{"title": "a", "query": "up"}]})j", "variables[0].default: expected a string or an array of strings, got an object"}));

TEST(DashboardParse, EveryErrorIsReportedNotJustTheFirst) {
  Result<Dashboard> d = Parse(R"j({"title": "x", "panels": [{"title": "a", "query": "up", "type": "pie"},
                                                          {"title": "b", "query": "up", "width": 0}]})j");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("panels[0].type"), std::string::npos);
  EXPECT_NE(d.status().message().find("\nd.json: panels[1].width"), std::string::npos);
}

TEST(DashboardParse, UnknownFieldsAreToleratedWithAWarning) {
  Result<Dashboard> d = Parse(R"j({"title": "x", "schemaVersion": 39, "panels": [{"title": "a", "query": "up", "tpye": "bar"}]})j");
  ASSERT_TRUE(d.ok()) << d.status().message();
  ASSERT_EQ(d->warnings.size(), 2u);
  EXPECT_EQ(d->warnings[0], "d.json: schemaVersion: unknown field (ignored)");
  EXPECT_EQ(d->warnings[1], "d.json: panels[0].tpye: unknown field (ignored)");
}

TEST(DashboardParse, AQueryThatDoesNotParseIsReportedWithItsPanel) {
  Result<Dashboard> d = Parse(R"j({"title": "x", "panels": [{"title": "ok", "query": "up"},
      {"title": "Broken", "query": "sum(rate(x[5m])"}, {"title": "Two", "queries": [{"expr": "up"}, {"expr": "up +"}]}]})j");
  ASSERT_TRUE(d.ok()) << d.status().message();  // the other panels still work
  ASSERT_EQ(d->query_errors.size(), 2u);
  EXPECT_EQ(d->query_errors[0].rfind(R"j(d.json: panels[1] "Broken": query: 1:16: parse error: unclosed left parenthesis)j", 0), 0u)
      << d->query_errors[0];
  EXPECT_EQ(d->query_errors[1].rfind(R"j(d.json: panels[2] "Two": queries[1].expr: )j", 0), 0u) << d->query_errors[1];
}

TEST(DashboardParse, AnUndeclaredVariableIsAParseError) {
  Result<Dashboard> d = Parse(R"j({"title": "x", "panels": [{"title": "a", "query": "rate(x[$window])"}]})j");
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->query_errors.size(), 1u);
}

TEST(SubstituteVariables, ReplacesBothSpellingsAndEscapesValues) {
  std::vector<std::pair<std::string, std::string>> v = {{"service", "api"}, {"ep", R"j(/a"b\c)j"}};
  EXPECT_EQ(SubstituteVariables(R"j(x{service=~"$service",e="${ep}"} $other $1 ${service)j", v),
            R"j(x{service=~"api",e="/a\"b\\c"} $other $1 ${service)j");
  EXPECT_EQ(SubstituteVariables("$services", v), "$services");  // a longer name is not $service
}

TEST(DashboardPack, TheEmbeddedPackLoadsCleanly) {
  ASSERT_EQ(internal::kEmbeddedFileCount, 2u);
  for (std::size_t i = 0; i < internal::kEmbeddedFileCount; ++i) {
    const auto& f = internal::kEmbeddedFiles[i];
    Result<Dashboard> d = ParseDashboard(f.text, f.name, IdFromPath(f.name));
    ASSERT_TRUE(d.ok()) << d.status().message();
    EXPECT_TRUE(d->warnings.empty()) << f.name << ": " << d->warnings.front();
    EXPECT_TRUE(d->query_errors.empty()) << f.name << ": " << d->query_errors.front();
  }
  std::vector<Dashboard> builtin = BuiltinDashboards();
  ASSERT_EQ(builtin.size(), 2u);
  EXPECT_EQ(builtin[0].id, "system-overview");
  EXPECT_EQ(builtin[0].title, "hasteCRM System Overview");
  EXPECT_EQ(builtin[1].id, "api-performance");
}

TEST(DashboardFiles, GlobsLoadInNameOrderAndErrorsNameTheFile) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / fmt::format("hw-dash-test-{}", ::getpid());
  fs::create_directories(dir / "more");
  auto write = [](const fs::path& p, const std::string& s) { std::ofstream(p) << s; };
  write(dir / "b.json", R"j({"title": "B", "panels": [{"title": "a", "query": "up"}]})j");
  write(dir / "a.json", R"j({"title": "A", "panels": [{"title": "a", "query": "up"}]})j");
  Result<std::vector<Dashboard>> ok = LoadDashboardFiles({(dir / "*.json").string()});
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[0].id, "a");
  EXPECT_EQ((*ok)[1].title, "B");

  write(dir / "more" / "a.json", R"j({"title": "A2", "panels": [{"title": "a", "query": "up"}]})j");
  write(dir / "more" / "c.json", R"j({"title": "C", "panels": [{"title": "a", "query": "up", "width": 0}]})j");
  Result<std::vector<Dashboard>> bad =
      LoadDashboardFiles({(dir / "*.json").string(), (dir / "more" / "*.json").string()});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find((dir / "more" / "a.json").string() + ": dashboard id \"a\""), std::string::npos)
      << bad.status().message();
  EXPECT_NE(bad.status().message().find((dir / "more" / "c.json").string() + ": panels[0].width"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hw::dashboards
