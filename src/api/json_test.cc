#include "api/json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace hw::api {
namespace {

TEST(JsonTest, SampleValuesAreFormattedLikePrometheus) {
  const double inf = std::numeric_limits<double>::infinity();
  struct Case {
    double v;
    const char* want;
  };
  // Expected strings are Go's strconv.FormatFloat(v, 'f' or 'e', -1, 64) as chosen by
  // Prometheus' jsonutil.MarshalFloat.
  const Case cases[] = {
      {1, "1"},
      {0, "0"},
      {-0.0, "-0"},
      {0.1, "0.1"},
      {-2.5, "-2.5"},
      {0.30000000000000004, "0.30000000000000004"},
      {1e6, "1000000"},
      {123456789012, "123456789012"},
      {1.2345678901234568e20, "123456789012345680000"},
      {1e21, "1e+21"},
      {-1.5e300, "-1.5e+300"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {1e-6, "0.000001"},
      {1.5e-6, "0.0000015"},
      {9.99e-7, "9.99e-07"},
      {1e-7, "1e-07"},
      {5e-324, "5e-324"},
      {std::nan(""), "NaN"},
      {inf, "+Inf"},
      {-inf, "-Inf"},
  };
  for (const Case& c : cases) EXPECT_EQ(FormatSampleValue(c.v), c.want) << c.want;
}

TEST(JsonTest, TimestampsAreUnixSecondsWithThreeDigitMilliseconds) {
  struct Case {
    std::int64_t t;
    const char* want;
  };
  const Case cases[] = {
      {1435781451781, "1435781451.781"},
      {1435781451780, "1435781451.780"},
      {1435781451000, "1435781451"},
      {1001, "1.001"},
      {1010, "1.010"},
      {5, "0.005"},
      {0, "0"},
      {-1500, "-1.500"},
      {-1, "-0.001"},
      {std::numeric_limits<std::int64_t>::min(), "-9223372036854775.808"},
      {std::numeric_limits<std::int64_t>::max(), "9223372036854775.807"},
  };
  for (const Case& c : cases) EXPECT_EQ(FormatTimestamp(c.t), c.want) << c.want;
}

TEST(JsonTest, EnvelopeOmitsEmptyWarnings) {
  JsonBody body;
  WritePoint(body.writer(), 1500, 2);
  http::Response r = body.Finish();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"status":"success","data":[1.500,"2"]})");
}

TEST(JsonTest, EnvelopeCarriesWarningsAndInfos) {
  JsonBody body;
  WriteLabels(body.writer(), model::Labels::FromPairs({{"job", "a\"b"}, {"__name__", "up"}}));
  http::Response r = body.Finish({"w1"}, {"i1", "i2"});
  EXPECT_EQ(r.body, R"({"status":"success","data":{"__name__":"up","job":"a\"b"},)"
                    R"("warnings":["w1"],"infos":["i1","i2"]})");
}

// Bytes a client sent that are not UTF-8 (a percent-encoded path quoted in an error,
// a stored field) still leave the answer valid JSON: each bad byte becomes U+FFFD.
TEST(JsonTest, InvalidUtf8IsWrittenAsReplacementCharacters) {
  JsonBody body;
  WriteString(body.writer(), "dash\xFF\xFE" "board");
  EXPECT_NE(body.Finish().body.find("\"dash\xEF\xBF\xBD\xEF\xBF\xBD" "board\""), std::string::npos);

  http::Response err = http::Response::Error(Status::NotFound("no dashboard \"\xFF\""));
  EXPECT_EQ(err.status, 404);
  EXPECT_NE(err.body.find("no dashboard \\\"\xEF\xBF\xBD\\\""), std::string::npos) << err.body;
}

}  // namespace
}  // namespace hw::api
