// The one-click link handler on a FakeClock: GET shows the incident and changes
// nothing, POST acts with the recipient as the actor, used links say the incident is
// already acknowledged, tampered and expired links get a 403 page.
#include "api/incident_links.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "api/incidents_test_fixture.h"

namespace hw::api {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class IncidentLinksApiTest : public IncidentsApiFixture {
 protected:
  void SetUp() override {
    OpenManager({});
    RegisterIncidentLinkRoutes(router_, *manager_, links_);
    auto id = manager_->OpenManual("Checkout <failing>", 2, "alice");
    ASSERT_TRUE(id.ok());
    id_ = *id;
  }

  // Sends `method` on a link's path and query as the server would route it.
  http::Response Send(const std::string& method, const std::string& url) {
    const std::string target = url.substr(url.find("/incident-link/"));
    const std::string path = target.substr(0, target.find('?'));
    http::RouteMatch m = router_.Match(method, path);
    if (m.kind == http::RouteMatch::Kind::kFound) {
      EXPECT_EQ(m.route->required, config::Role::kNone);  // the signature is the authorisation
    }
    return Dispatch(method, path, target.substr(target.find('?') + 1));
  }

  incidents::State State() { return manager_->Get(id_)->state; }

  incidents::IncidentLinks links_{"s3cret", "http://hw", Duration(3600'000), clock_};
  std::int64_t id_ = 0;
};

TEST_F(IncidentLinksApiTest, GetShowsTheIncidentAndPostAcknowledges) {
  const std::string url = links_.Url(id_, "acknowledge", "bob via pager-bob");
  http::Response page = Send("GET", url);
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_THAT(page.body, HasSubstr("Checkout &lt;failing&gt;"));  // escaped
  EXPECT_THAT(page.body, HasSubstr(">P2<"));
  EXPECT_THAT(page.body, HasSubstr(">triggered<"));
  EXPECT_THAT(page.body, HasSubstr("Acknowledge as bob via pager-bob"));
  // The form posts back to the document's own URL (kept behind a path-prefix proxy),
  // not to the target the server saw.
  EXPECT_THAT(page.body, HasSubstr("<form method=\"post\" action=\"\">"));
  EXPECT_THAT(page.body, Not(HasSubstr("action=\"/incident-link/")));
  EXPECT_EQ(State(), incidents::State::kTriggered);  // a GET never acts

  http::Response done = Send("POST", url);
  EXPECT_EQ(done.status, 200);
  EXPECT_THAT(done.body, HasSubstr("acknowledged by bob via pager-bob via signed link"));
  Result<incidents::Incident> inc = manager_->Get(id_);
  EXPECT_EQ(inc->state, incidents::State::kAcknowledged);
  auto change = std::find_if(inc->timeline.begin(), inc->timeline.end(), [](const auto& e) {
    return e.kind == incidents::EntryKind::kStateChange;
  });
  ASSERT_NE(change, inc->timeline.end());
  EXPECT_EQ(change->text, "triggered → acknowledged");
  EXPECT_EQ(change->actor, "bob via pager-bob via signed link");
  EXPECT_EQ(change->at_ms, clock_.NowMillis());

  for (const char* method : {"GET", "POST"}) {
    http::Response again = Send(method, url);
    EXPECT_EQ(again.status, 200);
    EXPECT_THAT(again.body, HasSubstr("already acknowledged")) << method;
    EXPECT_THAT(again.body, Not(HasSubstr("<form"))) << method;
  }
}

TEST_F(IncidentLinksApiTest, ResolveLinkResolves) {
  http::Response done = Send("POST", links_.Url(id_, "resolve", "bob via pager-bob"));
  EXPECT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(State(), incidents::State::kResolved);
  EXPECT_THAT(Send("GET", links_.Url(id_, "acknowledge", "bob")).body,
              HasSubstr("already resolved"));
}

TEST_F(IncidentLinksApiTest, TamperedAndExpiredLinksGet403Pages) {
  const std::string url = links_.Url(id_, "acknowledge", "bob via pager-bob");
  std::string other_action = url;
  other_action.replace(other_action.find("/acknowledge?"), 13, "/resolve?");
  std::string other_recipient = url;
  other_recipient.replace(other_recipient.find("to=bob"), 6, "to=eve");
  for (const std::string& bad :
       {other_action, other_recipient, url.substr(0, url.size() - 1) + "0"}) {
    for (const char* method : {"GET", "POST"}) {
      http::Response r = Send(method, bad);
      EXPECT_EQ(r.status, 403) << bad;
      EXPECT_THAT(r.body, HasSubstr("Link not valid"));
      EXPECT_THAT(r.body, HasSubstr("link signature invalid"));
    }
  }
  clock_.Advance(std::chrono::hours(1));
  for (const char* method : {"GET", "POST"}) {
    http::Response r = Send(method, url);
    EXPECT_EQ(r.status, 403);
    EXPECT_THAT(r.body, HasSubstr("Link expired"));
    EXPECT_THAT(r.body, HasSubstr("link expired"));
  }
  EXPECT_EQ(State(), incidents::State::kTriggered);
}

TEST_F(IncidentLinksApiTest, MalformedPathIs404) {
  EXPECT_EQ(Send("GET", "/incident-link/abc/acknowledge?to=x&exp=1&sig=00").status, 404);
  EXPECT_EQ(Send("GET", "/incident-link/1/delete?to=x&exp=1&sig=00").status, 404);
  // Ids as the server writes them only: no sign, blank or leading zero.
  for (const char* id : {"+1", "%201", "01", "1%20"}) {
    EXPECT_EQ(Send("GET", std::string("/incident-link/") + id + "/acknowledge?to=x&exp=1&sig=00")
                  .status,
              404)
        << id;
  }
}

TEST_F(IncidentLinksApiTest, ALinkCutShortSaysWhichParameterIsMissing) {
  const std::string url = links_.Url(id_, "acknowledge", "bob via pager-bob");
  const std::string cut = url.substr(0, url.find("&sig="));
  http::Response r = Send("GET", cut);
  EXPECT_EQ(r.status, 403);
  EXPECT_THAT(r.body, HasSubstr("the link has no \"sig\" parameter: it was cut short"));
  EXPECT_EQ(State(), incidents::State::kTriggered);
}

}  // namespace
}  // namespace hw::api
