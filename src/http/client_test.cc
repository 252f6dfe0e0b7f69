#include "http/client.h"

#include <gtest/gtest.h>

namespace hw::http {
namespace {

TEST(ClientTest, ParsesUrls) {
  Result<Url> u = ParseUrl("https://example.com/a/b?c=d");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "example.com");
  EXPECT_EQ(u->port, "443");
  EXPECT_EQ(u->target, "/a/b?c=d");
  u = ParseUrl("http://[::1]:9090");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, "9090");
  EXPECT_EQ(u->target, "/");
  for (const char* bad : {"example.com", "ftp://x/", "http://:80/", "http://h:x/", "http://u:p@h/"}) {
    EXPECT_FALSE(ParseUrl(bad).ok()) << bad;
  }
}

TEST(ClientTest, ConnectionRefusedNamesTheStep) {
  // Port 1 on loopback is closed on any sane test machine.
  Result<ClientResponse> r = HttpGet("http://127.0.0.1:1/", Duration(1000));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(
                "cannot GET http://127.0.0.1:1/: dial tcp 127.0.0.1:1: connect: connection refused"),
            std::string::npos)
      << r.status().message();
  Status s = TcpProbe("127.0.0.1:1", Duration(1000));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("cannot connect to 127.0.0.1:1"), std::string::npos);
}

}  // namespace
}  // namespace hw::http
