#include "alerting/alert_json.h"

#include <gtest/gtest.h>

namespace hw::alerting {
namespace {

TEST(AlertJsonTest, PostableAlertsAsPrometheusSendsThem) {
  model::Alert firing;
  firing.labels = model::Labels::FromPairs({{"alertname", "APIDown"}, {"service", "api"}});
  firing.annotations = {{"summary", "API \"down\""}, {"runbook_url", "http://hw/runbooks/api-down.md"}};
  firing.starts_at_ms = 1'780'000'000'120;
  firing.ends_at_ms = 1'780'000'240'000;
  firing.generator_url = "http://hw/graph?g0.expr=up&g0.tab=1";
  model::Alert bare;
  bare.labels = model::Labels::FromPairs({{"alertname", "Test"}});
  const model::Alert alerts[] = {firing, bare};
  EXPECT_EQ(PostableAlertsJson(alerts),
            R"([{"labels":{"alertname":"APIDown","service":"api"},)"
            R"("annotations":{"runbook_url":"http://hw/runbooks/api-down.md","summary":"API \"down\""},)"
            R"("startsAt":"2026-05-28T20:26:40.12Z","endsAt":"2026-05-28T20:30:40Z",)"
            R"("generatorURL":"http://hw/graph?g0.expr=up&g0.tab=1"},)"
            R"({"labels":{"alertname":"Test"},"annotations":{},"generatorURL":""}])");
  EXPECT_EQ(PostableAlertsJson({}), "[]");
}

}  // namespace
}  // namespace hw::alerting
