#include "http/service.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace hw::http {
namespace {

class ServiceTest : public testing::Test {
 protected:
  ServiceTest()
      : sink_(std::make_shared<MemoryLogSink>()),
        log_("hastewatch", LogLevel::kInfo, sink_) {
    auto router = std::make_shared<Router>();
    router->Get("/open", config::Role::kNone, [](Request&) { return Response::Json("{}"); });
    router->Get("/page", config::Role::kNone, [](Request&) {
      return Response::Text("<p>ok</p>", "text/html; charset=utf-8");
    });
    router->Get("/items/:id", config::Role::kRead, [](Request& r) {
      return Response::Text(std::string(r.RouteParam("id")));
    });
    router->Post("/admin", config::Role::kAdmin, [](Request&) { return Response::Json("{}"); });
    router->Get("/boom", config::Role::kRead, [](Request&) -> Response {
      throw std::runtime_error("kaput");
    });
    config::AuthConfig auth;
    auth.tokens = {{"ops", "admin-token-0123456789", config::Role::kAdmin},
                   {"viewer", "read-token-0123456789", config::Role::kRead}};
    service_ = std::make_unique<Service>(router, std::make_shared<Authenticator>(auth), log_,
                                         registry_, ServiceOptions{});
  }

  Response Call(std::string method, std::string path, KeyValues headers = {}) {
    Request req;
    req.method = std::move(method);
    req.path = path;
    req.target = path;
    req.headers = std::move(headers);
    return service_->Handle(req);
  }

  std::shared_ptr<MemoryLogSink> sink_;
  Logger log_;
  metrics::Registry registry_;
  std::unique_ptr<Service> service_;
};

std::string HeaderOf(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST_F(ServiceTest, RoutesAndLabelsMetricsByTemplate) {
  Response r = Call("GET", "/items/42");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "42");
  std::string text = registry_.Render();
  EXPECT_NE(text.find("http_requests_total{method=\"GET\",endpoint=\"/items/:id\",status=\"200\"} 1"),
            std::string::npos) << text;
  EXPECT_EQ(text.find("/items/42"), std::string::npos) << "raw path leaked into labels";
}

TEST_F(ServiceTest, ErrorsHaveJsonBodiesAndCodes) {
  struct Case {
    std::string method, path;
    KeyValues headers;
    int status;
    std::string type;
  } cases[] = {
      {"GET", "/missing", {}, 404, "not_found"},
      {"DELETE", "/open", {}, 405, "method_not_allowed"},
      {"POST", "/admin", {}, 401, "unauthorized"},
      {"POST", "/admin", {{"authorization", "Bearer wrong"}}, 401, "unauthorized"},
      {"POST", "/admin", {{"authorization", "Bearer read-token-0123456789"}}, 403, "forbidden"},
      {"GET", "/boom", {}, 500, "internal"},
  };
  for (const Case& c : cases) {
    Response r = Call(c.method, c.path, c.headers);
    EXPECT_EQ(r.status, c.status) << c.method << " " << c.path;
    rapidjson::Document d;
    d.Parse(r.body.c_str());
    ASSERT_FALSE(d.HasParseError()) << r.body;
    EXPECT_STREQ(d["status"].GetString(), "error");
    EXPECT_EQ(d["errorType"].GetString(), c.type) << r.body;
    EXPECT_TRUE(d["error"].IsString());
  }
  EXPECT_EQ(HeaderOf(Call("DELETE", "/open"), "Allow"), "GET");
  std::string text = registry_.Render();
  EXPECT_NE(text.find("http_errors_total{method=\"POST\",endpoint=\"/admin\",error_type=\"forbidden\"} 1"),
            std::string::npos) << text;
}

TEST_F(ServiceTest, AdminTokenPassesAndOpenRoutesIgnoreBadTokens) {
  EXPECT_EQ(Call("POST", "/admin", {{"authorization", "Bearer admin-token-0123456789"}}).status, 200);
  EXPECT_EQ(Call("GET", "/open", {{"authorization", "Bearer garbage"}}).status, 200);
}

TEST_F(ServiceTest, CorrelationIdIsTakenOrGeneratedAndEchoed) {
  EXPECT_EQ(HeaderOf(Call("GET", "/open", {{"x-request-id", "abc-123"}}), "X-Request-Id"), "abc-123");
  EXPECT_EQ(HeaderOf(Call("GET", "/open",
                          {{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}}),
                     "X-Request-Id"),
            "4bf92f3577b34da6a3ce929d0e0e4736");
  std::string generated = HeaderOf(Call("GET", "/open", {{"x-request-id", "bad id\n"}}), "X-Request-Id");
  EXPECT_EQ(generated.size(), 32u);
}

TEST_F(ServiceTest, AnswersAreNotSniffedAndHtmlPagesNotFramed) {
  Response json = Call("GET", "/open");
  EXPECT_EQ(HeaderOf(json, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(HeaderOf(json, "X-Frame-Options"), "");
  Response html = Call("GET", "/page");
  EXPECT_EQ(HeaderOf(html, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(HeaderOf(html, "X-Frame-Options"), "DENY");
  EXPECT_EQ(HeaderOf(html, "Content-Security-Policy"), "frame-ancestors 'none'");
  EXPECT_EQ(HeaderOf(Call("GET", "/missing"), "X-Content-Type-Options"), "nosniff");
}

TEST_F(ServiceTest, OneAccessLogEntryPerRequestWithoutTheToken) {
  Call("POST", "/admin", {{"authorization", "Bearer admin-token-0123456789"}, {"x-request-id", "r1"}});
  std::vector<std::string> lines = sink_->Lines();
  ASSERT_EQ(lines.size(), 1u);
  rapidjson::Document d;
  d.Parse(lines[0].c_str());
  EXPECT_STREQ(d["correlationId"].GetString(), "r1");
  EXPECT_STREQ(d["userId"].GetString(), "ops");
  EXPECT_EQ(d["metadata"]["status"].GetInt(), 200);
  EXPECT_STREQ(d["metadata"]["endpoint"].GetString(), "/admin");
  EXPECT_EQ(lines[0].find("admin-token"), std::string::npos);
}

TEST_F(ServiceTest, ProtocolErrorsAreAnsweredNotRouted) {
  Request req;
  req.method = "POST";
  req.path = "/admin";
  req.protocol_error = Status::TooLarge("too big");
  Response r = service_->Handle(req);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.error_type, "too_large");
}

}  // namespace
}  // namespace hw::http
