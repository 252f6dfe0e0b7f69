// The query API's handlers against an in-memory head: exact JSON bodies and errors.
#include "api/query.h"

#include <gtest/gtest.h>

#include "tsdb/head.h"

namespace hw::api {
namespace {

class FixedMetadata : public MetadataSource {
 public:
  MetadataMap Metadata() const override {
    return {{"http_requests_total", {{"counter", "Requests.", ""}}},
            {"up", {{"gauge", "Target up.", ""}, {"gauge", "Other help.", ""}}}};
  }
};

class QueryApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto app = head_.NewAppender();
    for (std::int64_t t = 0; t <= 60'000; t += 15'000) {
      ASSERT_TRUE(app->Append(model::Labels::FromPairs(
                                  {{"__name__", "up"}, {"job", "api"}, {"instance", "a:1"}}),
                              t, 1)
                      .ok());
      ASSERT_TRUE(app->Append(model::Labels::FromPairs(
                                  {{"__name__", "up"}, {"job", "db"}, {"instance", "b:2"}}),
                              t, 0)
                      .ok());
    }
    ASSERT_TRUE(app->Commit().ok());
    deps_.storage = &head_;
    deps_.engine = std::make_shared<const promql::Engine>();
    deps_.metadata = std::make_shared<FixedMetadata>();
  }

  static http::Request Req(http::KeyValues params) {
    http::Request r;
    r.method = "GET";
    r.query = std::move(params);
    return r;
  }

  tsdb::Head head_;
  QueryDeps deps_;
};

TEST_F(QueryApiTest, InstantVector) {
  http::Response r = HandleQuery(deps_, Req({{"query", "up"}, {"time", "60"}}));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body,
            R"({"status":"success","data":{"resultType":"vector","result":[)"
            R"({"metric":{"__name__":"up","instance":"a:1","job":"api"},"value":[60,"1"]},)"
            R"({"metric":{"__name__":"up","instance":"b:2","job":"db"},"value":[60,"0"]}]}})");
}

TEST_F(QueryApiTest, ScalarStringAndLimit) {
  EXPECT_EQ(HandleQuery(deps_, Req({{"query", "1+1"}, {"time", "1.5"}})).body,
            R"({"status":"success","data":{"resultType":"scalar","result":[1.500,"2"]}})");
  EXPECT_EQ(HandleQuery(deps_, Req({{"query", "\"hi\""}, {"time", "2"}})).body,
            R"({"status":"success","data":{"resultType":"string","result":[2,"hi"]}})");
  http::Response r = HandleQuery(deps_, Req({{"query", "up"}, {"time", "60"}, {"limit", "1"}}));
  EXPECT_NE(r.body.find(R"("warnings":["results truncated due to limit"])"), std::string::npos)
      << r.body;
  EXPECT_EQ(r.body.find("b:2"), std::string::npos);
}

TEST_F(QueryApiTest, RangeMatrix) {
  http::Response r = HandleQueryRange(
      deps_, Req({{"query", "up{job=\"api\"}"}, {"start", "0"}, {"end", "30"}, {"step", "15s"}}));
  EXPECT_EQ(r.body, R"({"status":"success","data":{"resultType":"matrix","result":[)"
                    R"({"metric":{"__name__":"up","instance":"a:1","job":"api"},)"
                    R"("values":[[0,"1"],[15,"1"],[30,"1"]]}]}})");
}

TEST_F(QueryApiTest, ParameterErrorsUsePrometheusMessages) {
  struct Case {
    http::KeyValues params;
    bool range;
    int status;
    std::string error;
  };
  const Case cases[] = {
      {{{"query", "up{"}}, false, 400, "invalid parameter \\\"query\\\": 1:4: parse error:"},
      {{{"query", "up"}, {"time", "soon"}},
       false,
       400,
       "invalid parameter \\\"time\\\": cannot parse \\\"soon\\\" to a valid timestamp"},
      {{{"query", "up"}, {"limit", "-1"}},
       false,
       400,
       "invalid parameter \\\"limit\\\": limit must be non-negative"},
      {{{"query", "up"}, {"timeout", "x"}},
       false,
       400,
       "invalid parameter \\\"timeout\\\": cannot parse \\\"x\\\" to a valid duration"},
      {{{"query", "up"}, {"end", "1"}, {"step", "1"}},
       true,
       400,
       "invalid parameter \\\"start\\\": cannot parse \\\"\\\" to a valid timestamp"},
      {{{"query", "up"}, {"start", "10"}, {"end", "1"}, {"step", "1"}},
       true,
       400,
       "invalid parameter \\\"end\\\": end timestamp must not be before start time"},
      {{{"query", "up"}, {"start", "0"}, {"end", "1"}, {"step", "0"}},
       true,
       400,
       "invalid parameter \\\"step\\\": zero or negative query resolution step widths"},
      {{{"query", "up"}, {"start", "0"}, {"end", "11001"}, {"step", "1"}},
       true,
       400,
       "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the "
       "query resolution (?step=XX)"},
      {{{"query", "up"}, {"start", "0"}, {"end", "11000"}, {"step", "1"}}, true, 200, ""},
      {{{"query", "up"}, {"time", "60"}, {"query", "x"}}, false, 200, ""},
      {{{"query", "up + on() group_left up"}, {"time", "60"}}, false, 422, "many-to-many"},
  };
  for (const Case& c : cases) {
    http::Request req = Req(c.params);
    http::Response r = c.range ? HandleQueryRange(deps_, req) : HandleQuery(deps_, req);
    EXPECT_EQ(r.status, c.status) << r.body;
    EXPECT_NE(r.body.find(c.error), std::string::npos) << r.body;
  }
}

TEST_F(QueryApiTest, SeriesLabelsAndValues) {
  EXPECT_EQ(HandleSeries(deps_, Req({})).body,
            R"({"status":"error","errorType":"bad_data","error":"no match[] parameter provided"})");
  EXPECT_EQ(
      HandleSeries(deps_, Req({{"match[]", "up{job=\"db\"}"}, {"match[]", "up{job=\"db\"}"}})).body,
      R"({"status":"success","data":[{"__name__":"up","instance":"b:2","job":"db"}]})");
  EXPECT_EQ(HandleLabelNames(deps_, Req({})).body,
            R"({"status":"success","data":["__name__","instance","job"]})");
  EXPECT_EQ(HandleLabelNames(deps_, Req({{"limit", "1"}})).body,
            R"({"status":"success","data":["__name__"],)"
            R"("warnings":["results truncated due to limit"]})");
  http::Request req = Req({{"match[]", "{job=\"api\"}"}});
  req.route_params = {{"name", "instance"}};
  EXPECT_EQ(HandleLabelValues(deps_, req).body, R"({"status":"success","data":["a:1"]})");
  req.route_params = {{"name", "U__job"}};
  EXPECT_EQ(HandleLabelValues(deps_, Req({})).status, 400);  // no name at all
  req.route_params = {{"name", "\xff"}};
  EXPECT_EQ(HandleLabelValues(deps_, req).body,
            R"({"status":"error","errorType":"bad_data","error":"invalid label name: \"\\xff\""})");
}

TEST_F(QueryApiTest, UnescapesUtf8Names) {
  EXPECT_EQ(UnescapeLabelName("U__my_2e_metric"), "my.metric");
  EXPECT_EQ(UnescapeLabelName("U__a__b"), "a_b");
  EXPECT_EQ(UnescapeLabelName("U__snow_2603_"), "snow\xe2\x98\x83");
  EXPECT_EQ(UnescapeLabelName("U__bad_zz_"), "U__bad_zz_");
  EXPECT_EQ(UnescapeLabelName("plain"), "plain");
}

TEST_F(QueryApiTest, MetadataFormatAndExemplars) {
  EXPECT_EQ(HandleMetadata(deps_, Req({{"limit_per_metric", "1"}})).body,
            R"({"status":"success","data":{"http_requests_total":[)"
            R"({"type":"counter","help":"Requests.","unit":""}],)"
            R"("up":[{"type":"gauge","help":"Target up.","unit":""}]}})");
  EXPECT_EQ(HandleMetadata(deps_, Req({{"metric", "nope"}})).body,
            R"({"status":"success","data":{}})");
  EXPECT_EQ(HandleMetadata(deps_, Req({{"limit", "x"}})).status, 400);
  EXPECT_EQ(HandleFormatQuery(Req({{"query", "sum(rate(x[5m]))by(job)"}})).body,
            R"js({"status":"success","data":"sum by (job) (rate(x[5m]))"})js");
  EXPECT_EQ(HandleFormatQuery(Req({{"query", "sum("}})).status, 400);
  EXPECT_EQ(HandleQueryExemplars(Req({{"query", "up"}})).body, R"({"status":"success","data":[]})");
  EXPECT_EQ(HandleQueryExemplars(Req({{"query", "up"}, {"start", "x"}})).status, 400);
}

}  // namespace
}  // namespace hw::api
