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

TEST(ConfigTest, ReadsRuleFilesRelativeToTheConfig) {
  Result<Config> c = LoadConfigString(R"(
global:
  evaluation_interval: 15s
rule_files:
  - rules/*.yml
  - /abs/alerts.yml
)",
                                      "/etc/hw/hastewatch.yml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->rule_files.size(), 2u);
  EXPECT_EQ(c->rule_files[0], "/etc/hw/rules/*.yml");
  EXPECT_EQ(c->rule_files[1], "/abs/alerts.yml");
  EXPECT_EQ(c->global.evaluation_interval.count(), 15'000);
}

TEST(ConfigTest, ReadsAlertingAsPrometheusAndRunbooks) {
  auto cfg = LoadConfigString(R"(server:
  external_url: https://monitor.example.com/hw/
runbooks:
  directory: /tmp
alerting:
  alert_relabel_configs:
    - {action: labeldrop, regex: replica}
  alertmanagers:
    - scheme: https
      path_prefix: am
      timeout: 5s
      basic_auth: {username: u, password: p}
      static_configs:
        - targets: ["am1:9093", "am2:9093"]
    - file_sd_configs:
        - files: [am/*.yml]
)", "/etc/hw/hastewatch.yml");
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  EXPECT_EQ(cfg->server.external_url, "https://monitor.example.com/hw");
  EXPECT_EQ(cfg->runbooks.directory, "/tmp");
  ASSERT_EQ(cfg->alerting.alertmanagers.size(), 2u);
  const AlertmanagerConfig& a = cfg->alerting.alertmanagers[0];
  EXPECT_EQ(a.scheme, "https");
  EXPECT_EQ(a.path_prefix, "/am");
  EXPECT_EQ(a.timeout, Duration(5'000));
  EXPECT_EQ(a.api_version, "v2");
  ASSERT_TRUE(a.basic_auth.has_value());
  EXPECT_EQ(a.static_configs[0].targets, (std::vector<std::string>{"am1:9093", "am2:9093"}));
  const AlertmanagerConfig& b = cfg->alerting.alertmanagers[1];
  EXPECT_EQ(b.scheme, "http");
  EXPECT_EQ(b.path_prefix, "/");
  EXPECT_EQ(b.timeout, Duration(10'000));
  EXPECT_EQ(b.file_sd_configs[0].files, (std::vector<std::string>{"/etc/hw/am/*.yml"}));
  EXPECT_EQ(cfg->alerting.alert_relabel_configs.size(), 1u);
}

TEST(ConfigTest, IncidentsReferToNotificationReceiversAndIntervals) {
  auto bad = LoadConfigString(R"(notifications:
  route: {receiver: hook}
  receivers: [{name: hook}]
incidents:
  business_hours: office
  users:
    - {name: alice, receivers: [hook, pagr]}
)", "/etc/hw/hastewatch.yml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(
                "incidents.users[0].receivers: no receiver \"pagr\" in notifications"),
            std::string::npos)
      << bad.status().message();
  EXPECT_NE(bad.status().message().find(
                "incidents.business_hours: no time interval \"office\" in notifications"),
            std::string::npos);
  auto good = LoadConfigString(R"(notifications:
  route: {receiver: hook}
  receivers: [{name: hook}]
incidents:
  users:
    - {name: alice, receivers: [hook]}
)", "/etc/hw/hastewatch.yml");
  EXPECT_TRUE(good.ok()) << good.status().message();
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
        // rule_files
        BadCase{"rule_files: a.yml\n", "bad.yml:1:13: rule_files: expected a list"},
        BadCase{"rule_files:\n  - a.yml\n  - {x: 1}\n", "bad.yml:3:5: rule_files[1]:"},
        BadCase{"rule_files:\n  - \"rules/[ab.yml\"\n", "bad.yml:2:5: rule_files[0]: invalid glob pattern \"rules/[ab.yml\""},
        BadCase{"dashboards: {}\n", "bad.yml:1:13: dashboards: expected a list"},
        BadCase{"dashboards:\n  - \"\"\n", "bad.yml:2:5: dashboards[0]: must not be empty"},
        // alerting, runbooks
        BadCase{"alerting:\n  alertmanagers:\n    - api_version: v1\n",
                "bad.yml:3:20: alerting.alertmanagers[0].api_version: \"v1\" is not one of: v2"},
        BadCase{"alerting:\n  alertmanagers:\n    - static_configs: [{targets: [\"a/b\"]}]\n",
                "alerting.alertmanagers[0].static_configs[0].targets[0]: \"a/b\" is not a valid hostname"},
        BadCase{"alerting:\n  alertmanagers:\n    - timeout: 0s\n", "alerting.alertmanagers[0].timeout: must be greater than 0"},
        BadCase{"alerting:\n  alert_relabel_configs:\n    - action: keep\n      regex: \"(\"\n",
                "bad.yml:4:14: alerting.alert_relabel_configs[0].regex:"},
        BadCase{"alerting:\n  alertmanager: []\n", "bad.yml:2:3: alerting.alertmanager: unknown key"},
        BadCase{"runbooks:\n  directory: /nonexistent/runbooks\n",
                "bad.yml:2:14: runbooks.directory: /nonexistent/runbooks is not a directory"},
        BadCase{"runbooks: {}\n", "runbooks: directory is required"},
        BadCase{"server:\n  external_url: example.com\n", "bad.yml:2:17: server.external_url: \"example.com\" is not an http:// or https:// URL"},
        // global
        BadCase{"global:\n  query_log_file: q.log\n", "bad.yml:2:3: global.query_log_file: unknown key"},
        BadCase{"global:\n  scrape_interval: 10s\n  scrape_timeout: 20s\n",
                "bad.yml:3:19: global.scrape_timeout: global scrape timeout greater than scrape interval (20s > 10s)"},
        BadCase{"global:\n  external_labels:\n    bad-name: x\n", "bad.yml:3:5: global.external_labels.bad-name: \"bad-name\" is not a valid label name"},
        // scrape_configs
        BadCase{"scrape_configs:\n  - job_name: a\n    scrape_intervall: 1s\n", "bad.yml:3:5: scrape_configs[0].scrape_intervall: unknown key"},
        BadCase{"scrape_configs:\n  - scrape_interval: 1s\n", "bad.yml:2:5: scrape_configs[0].job_name: job_name is empty"},
        BadCase{"scrape_configs:\n  - job_name: a\n  - job_name: a\n",
                "bad.yml:3:15: scrape_configs[1].job_name: found multiple scrape configs with job name \"a\""},
        BadCase{"scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n    scrape_timeout: 10s\n",
                "bad.yml:4:21: scrape_configs[0].scrape_timeout: scrape timeout greater than scrape interval for scrape config with job name \"a\" (10s > 5s)"},
        BadCase{"scrape_configs:\n  - job_name: a\n    scheme: ftp\n", "bad.yml:3:13: scrape_configs[0].scheme: \"ftp\" is not one of: http, https"},
        BadCase{"scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: [\"h/x\"]\n",
                "bad.yml:4:19: scrape_configs[0].static_configs[0].targets[0]: \"h/x\" is not a valid hostname"},
        BadCase{"scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: [a:1]\n        labelz: {}\n",
                "bad.yml:5:9: scrape_configs[0].static_configs[0].labelz: unknown key"},
        BadCase{"scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - files: [targets.txt]\n",
                "bad.yml:4:17: scrape_configs[0].file_sd_configs[0].files[0]: path name \"targets.txt\" is not valid for file discovery"},
        BadCase{"scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - refresh_interval: 1m\n",
                "file service discovery config must contain at least one path name"},
        BadCase{"scrape_configs:\n  - job_name: a\n    basic_auth: {username: u, password: p}\n    bearer_token: t\n",
                "at most one of basic_auth, bearer_token & bearer_token_file, authorization must be configured"},
        BadCase{"scrape_configs:\n  - job_name: a\n    basic_auth: {username: u, password: p, password_file: f}\n",
                "bad.yml:3:17: scrape_configs[0].basic_auth: at most one of basic_auth password & password_file must be configured"},
        BadCase{"scrape_configs:\n  - job_name: a\n    authorization: {type: Basic, credentials: x}\n",
                "authorization type cannot be set to \"basic\", use \"basic_auth\" instead"},
        BadCase{"scrape_configs:\n  - job_name: a\n    tls_config: {cert_file: c.pem}\n",
                "scrape_configs[0].tls_config: cert_file and key_file must be configured together"},
        BadCase{"scrape_configs:\n  - job_name: a\n    tls_config: {insecure: true}\n",
                "bad.yml:3:18: scrape_configs[0].tls_config.insecure: unknown key"},
        BadCase{"scrape_configs:\n  - job_name: a\n    sample_limit: -1\n", "scrape_configs[0].sample_limit: -1 is out of range"},
        BadCase{"scrape_configs:\n  - job_name: a\n    params: {module: x}\n", "scrape_configs[0].params.module: expected a list"},
        // relabel configs
        BadCase{"scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: explode\n",
                "bad.yml:4:17: scrape_configs[0].relabel_configs[0].action: unknown relabel action \"explode\""},
        BadCase{"scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {source_labels: [a], regex: \"(\"}\n",
                "bad.yml:4:37: scrape_configs[0].relabel_configs[0].regex: invalid regex \"(\""},
        BadCase{"scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {action: hashmod, target_label: x}\n",
                "bad.yml:4:9: scrape_configs[0].relabel_configs[0]: relabel configuration for hashmod requires non-zero modulus"},
        BadCase{"scrape_configs:\n  - job_name: a\n    metric_relabel_configs:\n      - {action: replace, source_labels: [a]}\n",
                "metric_relabel_configs[0]: relabel configuration for replace action requires 'target_label' value"},
        BadCase{"scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {source_labels: [a], target_label: \"1bad\"}\n",
                "\"1bad\" is invalid 'target_label' for replace action"},
        BadCase{"scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {action: labeldrop, regex: x, source_labels: [a]}\n",
                "labeldrop action requires only 'regex', and no other fields"},
        BadCase{"scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {action: keepequal, source_labels: [a], target_label: b, regex: x}\n",
                "keepequal action requires only 'source_labels' and `target_label`, and no other fields"},
        BadCase{"scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {action: lowercase, source_labels: [a], target_label: b, replacement: x}\n",
                "'replacement' can not be set for lowercase action"},
        BadCase{"scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {action: labelmap, regex: x, replacement: \"a-b\"}\n",
                "\"a-b\" is invalid 'replacement' for labelmap action"},
        BadCase{"scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {source_labels: [\"a-b\"], target_label: x}\n",
                "scrape_configs[0].relabel_configs[0].source_labels[0]: \"a-b\" is not a valid label name"},
        BadCase{"scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {target_label: x, regexp: y}\n",
                "scrape_configs[0].relabel_configs[0].regexp: unknown key"},
        BadCase{"storage:\n  tsdb:\n    retention_time: forever\n", "bad.yml:3:21: storage.tsdb.retention_time: cannot parse duration"},
        BadCase{"storage:\n  tsdb:\n    wal_fsync: sometimes\n", "storage.tsdb.wal_fsync: \"sometimes\" is not one of: always, interval, never"},
        BadCase{"storage:\n  tsdb:\n    block_duration: 90s\n", "must be a whole number of minutes"},
        BadCase{"storage:\n  tsdb:\n    out_of_order_time_window: 30m\n", "out-of-order ingestion is not supported"},
        BadCase{"storage:\n  tdsb: {}\n", "bad.yml:2:3: storage.tdsb: unknown key"},
        BadCase{"severs: {}\n", "bad.yml:1:1: severs: unknown key"},
        BadCase{"server:\n  listen: [1, 2\n", "bad.yml:3:1: invalid YAML: end of sequence flow not found"},
        BadCase{"- a\n- b\n", "bad.yml:1:1: expected a map, got a list"}));

TEST(ConfigTest, ScrapeDefaultsFollowPrometheus) {
  Result<Config> c = LoadConfigString("scrape_configs:\n  - job_name: a\n", "/etc/hw/p.yml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->global.scrape_interval.count(), 60'000);
  EXPECT_EQ(c->global.scrape_timeout.count(), 10'000);
  EXPECT_EQ(c->global.evaluation_interval.count(), 60'000);
  ASSERT_EQ(c->scrape_configs.size(), 1u);
  const ScrapeConfig& s = c->scrape_configs[0];
  EXPECT_EQ(s.scrape_interval.count(), 60'000);
  EXPECT_EQ(s.scrape_timeout.count(), 10'000);
  EXPECT_EQ(s.metrics_path, "/metrics");
  EXPECT_EQ(s.scheme, "http");
  EXPECT_FALSE(s.honor_labels);
  EXPECT_TRUE(s.honor_timestamps);
  EXPECT_EQ(s.sample_limit, 0u);

  // A job interval below the global timeout caps the timeout at the interval.
  c = LoadConfigString("global: {scrape_interval: 15s}\nscrape_configs:\n"
                       "  - {job_name: a, scrape_interval: 5s}\n  - {job_name: b}\n", "p.yml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->scrape_configs[0].scrape_timeout.count(), 5'000);
  EXPECT_EQ(c->scrape_configs[1].scrape_interval.count(), 15'000);
  EXPECT_EQ(c->scrape_configs[1].scrape_timeout.count(), 10'000);
}

TEST(ConfigTest, ReadsAFullScrapeConfig) {
  Result<Config> c = LoadConfigString(R"(
global:
  scrape_interval: 15s
  evaluation_interval: 30s
  external_labels: {cluster: eu1}
  sample_limit: 5000
scrape_configs:
  - job_name: node
    scrape_interval: 30s
    scrape_timeout: 20s
    metrics_path: /probe
    scheme: https
    params: {module: [http_2xx]}
    honor_labels: true
    honor_timestamps: false
    basic_auth: {username: prom, password_file: secrets/pw}
    tls_config:
      ca_file: ca.pem
      cert_file: /abs/cert.pem
      key_file: key.pem
      server_name: node.internal
      insecure_skip_verify: true
    label_limit: 30
    label_name_length_limit: 100
    label_value_length_limit: 200
    body_size_limit: 10MB
    static_configs:
      - targets: ['a:9100', 'b:9100']
        labels: {env: prod}
    file_sd_configs:
      - files: ['sd/*.json', /etc/sd/x.yml]
        refresh_interval: 1m
    relabel_configs:
      - source_labels: [__address__]
        regex: '(.*):\d+'
        target_label: host
      - action: labelmap
        regex: __meta_(.+)
    metric_relabel_configs:
      - {source_labels: [__name__], regex: 'go_.*', action: drop}
  - job_name: api
    bearer_token_file: token
  - job_name: web
    authorization: {credentials: abc}
)",
                                      "/etc/hw/hastewatch.yml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->global.external_labels.at("cluster"), "eu1");
  EXPECT_EQ(c->global.evaluation_interval.count(), 30'000);
  ASSERT_EQ(c->scrape_configs.size(), 3u);
  const ScrapeConfig& n = c->scrape_configs[0];
  EXPECT_EQ(n.scrape_timeout.count(), 20'000);
  EXPECT_EQ(n.scheme, "https");
  EXPECT_EQ(n.params.at("module"), std::vector<std::string>{"http_2xx"});
  EXPECT_TRUE(n.honor_labels);
  EXPECT_FALSE(n.honor_timestamps);
  ASSERT_TRUE(n.basic_auth);
  EXPECT_EQ(n.basic_auth->password_file, "/etc/hw/secrets/pw");
  EXPECT_EQ(n.tls_config.ca_file, "/etc/hw/ca.pem");
  EXPECT_EQ(n.tls_config.cert_file, "/abs/cert.pem");
  EXPECT_TRUE(n.tls_config.insecure_skip_verify);
  EXPECT_EQ(n.sample_limit, 5000u);  // from global
  EXPECT_EQ(n.label_value_length_limit, 200u);
  EXPECT_EQ(n.body_size_limit, 10u << 20);
  ASSERT_EQ(n.static_configs.size(), 1u);
  EXPECT_EQ(n.static_configs[0].targets.size(), 2u);
  EXPECT_EQ(n.static_configs[0].labels.at("env"), "prod");
  ASSERT_EQ(n.file_sd_configs.size(), 1u);
  EXPECT_EQ(n.file_sd_configs[0].files,
            (std::vector<std::string>{"/etc/hw/sd/*.json", "/etc/sd/x.yml"}));
  EXPECT_EQ(n.file_sd_configs[0].refresh_interval.count(), 60'000);
  ASSERT_EQ(n.relabel_configs.size(), 2u);
  EXPECT_EQ(n.relabel_configs[0].regex, "(.*):\\d+");
  EXPECT_EQ(n.relabel_configs[0].replacement, "$1");
  EXPECT_EQ(n.relabel_configs[0].separator, ";");
  EXPECT_EQ(n.relabel_configs[1].action, RelabelConfig::Action::kLabelMap);
  EXPECT_EQ(n.metric_relabel_configs[0].action, RelabelConfig::Action::kDrop);
  ASSERT_TRUE(c->scrape_configs[1].authorization);
  EXPECT_EQ(c->scrape_configs[1].authorization->type, "Bearer");
  EXPECT_EQ(c->scrape_configs[1].authorization->credentials_file, "/etc/hw/token");
  EXPECT_EQ(c->scrape_configs[2].authorization->credentials, "abc");
}

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
