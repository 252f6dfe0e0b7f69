#include "scrape/target.h"

#include <gtest/gtest.h>

namespace hw::scrape {
namespace {

config::ScrapeConfig Job() {
  config::ScrapeConfig c;
  c.job_name = "api";
  c.scrape_interval = Duration(15'000);
  c.scrape_timeout = Duration(10'000);
  return c;
}

model::Labels Addr(std::string_view a) { return model::Labels::FromPairs({{"__address__", a}}); }

TEST(TargetTest, DefaultsAndInstance) {
  Result<PopulateResult> r = PopulateTarget(Job(), RelabelRules(), Addr("h:9100"),
                                            model::Labels::FromPairs({{"env", "prod"}}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->target);
  EXPECT_EQ(r->discovered,
            model::Labels::FromPairs({{"__address__", "h:9100"}, {"__metrics_path__", "/metrics"},
                                      {"__scheme__", "http"}, {"__scrape_interval__", "15s"},
                                      {"__scrape_timeout__", "10s"}, {"env", "prod"},
                                      {"job", "api"}}));
  EXPECT_EQ(r->target->PublicLabels(),
            model::Labels::FromPairs({{"env", "prod"}, {"instance", "h:9100"}, {"job", "api"}}));
  EXPECT_EQ(r->target->url, "http://h:9100/metrics");
  EXPECT_EQ(r->target->interval.count(), 15'000);
}

TEST(TargetTest, ParamsFromConfigOverriddenByLabels) {
  config::ScrapeConfig c = Job();
  c.params["module"] = {"http_2xx", "ignored?"};
  c.params["a b"] = {"x&y"};
  c.scheme = "https";
  c.metrics_path = "/probe";
  model::Labels t = model::Labels::FromPairs({{"__address__", "h:1"}, {"__param_module", "tcp"}});
  Result<PopulateResult> r = PopulateTarget(c, RelabelRules(), t, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->target->url, "https://h:1/probe?a+b=x%26y&module=tcp&module=ignored%3F");
}

TEST(TargetTest, RelabelingDropsAndRewrites) {
  config::RelabelConfig keep;
  keep.action = config::RelabelConfig::Action::kKeep;
  keep.source_labels = {"env"};
  keep.regex = "prod";
  config::RelabelConfig addr;
  addr.source_labels = {"__meta_port"};
  addr.regex = "(.*)";
  addr.target_label = "__address__";
  addr.replacement = "10.0.0.1:$1";
  Result<RelabelRules> rules = RelabelRules::Compile({keep, addr});
  ASSERT_TRUE(rules.ok());
  Result<PopulateResult> dropped =
      PopulateTarget(Job(), *rules, Addr("a:1"), model::Labels::FromPairs({{"env", "dev"}}));
  ASSERT_TRUE(dropped.ok());
  EXPECT_FALSE(dropped->target);
  EXPECT_EQ(dropped->discovered.Get("env"), "dev");

  Result<PopulateResult> kept = PopulateTarget(
      Job(), *rules, Addr("a:1"), model::Labels::FromPairs({{"env", "prod"}, {"__meta_port", "8080"}}));
  ASSERT_TRUE(kept.ok());
  ASSERT_TRUE(kept->target);
  EXPECT_EQ(kept->target->url, "http://10.0.0.1:8080/metrics");
  EXPECT_FALSE(kept->target->labels.Has("__meta_port"));  // __meta_* removed
  EXPECT_EQ(kept->target->labels.Get("instance"), "10.0.0.1:8080");
}

TEST(TargetTest, BadIntervalsAreErrors) {
  config::RelabelConfig r;
  r.target_label = "__scrape_timeout__";
  r.replacement = "1m";
  Result<RelabelRules> rules = RelabelRules::Compile({r});
  ASSERT_TRUE(rules.ok());
  Result<PopulateResult> res = PopulateTarget(Job(), *rules, Addr("a:1"), {});
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.status().message().find("scrape timeout cannot be greater than scrape interval"),
            std::string::npos);
  EXPECT_FALSE(PopulateTarget(Job(), RelabelRules(), model::Labels(), {}).ok());  // no address
}

}  // namespace
}  // namespace hw::scrape
