#include "config/config.h"

#include <gtest/gtest.h>

namespace hw::config {
namespace {

TEST(ConfigTest, EmptyFileGivesDefaults) {
  Result<Config> c = LoadConfigString("", "/etc/hw/hastewatch.yml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->server.listen, "127.0.0.1:9190");
  EXPECT_EQ(c->server.environment, "production");
  EXPECT_EQ(c->server.auth.anonymous, Role::kRead);
  EXPECT_EQ(c->base_dir, "/etc/hw");
}

TEST(ConfigTest, ReadsServerAndHealth) {
  setenv("HW_TEST_TOKEN", "  env-secret-0123456789  \n", 1);
  Result<Config> c = LoadConfigString(R"(
server:
  listen: 0.0.0.0:9999
  environment: staging
  log_level: trace
  max_request_body: 1MiB
  read_timeout: 5s
  auth:
    anonymous: none
    tokens:
      - {name: ops, role: admin, token: "0123456789abcdef0123"}
      - {name: grafana, role: read, token_env: HW_TEST_TOKEN}
health:
  checks:
    - {name: postgres, tcp: "127.0.0.1:5432", timeout: 500ms}
    - {name: search, http: "http://127.0.0.1:9200/_cluster/health", expect_status: 200}
)",
                                      "t.yml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->server.listen, "0.0.0.0:9999");
  EXPECT_EQ(c->server.environment, "staging");
  EXPECT_EQ(c->server.log_level, LogLevel::kTrace);
  EXPECT_EQ(c->server.max_request_body, 1u << 20);
  EXPECT_EQ(c->server.read_timeout.count(), 5000);
  EXPECT_EQ(c->server.auth.anonymous, Role::kNone);
  ASSERT_EQ(c->server.auth.tokens.size(), 2u);
  EXPECT_EQ(c->server.auth.tokens[0].role, Role::kAdmin);
  EXPECT_EQ(c->server.auth.tokens[1].token, "env-secret-0123456789");
  ASSERT_EQ(c->health.checks.size(), 2u);
  EXPECT_EQ(c->health.checks[0].kind, HealthCheckConfig::Kind::kTcp);
  EXPECT_EQ(c->health.checks[0].timeout.count(), 500);
  EXPECT_EQ(c->health.checks[1].expect_status, 200);
}

struct BadCase {
  const char* yaml;
  const char* expected;  // a substring of the error: position, key and problem
};

class BadConfigTest : public testing::TestWithParam<BadCase> {};

TEST_P(BadConfigTest, NamesFileLineColumnAndKey) {
  Result<Config> c = LoadConfigString(GetParam().yaml, "bad.yml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kBadData);
  EXPECT_NE(c.status().message().find(GetParam().expected), std::string::npos)
      << "got: " << c.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadConfigTest,
    testing::Values(
        BadCase{"server:\n  listn: x\n", "bad.yml:2:3: server.listn: unknown key"},
        BadCase{"server:\n  listen: [1, 2]\n", "bad.yml:2:11: server.listen: expected a string, got a list"},
        BadCase{"server:\n  listen: nowhere\n", "bad.yml:2:11: server.listen: \"nowhere\" is not host:port"},
        BadCase{"server:\n  read_timeout: 5 minutes\n", "bad.yml:2:17: server.read_timeout: cannot parse duration"},
        BadCase{"server:\n  worker_threads: many\n", "server.worker_threads: expected an integer, got \"many\""},
        BadCase{"server:\n  worker_threads: 9999\n", "9999 is out of range"},
        BadCase{"server:\n  environment: prod\n", "\"prod\" is not one of: production, staging, development"},
        BadCase{"server:\n  log_level: loud\n", "bad.yml:2:14: server.log_level: unknown log level"},
        BadCase{"server: [a]\n", "bad.yml:1:9: server: expected a map, got a list"},
        BadCase{"server:\n  listen: a:1\n  listen: b:2\n", "bad.yml:3:3: server.listen: duplicate key"},
        BadCase{"server:\n  auth:\n    tokens:\n      - {name: a, role: god, token: 0123456789abcdefgh}\n",
                "server.auth.tokens[0].role: \"god\" is not one of: read, write, admin"},
        BadCase{"server:\n  auth:\n    tokens:\n      - {name: a, token: short}\n",
                "shorter than 16 characters"},
        BadCase{"server:\n  auth:\n    tokens:\n      - {name: a}\n",
                "exactly one of token, token_file or token_env is required"},
        BadCase{"server:\n  auth:\n    tokens:\n      - {name: a, token_file: /nonexistent/tok}\n",
                "cannot read \"/nonexistent/tok\""},
        BadCase{"health:\n  checks:\n    - {name: db}\n", "bad.yml:3:7: health.checks[0]: exactly one of http"},
        BadCase{"health:\n  checks:\n    - {name: db, http: ftp://x}\n", "is not an http:// or https:// URL"},
        BadCase{"health:\n  checks:\n    - {name: db, tcp: \"h:1\", expect_status: 200}\n", "only applies to http checks"},
        BadCase{"scrape_configs:\n  - job_name: api\n", "bad.yml:2:3: scrape_configs: section not supported yet: the scrape subsystem"},
        BadCase{"storage:\n  tsdb:\n    retention_time: forever\n", "bad.yml:3:21: storage.tsdb.retention_time: cannot parse duration"},
        BadCase{"storage:\n  tsdb:\n    wal_fsync: sometimes\n", "storage.tsdb.wal_fsync: \"sometimes\" is not one of: always, interval, never"},
        BadCase{"storage:\n  tsdb:\n    block_duration: 90s\n", "must be a whole number of minutes"},
        BadCase{"storage:\n  tsdb:\n    out_of_order_time_window: 30m\n", "out-of-order ingestion is not supported"},
        BadCase{"storage:\n  tdsb: {}\n", "bad.yml:2:3: storage.tdsb: unknown key"},
        BadCase{"severs: {}\n", "bad.yml:1:1: severs: unknown key"},
        BadCase{"server:\n  listen: [1, 2\n", "bad.yml:3:1: invalid YAML: end of sequence flow not found"},
        BadCase{"- a\n- b\n", "bad.yml:1:1: expected a map, got a list"}));

TEST(ConfigTest, ReadsStorage) {
  Result<Config> c = LoadConfigString(
      "storage:\n  tsdb:\n    retention_time: 30d\n    retention_size: 50GB\n"
      "    wal_fsync: always\n    out_of_order_time_window: 0s\n",
      "s.yml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->storage.tsdb.retention_time.count(), 30LL * 24 * 3600 * 1000);
  EXPECT_EQ(c->storage.tsdb.retention_size, 50ull << 30);
  EXPECT_EQ(c->storage.tsdb.wal_fsync, "always");
  EXPECT_EQ(c->storage.tsdb.block_duration.count(), 2LL * 3600 * 1000);
}

TEST(ConfigTest, ReportsEveryErrorNotJustTheFirst) {
  Result<Config> c = LoadConfigString("server:\n  listn: x\n  environment: prod\nfoo: 1\n", "m.yml");
  ASSERT_FALSE(c.ok());
  const std::string& m = c.status().message();
  EXPECT_NE(m.find("m.yml:2:3"), std::string::npos) << m;
  EXPECT_NE(m.find("m.yml:3:16"), std::string::npos) << m;
  EXPECT_NE(m.find("m.yml:4:1"), std::string::npos) << m;
}

TEST(ConfigTest, MissingFileIsNotFound) {
  Result<Config> c = LoadConfigFile("/nonexistent/hastewatch.yml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
  EXPECT_NE(c.status().message().find("/nonexistent/hastewatch.yml"), std::string::npos);
}

}  // namespace
}  // namespace hw::config
