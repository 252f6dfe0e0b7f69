// Signed one-click links: what a page carries verifies until it expires, and any
// change to it (incident, action, recipient, expiry, signature) is refused.
#include "incidents/links.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <regex>

#include "incidents/signed_link.h"

namespace hw::incidents {
namespace {

using ::testing::HasSubstr;

// The query parameters of a link.
std::map<std::string, std::string> Query(const std::string& url) {
  std::map<std::string, std::string> out;
  std::string q = url.substr(url.find('?') + 1);
  std::regex kv("([^&=]+)=([^&]*)");
  for (auto it = std::sregex_iterator(q.begin(), q.end(), kv); it != std::sregex_iterator(); ++it) {
    out[(*it)[1]] = (*it)[2];
  }
  return out;
}

TEST(IncidentLinksTest, UrlNamesIncidentActionRecipientAndExpiry) {
  FakeClock clock(1'700'000'000'000);
  IncidentLinks links("s3cret", "https://hw.example.com/", Duration(3600'000), clock);
  const std::string url = links.Url(42, "acknowledge", "alice via oncall-pager");
  EXPECT_THAT(url, ::testing::StartsWith(
                       "https://hw.example.com/incident-link/42/acknowledge?to=alice%20via%20"
                       "oncall-pager&exp=1700003600&sig="));
  auto q = Query(url);
  EXPECT_EQ(q["sig"], SignLink("s3cret", 42, "acknowledge", "alice via oncall-pager", 1700003600));
  EXPECT_TRUE(links.Verify(42, "acknowledge", "alice via oncall-pager", q["exp"], q["sig"]).ok());
}

TEST(IncidentLinksTest, ExpiresAfterTheTtl) {
  FakeClock clock(1'700'000'000'000);
  IncidentLinks links("s3cret", "http://hw", Duration(24 * 3600'000), clock);
  auto q = Query(links.Url(7, "resolve", "bob via pager"));
  clock.Advance(std::chrono::hours(24) - std::chrono::seconds(1));
  EXPECT_TRUE(links.Verify(7, "resolve", "bob via pager", q["exp"], q["sig"]).ok());
  clock.Advance(std::chrono::seconds(1));
  Status s = links.Verify(7, "resolve", "bob via pager", q["exp"], q["sig"]);
  EXPECT_EQ(s.code(), StatusCode::kForbidden);
  EXPECT_EQ(s.message(), "cannot resolve incident 7: link expired");
}

TEST(IncidentLinksTest, AnyChangeInvalidatesTheSignature) {
  FakeClock clock(1'700'000'000'000);
  IncidentLinks links("s3cret", "http://hw", Duration(3600'000), clock);
  auto q = Query(links.Url(7, "acknowledge", "bob via pager"));
  std::string flipped = q["sig"];
  flipped[0] = flipped[0] == '0' ? '1' : '0';
  struct Case {
    const char* what;
    std::int64_t id;
    const char* action;
    const char* to;
    std::string exp, sig;
  };
  const Case cases[] = {
      {"incident", 8, "acknowledge", "bob via pager", q["exp"], q["sig"]},
      {"action", 7, "resolve", "bob via pager", q["exp"], q["sig"]},
      {"recipient", 7, "acknowledge", "mallory via pager", q["exp"], q["sig"]},
      {"expiry", 7, "acknowledge", "bob via pager", "1800000000", q["sig"]},
      {"malformed expiry", 7, "acknowledge", "bob via pager", "soon", q["sig"]},
      {"signature", 7, "acknowledge", "bob via pager", q["exp"], flipped},
      {"short signature", 7, "acknowledge", "bob via pager", q["exp"], q["sig"].substr(2)},
  };
  for (const Case& c : cases) {
    Status s = links.Verify(c.id, c.action, c.to, c.exp, c.sig);
    EXPECT_EQ(s.code(), StatusCode::kForbidden) << c.what;
    EXPECT_THAT(s.message(), HasSubstr("link signature invalid")) << c.what;
  }
  // Another server's secret does not verify either.
  IncidentLinks other("other", "http://hw", Duration(3600'000), clock);
  EXPECT_EQ(other.Verify(7, "acknowledge", "bob via pager", q["exp"], q["sig"]).code(),
            StatusCode::kForbidden);
}

TEST(IncidentLinksTest, RekeyRevokesLinksSignedBeforeAndSetsTheNewTtl) {
  FakeClock clock(1'700'000'000'000);
  IncidentLinks links("s3cret", "http://hw", Duration(3600'000), clock);
  auto before = Query(links.Url(7, "resolve", "bob via pager"));
  EXPECT_FALSE(links.Rekey("s3cret", Duration(3600'000))) << "same secret: nothing changed";
  EXPECT_TRUE(links.Verify(7, "resolve", "bob via pager", before["exp"], before["sig"]).ok());

  EXPECT_TRUE(links.Rekey("rotated", Duration(600'000)));
  EXPECT_THAT(links.Verify(7, "resolve", "bob via pager", before["exp"], before["sig"]).message(),
              HasSubstr("link signature invalid"));
  auto after = Query(links.Url(7, "resolve", "bob via pager"));
  EXPECT_EQ(after["exp"], "1700000600");
  EXPECT_EQ(after["sig"], SignLink("rotated", 7, "resolve", "bob via pager", 1700000600));
  EXPECT_TRUE(links.Verify(7, "resolve", "bob via pager", after["exp"], after["sig"]).ok());

  // A page's two links, signed with one key.
  std::optional<IncidentLinks::ActionUrls> urls = links.Urls(7, "bob via pager");
  ASSERT_TRUE(urls.has_value());
  auto ack = Query(urls->acknowledge), res = Query(urls->resolve);
  EXPECT_TRUE(links.Verify(7, "acknowledge", "bob via pager", ack["exp"], ack["sig"]).ok());
  EXPECT_TRUE(links.Verify(7, "resolve", "bob via pager", res["exp"], res["sig"]).ok());

  EXPECT_TRUE(links.Rekey("", Duration(0)));  // token_file removed: links off
  EXPECT_FALSE(links.Urls(7, "bob via pager").has_value());
  EXPECT_FALSE(links.enabled());
  EXPECT_EQ(links.ttl(), kDefaultLinkTtl);
  EXPECT_EQ(links.Url(7, "resolve", "bob via pager"), "");
}

TEST(IncidentLinksTest, WithoutASecretLinksAreOff) {
  FakeClock clock(1'700'000'000'000);
  IncidentLinks links("", "http://hw", Duration(3600'000), clock);
  EXPECT_FALSE(links.enabled());
  EXPECT_EQ(links.Url(1, "acknowledge", "x"), "");
  EXPECT_THAT(links.Verify(1, "acknowledge", "x", "1800000000", "00").message(),
              HasSubstr("one-click links are disabled"));
}

TEST(IncidentLinksTest, OnlyAcknowledgeAndResolveAreActions) {
  EXPECT_EQ(ParseLinkAction("acknowledge"), "acknowledge");
  EXPECT_EQ(ParseLinkAction("resolve"), "resolve");
  EXPECT_FALSE(ParseLinkAction("delete").has_value());
}

}  // namespace
}  // namespace hw::incidents
