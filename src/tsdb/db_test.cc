#include "tsdb/db.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

namespace hw::tsdb {
namespace {

namespace fs = std::filesystem;
using model::Labels;
using model::Matcher;

constexpr std::int64_t kMinute = 60'000;

class DbTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/hw-db-" + std::to_string(getpid()) + "-" +
           testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    options_.block_range_ms = kMinute;
    options_.retention_ms = 0;
    options_.wal_fsync = FsyncPolicy::kNever;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Db> Open() {
    Result<std::unique_ptr<Db>> db = Db::Open(dir_, options_, log_);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(db).value() : nullptr;
  }

  // Appends `n` series x samples every `step` ms in [from, to).
  void Fill(Db& db, int n, std::int64_t from, std::int64_t to, std::int64_t step = 1000) {
    for (std::int64_t t = from; t < to; t += step) {
      auto app = db.NewAppender();
      for (int i = 0; i < n; ++i) {
        Labels l = Labels::FromPairs({{"__name__", "m"}, {"i", std::to_string(i)}});
        ASSERT_TRUE(app->Append(l, t, static_cast<double>(t + i)).ok());
      }
      ASSERT_TRUE(app->Commit().ok());
    }
  }

  std::map<std::string, std::vector<model::Sample>> ReadAll(Db& db) {
    std::map<std::string, std::vector<model::Sample>> out;
    auto q = std::move(db.NewQuerier(INT64_MIN, INT64_MAX)).value();
    auto set = q->Select({*Matcher::Make(model::MatchType::kEqual, "__name__", "m")}, INT64_MIN,
                         INT64_MAX);
    while (set->Next()) {
      auto it = set->At().Iterator();
      auto& v = out[set->At().labels().ToString()];
      while (it->Next()) v.push_back(it->At());
      EXPECT_TRUE(it->Err().ok()) << it->Err().ToString();
    }
    EXPECT_TRUE(set->Err().ok()) << set->Err().ToString();
    return out;
  }

  void ExpectComplete(Db& db, int n, std::int64_t from, std::int64_t to, std::int64_t step = 1000) {
    auto got = ReadAll(db);
    ASSERT_EQ(got.size(), static_cast<size_t>(n));
    for (const auto& [k, samples] : got) {
      ASSERT_EQ(samples.size(), static_cast<size_t>((to - from) / step)) << k;
      for (size_t j = 0; j < samples.size(); ++j) {
        ASSERT_EQ(samples[j].t, from + static_cast<std::int64_t>(j) * step) << k;
      }
    }
  }

  std::size_t BlockDirs() {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir_)) {
      std::string name = e.path().filename();
      if (e.is_directory() && name != "wal" && name.find('.') == std::string::npos) ++n;
    }
    return n;
  }

  std::string dir_;
  DbOptions options_;
  std::shared_ptr<MemoryLogSink> sink_ = std::make_shared<MemoryLogSink>();
  Logger log_{"hw", LogLevel::kDebug, sink_};
};

TEST_F(DbTest, CommittedSamplesSurviveReopen) {
  {
    auto db = Open();
    Fill(*db, 10, 0, 30'000);
  }  // no flush, no block: only the WAL has it
  auto db = Open();
  ExpectComplete(*db, 10, 0, 30'000);
  Fill(*db, 10, 30'000, 40'000);  // and appending goes on with the same series
  ExpectComplete(*db, 10, 0, 40'000);
}

TEST_F(DbTest, HeadIsCutIntoBlocksAndWalTruncated) {
  auto db = Open();
  Fill(*db, 20, 0, 200'000);  // 3.3 block ranges
  ASSERT_TRUE(db->Compact().ok());
  EXPECT_GE(db->Stats().blocks, 2u);
  EXPECT_EQ(db->head().MinValidTime() % kMinute, 0);
  ExpectComplete(*db, 20, 0, 200'000);
  // Samples older than the persisted range are refused with the reason.
  auto app = db->NewAppender();
  Result<storage::SeriesRef> r =
      app->Append(Labels::FromPairs({{"__name__", "m"}, {"i", "new"}}), 1000, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("out of bounds"), std::string::npos);
  db.reset();
  db = Open();
  ExpectComplete(*db, 20, 0, 200'000);  // blocks + checkpoint + WAL, no duplicates
}

TEST_F(DbTest, BlocksAreCompactedAndRetentionDropsOldOnes) {
  options_.retention_ms = 30 * kMinute;
  auto db = Open();
  Fill(*db, 5, 0, 60 * kMinute, 15'000);
  ASSERT_TRUE(db->Compact().ok());
  DbStats st = db->Stats();
  // 60 minutes in 1-minute blocks, compacted 3 -> 1 (and again), then retention keeps
  // roughly the newest 30 minutes.
  EXPECT_LT(st.blocks, 20u);
  EXPECT_GE(st.min_time, 25 * kMinute);
  auto got = ReadAll(*db);
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got.begin()->second.back().t, 60 * kMinute - 15'000);
  EXPECT_EQ(BlockDirs(), st.blocks) << "deleted blocks left on disk";
}

TEST_F(DbTest, DeleteSeriesCoversBlocksAndHeadAndSurvivesRestart) {
  auto db = Open();
  Fill(*db, 3, 0, 150'000);
  ASSERT_TRUE(db->Compact().ok());
  ASSERT_GE(db->Stats().blocks, 1u);
  ASSERT_TRUE(db->DeleteSeries({*Matcher::Make(model::MatchType::kEqual, "i", "1")}, INT64_MIN,
                               INT64_MAX).ok());
  EXPECT_EQ(ReadAll(*db).size(), 2u);
  db.reset();
  db = Open();
  EXPECT_EQ(ReadAll(*db).size(), 2u);
}

TEST_F(DbTest, TornWalTailIsCutWithAWarning) {
  {
    auto db = Open();
    Fill(*db, 2, 0, 10'000);
  }
  // Chop bytes off the end of the newest segment, as a crash mid-write would.
  std::string last;
  for (const auto& e : fs::directory_iterator(dir_ + "/wal")) {
    if (e.is_regular_file() && e.path().filename().string() > last) last = e.path().filename();
  }
  std::string path = dir_ + "/wal/" + last;
  fs::resize_file(path, fs::file_size(path) - 7);
  auto db = Open();
  ASSERT_NE(db, nullptr);
  auto got = ReadAll(*db);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got.begin()->second.size(), 9u) << "only the torn last commit is lost";
  bool warned = false;
  for (const std::string& line : sink_->Lines()) warned |= line.find("\"WARN\"") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST_F(DbTest, FlushHeadPersistsEverything) {
  auto db = Open();
  Fill(*db, 4, 0, 90'000);
  ASSERT_TRUE(db->FlushHead().ok());
  EXPECT_EQ(db->head().Stats().series, 0u);
  ExpectComplete(*db, 4, 0, 90'000);
  db.reset();
  db = Open();
  ExpectComplete(*db, 4, 0, 90'000);
}

TEST_F(DbTest, SeriesThatWentQuietAreForgottenAndCanReturn) {
  auto db = Open();
  Fill(*db, 2, 0, 10'000);
  // Only series 0 keeps going; series 1 goes quiet.
  for (std::int64_t t = 10'000; t < 200'000; t += 1000) {
    auto app = db->NewAppender();
    ASSERT_TRUE(app->Append(Labels::FromPairs({{"__name__", "m"}, {"i", "0"}}), t, 1).ok());
    ASSERT_TRUE(app->Commit().ok());
  }
  ASSERT_TRUE(db->Compact().ok());
  EXPECT_EQ(db->head().Stats().series, 1u);
  auto app = db->NewAppender();
  ASSERT_TRUE(app->Append(Labels::FromPairs({{"__name__", "m"}, {"i", "1"}}), 200'000, 5).ok());
  ASSERT_TRUE(app->Commit().ok());
  db.reset();
  db = Open();
  auto got = ReadAll(*db);
  EXPECT_EQ(got["{__name__=\"m\", i=\"1\"}"].back().t, 200'000);
  EXPECT_EQ(got["{__name__=\"m\", i=\"1\"}"].size(), 11u);
}

}  // namespace
}  // namespace hw::tsdb
