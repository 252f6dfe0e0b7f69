#include "alerting/silences.h"

#include <filesystem>

#include <gtest/gtest.h>

namespace hw::alerting {
namespace {

class SilencesTest : public testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::TempDir() + "/silences_" +
            testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
    std::filesystem::remove(path_);
    Reopen();
  }
  void Reopen() {
    silences_.reset();
    db_ = std::move(StateDb::Open(path_).value());
    silences_ = std::move(Silences::Open(*db_, clock_).value());
  }
  Silence Make(std::int64_t start, std::int64_t end) {
    Silence s;
    s.matchers = {model::Matcher::Equal("alertname", "APIDown"),
                  *model::Matcher::Make(model::MatchType::kRegexMatch, "service", "api|web")};
    s.starts_at_ms = start;
    s.ends_at_ms = end;
    s.created_by = "alice";
    s.comment = "deploy";
    return s;
  }
  model::Labels L(std::string_view service) {
    return model::Labels::FromPairs({{"alertname", "APIDown"}, {"service", service}});
  }

  std::string path_;
  FakeClock clock_{1'000'000};
  std::unique_ptr<StateDb> db_;
  std::unique_ptr<Silences> silences_;
};

TEST_F(SilencesTest, MutesWhileActiveAndSurvivesRestart) {
  Result<std::string> id = silences_->Set(Make(1'000'000, 2'000'000));
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(id->size(), 36u);  // a UUID
  EXPECT_EQ(silences_->Mutes(L("api"), 1'500'000), std::vector<std::string>{*id});
  EXPECT_TRUE(silences_->Mutes(L("db"), 1'500'000).empty());
  EXPECT_TRUE(silences_->Mutes(L("api"), 2'000'000).empty());  // ended
  Reopen();
  std::optional<Silence> s = silences_->Get(*id);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->created_by, "alice");
  EXPECT_EQ(s->matchers[1].ToString(), "service=~\"api|web\"");
  EXPECT_EQ(StateAt(*s, 1'500'000), SilenceState::kActive);
}

TEST_F(SilencesTest, ValidatesLikeAlertmanager) {
  Silence none = Make(1'000'000, 2'000'000);
  none.matchers.clear();
  EXPECT_FALSE(silences_->Set(none).ok());
  Silence everything = Make(1'000'000, 2'000'000);
  everything.matchers = {*model::Matcher::Make(model::MatchType::kRegexMatch, "x", ".*")};
  Result<std::string> r = silences_->Set(everything);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("must not match the empty string"), std::string::npos);
  EXPECT_FALSE(silences_->Set(Make(1'000'000, 900'000)).ok());   // ends before it starts
  EXPECT_FALSE(silences_->Set(Make(100'000, 900'000)).ok());     // ends in the past
  Result<std::string> past_start = silences_->Set(Make(100'000, 2'000'000));
  ASSERT_TRUE(past_start.ok());
  EXPECT_EQ(silences_->Get(*past_start)->starts_at_ms, 1'000'000);  // moved to now
}

TEST_F(SilencesTest, UpdateInPlaceOrReplaceAndExpire) {
  std::string id = *silences_->Set(Make(1'000'000, 2'000'000));
  Silence longer = *silences_->Get(id);
  longer.ends_at_ms = 3'000'000;
  longer.comment = "longer";
  EXPECT_EQ(*silences_->Set(longer), id);  // same matchers, active: updated in place
  Silence changed = *silences_->Get(id);
  changed.matchers.pop_back();
  std::string new_id = *silences_->Set(changed);
  EXPECT_NE(new_id, id);  // new matchers: the old one expires, a new one starts
  EXPECT_EQ(StateAt(*silences_->Get(id), clock_.NowMillis()), SilenceState::kExpired);
  EXPECT_TRUE(silences_->Expire(new_id).ok());
  EXPECT_EQ(StateAt(*silences_->Get(new_id), clock_.NowMillis()), SilenceState::kExpired);
  EXPECT_FALSE(silences_->Expire(new_id).ok());
  EXPECT_EQ(silences_->Expire("nope").code(), StatusCode::kNotFound);
  clock_.Advance(std::chrono::hours(24 * 6));
  silences_->Gc();
  EXPECT_TRUE(silences_->List().empty());
  Reopen();
  EXPECT_TRUE(silences_->List().empty());
}

}  // namespace
}  // namespace hw::alerting
