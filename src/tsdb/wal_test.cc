// Wal: writing, reopening, rollover, group commit, fsync policies, truncation, metrics.
#include "tsdb/wal.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <map>
#include <thread>

#include "base/metrics.h"
#include "tsdb/wal_test_util.h"

namespace hw::tsdb {
namespace {

using testing::AsReplayed;
using testing::MustOpen;
using testing::OnlySample;
using testing::Replayed;
using testing::ReplayAll;
using testing::SampleRecord;
using testing::TempDir;

TEST(WalTest, WriteReopenReplay) {
  TempDir tmp;
  std::vector<std::string> first = {
      EncodeSeries(std::vector<RefSeries>{{1, model::Labels::FromPairs({{"__name__", "up"}})}}),
      SampleRecord(1, 1000, 1.0)};
  std::vector<std::string> second = {SampleRecord(1, 2000, 0.0),
                                     EncodeTombstones(std::vector<Tombstone>{{1, 0, 1500}})};
  {
    auto wal = MustOpen(tmp.wal());
    ASSERT_TRUE(wal->Log(first).ok());
    ASSERT_TRUE(wal->Close().ok());
  }
  {
    auto wal = MustOpen(tmp.wal());
    EXPECT_EQ(wal->Segments(), std::make_pair(0, 0));
    ASSERT_TRUE(wal->Log(second).ok());
  }  // destructor closes
  std::vector<Replayed> want;
  for (const auto& r : first) want.push_back(AsReplayed(r));
  for (const auto& r : second) want.push_back(AsReplayed(r));
  EXPECT_EQ(ReplayAll(tmp.wal()), want);
}

// The worked example of docs/format/wal.md, byte for byte.
TEST(WalTest, MatchesTheDocumentedByteLayout) {
  TempDir tmp;
  {
    auto wal = MustOpen(tmp.wal());
    ASSERT_TRUE(wal->Log(std::vector<std::string>{SampleRecord(1, 1000, 1.0)}).ok());
  }
  std::ifstream f(SegmentPath(tmp.wal(), 0), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const unsigned char want[] = {0x02, 0x0d, 0x00, 0x00, 0x00, 0x6b, 0x3f, 0xb5,
                                0xee, 0x01, 0xd0, 0x0f, 0x00, 0x00, 0x00, 0x00,
                                0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f};
  EXPECT_EQ(bytes, std::string(reinterpret_cast<const char*>(want), sizeof(want)));
}

TEST(WalTest, ReplayOfMissingDirectoryIsEmpty) {
  TempDir tmp;
  EXPECT_TRUE(ReplayAll(tmp.path() + "/nope").empty());
}

TEST(WalTest, RejectsBadRecordsAndWritesNothing) {
  TempDir tmp;
  auto wal = MustOpen(tmp.wal());
  std::vector<std::string> bad = {SampleRecord(1, 1), ""};
  EXPECT_EQ(wal->Log(bad).code(), StatusCode::kBadData);
  bad = {std::string("\x07payload")};
  EXPECT_EQ(wal->Log(bad).code(), StatusCode::kBadData);
  EXPECT_TRUE(wal->Log({}).ok());
  ASSERT_TRUE(wal->Close().ok());
  EXPECT_EQ(testing::SizeOf(SegmentPath(tmp.wal(), 0)), 0u);
  EXPECT_EQ(wal->Log(std::vector<std::string>{SampleRecord(1, 1)}).code(),
            StatusCode::kUnavailable);
  EXPECT_TRUE(wal->Close().ok());  // idempotent
}

TEST(WalTest, RollsOverWithoutSplittingRecords) {
  TempDir tmp;
  WalOptions opts;
  opts.segment_size = 1000;
  opts.fsync = FsyncPolicy::kNever;
  std::vector<std::string> want;
  {
    auto wal = MustOpen(tmp.wal(), opts);
    for (int i = 0; i < 200; ++i) {
      std::vector<std::string> batch = {SampleRecord(i, i * 10), SampleRecord(i, i * 10 + 1)};
      ASSERT_TRUE(wal->Log(batch).ok());
      want.insert(want.end(), batch.begin(), batch.end());
    }
    // A record bigger than a segment gets a segment of its own.
    std::vector<RefSample> big(200, RefSample{9, 9, 9.0});
    std::vector<std::string> huge = {EncodeSamples(big)};
    ASSERT_GT(huge[0].size(), opts.segment_size);
    ASSERT_TRUE(wal->Log(huge).ok());
    want.push_back(huge[0]);
    auto [first, last] = wal->Segments();
    EXPECT_EQ(first, 0);
    EXPECT_GT(last, 5);
  }
  Result<std::vector<int>> segs = ListSegments(tmp.wal());
  ASSERT_TRUE(segs.ok());
  for (std::size_t i = 0; i < segs->size(); ++i) {
    EXPECT_EQ((*segs)[i], static_cast<int>(i));  // no gaps
    std::uint64_t size = testing::SizeOf(SegmentPath(tmp.wal(), (*segs)[i]));
    if (i + 1 < segs->size()) {
      EXPECT_LE(size, opts.segment_size) << i;
    }
  }
  std::vector<Replayed> got = ReplayAll(tmp.wal());
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(got[i], AsReplayed(want[i])) << i;
}

TEST(WalTest, NextSegmentAndTruncateBefore) {
  TempDir tmp;
  auto wal = MustOpen(tmp.wal());
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(wal->Log(std::vector<std::string>{SampleRecord(1, i)}).ok());
    Result<int> next = wal->NextSegment();
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(*next, i + 1);
  }
  EXPECT_EQ(wal->Segments(), std::make_pair(0, 4));
  EXPECT_EQ(wal->TruncateBefore(5).code(), StatusCode::kBadData);  // 4 is being written
  ASSERT_TRUE(wal->TruncateBefore(2).ok());
  EXPECT_EQ(wal->Segments(), std::make_pair(2, 4));
  ASSERT_TRUE(wal->Log(std::vector<std::string>{SampleRecord(1, 10)}).ok());
  std::vector<Replayed> got = ReplayAll(tmp.wal());
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(OnlySample(got[0]).t, 2);
  EXPECT_EQ(OnlySample(got[1]).t, 3);
  EXPECT_EQ(OnlySample(got[2]).t, 10);
  wal.reset();
  wal = MustOpen(tmp.wal());
  EXPECT_EQ(wal->Segments(), std::make_pair(2, 4));
}

// Every record of 8 concurrent writers is replayed exactly once, each writer's in order.
class WalConcurrencyTest : public ::testing::TestWithParam<FsyncPolicy> {};

TEST_P(WalConcurrencyTest, EightWritersEveryRecordOnceInOrder) {
  TempDir tmp;
  WalOptions opts;
  opts.fsync = GetParam();
  opts.fsync_interval = std::chrono::milliseconds(5);
  opts.segment_size = 64 << 10;  // rollovers happen inside groups too
  constexpr int kThreads = 8;
  const int kBatches = GetParam() == FsyncPolicy::kAlways ? 100 : 400;
  {
    auto wal = MustOpen(tmp.wal(), opts);
    std::vector<std::thread> threads;
    std::atomic<int> errors{0};
    for (int th = 0; th < kThreads; ++th) {
      threads.emplace_back([&, th] {
        for (int b = 0; b < kBatches; ++b) {
          // Batches of 1-3 records; t counts this thread's records.
          std::vector<std::string> batch;
          for (int k = 0; k <= b % 3; ++k) batch.push_back(SampleRecord(th + 1, 3 * b + k));
          if (!wal->Log(batch).ok()) ++errors;
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(errors.load(), 0);
  }
  std::map<SeriesRef, std::vector<std::int64_t>> seen;
  for (const Replayed& r : ReplayAll(tmp.wal())) {
    RefSample s = OnlySample(r);
    seen[s.ref].push_back(s.t);
  }
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(kThreads));
  for (const auto& [ref, ts] : seen) {
    std::vector<std::int64_t> want;
    for (int b = 0; b < kBatches; ++b) {
      for (int k = 0; k <= b % 3; ++k) want.push_back(3 * b + k);
    }
    EXPECT_EQ(ts, want) << "thread " << ref;
  }
}

INSTANTIATE_TEST_SUITE_P(Policies, WalConcurrencyTest,
                         ::testing::Values(FsyncPolicy::kAlways, FsyncPolicy::kInterval,
                                           FsyncPolicy::kNever));

TEST(WalTest, FsyncPoliciesAndMetrics) {
  for (FsyncPolicy policy : {FsyncPolicy::kAlways, FsyncPolicy::kInterval, FsyncPolicy::kNever}) {
    TempDir tmp;
    metrics::Registry registry;
    WalOptions opts;
    opts.fsync = policy;
    opts.fsync_interval = std::chrono::milliseconds(10);
    opts.registry = &registry;
    auto wal = MustOpen(tmp.wal(), opts);
    std::vector<std::string> batch = {SampleRecord(1, 1), SampleRecord(1, 2)};
    ASSERT_TRUE(wal->Log(batch).ok());
    if (policy == FsyncPolicy::kInterval) {  // wait for the background fsync
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (registry.Render().find("fsync_duration_seconds_count 1") == std::string::npos &&
             std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
    ASSERT_TRUE(wal->Sync().ok());
    ASSERT_TRUE(wal->Close().ok());
    std::string text = registry.Render();
    EXPECT_NE(text.find("hastewatch_tsdb_wal_records_total 2"), std::string::npos) << text;
    std::string bytes = "hastewatch_tsdb_wal_bytes_written_total " +
                        std::to_string(batch[0].size() + batch[1].size() + 16);
    EXPECT_NE(text.find(bytes), std::string::npos) << text;
    EXPECT_NE(text.find("hastewatch_tsdb_wal_corruptions_total 0"), std::string::npos);
    EXPECT_NE(text.find("hastewatch_tsdb_wal_segments 1"), std::string::npos);
    EXPECT_NE(text.find("hastewatch_tsdb_wal_segment_current 0"), std::string::npos);
    // kAlways: one fsync for the Log, one for Sync; kInterval: Sync and >= 1 background;
    // kNever: the explicit Sync only.
    const char* want = policy == FsyncPolicy::kAlways  ? "fsync_duration_seconds_count 2"
                       : policy == FsyncPolicy::kNever ? "fsync_duration_seconds_count 1"
                                                       : "fsync_duration_seconds_count 2";
    EXPECT_NE(text.find(want), std::string::npos) << text;
    EXPECT_EQ(ReplayAll(tmp.wal()).size(), 2u);
  }
}

TEST(WalTest, InvalidOptions) {
  TempDir tmp;
  WalOptions opts;
  opts.segment_size = 0;
  EXPECT_EQ(Wal::Open(tmp.wal(), opts).status().code(), StatusCode::kBadData);
  opts = {};
  opts.fsync = FsyncPolicy::kInterval;
  opts.fsync_interval = std::chrono::milliseconds(0);
  EXPECT_EQ(Wal::Open(tmp.wal(), opts).status().code(), StatusCode::kBadData);
}

}  // namespace
}  // namespace hw::tsdb
