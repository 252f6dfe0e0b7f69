#include "scrape/content_type.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hw::scrape {
namespace {

using ::testing::HasSubstr;

TEST(ContentTypeTest, PicksTheParser) {
  struct Case {
    std::string_view content_type;
    Format want;
  };
  const Case cases[] = {
      {"", Format::kPrometheusText},
      {"  ", Format::kPrometheusText},
      {"text/plain", Format::kPrometheusText},
      {"text/plain; version=0.0.4; charset=utf-8", Format::kPrometheusText},
      {"text/plain;version=0.0.4", Format::kPrometheusText},
      {"Text/Plain; Version=\"0.0.4\"", Format::kPrometheusText},
      {"text/plain; version=1.0.0; escaping=allow-utf-8", Format::kPrometheusText},
      {"application/openmetrics-text; version=1.0.0; charset=utf-8", Format::kOpenMetrics},
      {"application/openmetrics-text;version=0.0.1", Format::kOpenMetrics},
      {"application/openmetrics-text", Format::kOpenMetrics},
      {"APPLICATION/OPENMETRICS-TEXT; charset=utf-8; version=1.0.0", Format::kOpenMetrics},
  };
  for (const Case& c : cases) {
    Result<Format> f = FormatForContentType(c.content_type);
    ASSERT_TRUE(f.ok()) << c.content_type << ": " << f.status().message();
    EXPECT_EQ(*f, c.want) << c.content_type;
  }
}

TEST(ContentTypeTest, RejectsOtherFormatsNamingThem) {
  const char* protobuf =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
      "encoding=delimited";
  Result<Format> p = FormatForContentType(protobuf);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kBadData);
  EXPECT_THAT(p.status().message(), HasSubstr("application/vnd.google.protobuf"));
  EXPECT_THAT(p.status().message(), HasSubstr("protobuf exposition format"));

  Result<Format> html = FormatForContentType("text/html; charset=utf-8");
  ASSERT_FALSE(html.ok());
  EXPECT_THAT(html.status().message(),
              HasSubstr("Content-Type \"text/html; charset=utf-8\" is not a metrics"));
  EXPECT_FALSE(FormatForContentType("application/openmetrics-text; version=2.0.0").ok());
  EXPECT_FALSE(FormatForContentType("text/plain; version=0.0.3").ok());
}

TEST(ContentTypeTest, FallbackForUnknownTypes) {
  EXPECT_EQ(*FormatForContentType("application/octet-stream", Format::kOpenMetrics),
            Format::kOpenMetrics);
  // A known type with a bad version is still an error.
  EXPECT_FALSE(FormatForContentType("text/plain; version=9", Format::kPrometheusText).ok());
}

TEST(ContentTypeTest, AcceptHeaderIsPrometheus3s) {
  EXPECT_EQ(kAcceptHeader,
            "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,"
            "application/openmetrics-text;version=0.0.1;q=0.4,"
            "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,"
            "text/plain;version=0.0.4;q=0.2,*/*;q=0.1");
  EXPECT_EQ(kAcceptHeaderPrometheus2,
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
            "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
}

TEST(ContentTypeTest, ContentTypeForRoundTrips) {
  for (Format f : {Format::kPrometheusText, Format::kOpenMetrics}) {
    EXPECT_EQ(*FormatForContentType(ContentTypeFor(f)), f);
  }
}

}  // namespace
}  // namespace hw::scrape
