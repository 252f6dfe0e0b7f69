#include "api/status.h"

#include <gtest/gtest.h>

#include "tsdb/head.h"

namespace hw::api {
namespace {

TEST(StatusTest, RedactsSecretValuesInEveryStyle) {
  const std::string in =
      "server:\n"
      "  auth:\n"
      "    tokens:\n"
      "      - {name: ops, role: admin, token: e2e-admin-token-0123}\n"
      "      - name: ci\n"
      "        token: \"quoted # secret\"   # a comment stays\n"
      "      - name: grafana\n"
      "        token_file: secrets/grafana.token\n"
      "        token_env: GRAFANA_TOKEN\n"
      "remote_write:\n"
      "  - url: http://x/api/v1/write\n"
      "    basic_auth: {username: u, password: 'p,w'}\n"
      "    authorization:\n"
      "      credentials: |\n"
      "        line one\n"
      "        line two\n"
      "    bearer_token: abc\n"
      "receivers:\n"
      "  - slack_configs: [{api_url: https://hooks.slack.com/T0/B0, channel: '#ops'}]\n"
      "    routing_key: rk\n"
      "literal: the e2e-admin-token-0123 again\n";
  const std::string want =
      "server:\n"
      "  auth:\n"
      "    tokens:\n"
      "      - {name: ops, role: admin, token: <secret>}\n"
      "      - name: ci\n"
      "        token: <secret>   # a comment stays\n"
      "      - name: grafana\n"
      "        token_file: secrets/grafana.token\n"
      "        token_env: GRAFANA_TOKEN\n"
      "remote_write:\n"
      "  - url: http://x/api/v1/write\n"
      "    basic_auth: {username: u, password: <secret>}\n"
      "    authorization:\n"
      "      credentials: <secret>\n"
      "    bearer_token: <secret>\n"
      "receivers:\n"
      "  - slack_configs: [{api_url: <secret>, channel: '#ops'}]\n"
      "    routing_key: <secret>\n"
      "literal: the <secret> again\n";
  EXPECT_EQ(RedactConfig(in, {"e2e-admin-token-0123", "short"}), want);
}

TEST(StatusTest, RedactionLeavesOrdinaryConfigAlone) {
  const std::string in =
      "# token: not a key, a comment\n"
      "storage:\n"
      "  tsdb:\n"
      "    retention_time: 15d\n"
      "health:\n"
      "  checks:\n"
      "    - {name: postgres, tcp: \"127.0.0.1:5432\", timeout: 2s}\n";
  EXPECT_EQ(RedactConfig(in, {}), in);
}

TEST(StatusTest, TsdbStatusCountsTheHead) {
  tsdb::Head head;
  auto app = head.NewAppender();
  auto add = [&](std::initializer_list<std::pair<std::string_view, std::string_view>> l) {
    ASSERT_TRUE(app->Append(model::Labels::FromPairs(l), 1000, 1).ok());
  };
  add({{"__name__", "http_requests_total"}, {"code", "200"}, {"job", "api"}});
  add({{"__name__", "http_requests_total"}, {"code", "500"}, {"job", "api"}});
  add({{"__name__", "up"}, {"job", "api"}});
  add({{"__name__", "up"}, {"job", "db"}});
  add({{"__name__", "build_info"}, {"job", "api"}});
  ASSERT_TRUE(app->Commit().ok());

  TsdbStatus st = ComputeTsdbStatus(head, 2);
  EXPECT_EQ(st.num_series, 5u);
  // __name__: 3 values, code: 2, job: 2.
  EXPECT_EQ(st.num_label_pairs, 7u);
  EXPECT_EQ(st.chunk_count, 5);
  EXPECT_EQ(st.min_time, 1000);
  EXPECT_EQ(st.max_time, 1000);
  EXPECT_EQ(st.series_count_by_metric_name,
            (std::vector<TsdbStat>{{"http_requests_total", 2}, {"up", 2}}));
  EXPECT_EQ(st.label_value_count_by_label_name,
            (std::vector<TsdbStat>{{"__name__", 3}, {"code", 2}}));
  // __name__ values: build_info(10) + http_requests_total(19) + up(2).
  EXPECT_EQ(st.memory_in_bytes_by_label_name,
            (std::vector<TsdbStat>{{"__name__", 31}, {"code", 6}}));
  EXPECT_EQ(st.series_count_by_label_value_pair,
            (std::vector<TsdbStat>{{"job=api", 4}, {"__name__=http_requests_total", 2}}));
}

}  // namespace
}  // namespace hw::api
