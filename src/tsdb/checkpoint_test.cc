#include "tsdb/checkpoint.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tsdb/wal_test_util.h"

namespace hw::tsdb {
namespace {

using testing::MustOpen;
using testing::Replayed;
using testing::ReplayAll;
using testing::TempDir;
using testing::TestLogger;

// The decoded content of a WAL, flattened in order.
struct Content {
  std::vector<std::pair<SeriesRef, std::string>> series;
  std::vector<std::tuple<SeriesRef, std::int64_t, double>> samples;
  std::vector<std::tuple<SeriesRef, std::int64_t, std::int64_t>> tombstones;
  bool operator==(const Content&) const = default;
};

Content Decode(const std::vector<Replayed>& records) {
  Content c;
  for (const Replayed& r : records) {
    switch (r.type) {
      case RecordType::kSeries: {
        std::vector<RefSeries> v;
        EXPECT_TRUE(DecodeSeries(r.payload, &v).ok());
        for (const auto& s : v) c.series.emplace_back(s.ref, s.labels.ToString());
        break;
      }
      case RecordType::kSamples: {
        std::vector<RefSample> v;
        EXPECT_TRUE(DecodeSamples(r.payload, &v).ok());
        for (const auto& s : v) c.samples.emplace_back(s.ref, s.t, s.v);
        break;
      }
      case RecordType::kTombstones: {
        std::vector<Tombstone> v;
        EXPECT_TRUE(DecodeTombstones(r.payload, &v).ok());
        for (const auto& s : v) c.tombstones.emplace_back(s.ref, s.mint, s.maxt);
        break;
      }
    }
  }
  return c;
}

Content Filter(const Content& in, const std::function<bool(SeriesRef)>& keep, std::int64_t mint) {
  Content out;
  for (const auto& s : in.series) {
    if (keep(s.first)) out.series.push_back(s);
  }
  for (const auto& s : in.samples) {
    if (keep(std::get<0>(s)) && std::get<1>(s) >= mint) out.samples.push_back(s);
  }
  for (const auto& s : in.tombstones) {
    if (keep(std::get<0>(s)) && std::get<2>(s) >= mint) out.tombstones.push_back(s);
  }
  return out;
}

// Series 1..10 created at t = 0, one sample per series every 10 ms up to t = 190, a
// tombstone per series, all over several small segments.
void Populate(Wal& wal, std::int64_t t0 = 0) {
  if (t0 == 0) {
    std::vector<RefSeries> series;
    for (SeriesRef r = 1; r <= 10; ++r) {
      series.push_back({r, model::Labels::FromPairs({{"__name__", "m"}, {"id", std::to_string(r)}})});
    }
    ASSERT_TRUE(wal.Log(std::vector<std::string>{EncodeSeries(series)}).ok());
  }
  for (std::int64_t t = t0; t < t0 + 200; t += 10) {
    std::vector<RefSample> samples;
    for (SeriesRef r = 1; r <= 10; ++r) samples.push_back({r, t, static_cast<double>(t + r)});
    ASSERT_TRUE(wal.Log(std::vector<std::string>{EncodeSamples(samples)}).ok());
  }
  std::vector<Tombstone> ts;
  for (SeriesRef r = 1; r <= 10; ++r) ts.push_back({r, t0 + static_cast<std::int64_t>(r) * 10, t0 + 60});
  ASSERT_TRUE(wal.Log(std::vector<std::string>{EncodeTombstones(ts)}).ok());
}

std::vector<Replayed> ReadSegments(const std::string& dir, int first, int last) {
  std::vector<Replayed> out;
  WalReader r(dir, first, last);
  while (r.Next()) out.push_back({r.type(), std::string(r.payload())});
  EXPECT_FALSE(r.corruption().has_value());
  return out;
}

WalOptions SmallSegments() {
  WalOptions opts;
  opts.segment_size = 1024;
  opts.fsync = FsyncPolicy::kNever;
  return opts;
}

TEST(CheckpointTest, KeepsLiveDataAndReplaysTheSameAfterTruncate) {
  TempDir tmp;
  auto wal = MustOpen(tmp.wal(), SmallSegments());
  Populate(*wal);
  Result<int> current = wal->NextSegment();
  ASSERT_TRUE(current.ok());
  Populate(*wal, 200);  // data after the checkpointed range stays as it is
  int to = *current - 1;
  ASSERT_GE(to, 2);
  Content checkpointed = Decode(ReadSegments(tmp.wal(), 0, to));
  Content rest = Decode(ReadSegments(tmp.wal(), to + 1, wal->Segments().second));

  auto keep = [](SeriesRef r) { return r % 2 == 1; };
  constexpr std::int64_t kMint = 100;
  TestLogger log;
  Result<CheckpointStats> stats = Checkpoint(*wal, 0, to, keep, kMint, &log.logger);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->checkpoint, to);
  EXPECT_EQ(stats->previous, -1);
  EXPECT_EQ(stats->series_kept, 5u);
  EXPECT_EQ(stats->series_dropped, 5u);
  EXPECT_EQ(stats->samples_kept, 5u * 10);   // t = 100..190, odd series
  EXPECT_EQ(stats->samples_dropped, 200u - 50);
  EXPECT_EQ(stats->tombstones_kept, 0u);     // every interval ends at 60 < mint
  EXPECT_EQ(stats->tombstones_dropped, 10u);
  EXPECT_TRUE(std::filesystem::is_directory(CheckpointPath(tmp.wal(), to)));
  EXPECT_FALSE(std::filesystem::exists(CheckpointPath(tmp.wal(), to) + ".tmp"));

  ASSERT_TRUE(wal->TruncateBefore(to + 1).ok());
  EXPECT_EQ(wal->Segments().first, to + 1);

  // Expected: the checkpointed part filtered, then the rest untouched.
  Content want = Filter(checkpointed, keep, kMint);
  want.series.insert(want.series.end(), rest.series.begin(), rest.series.end());
  want.samples.insert(want.samples.end(), rest.samples.begin(), rest.samples.end());
  want.tombstones.insert(want.tombstones.end(), rest.tombstones.begin(), rest.tombstones.end());
  Content tail = Decode(ReplayAll(tmp.wal()));  // checkpoint, then segments after it
  EXPECT_EQ(tail, want);
  EXPECT_EQ(tail.series.size(), 5u);
  EXPECT_EQ(tail.samples.size(), 50u + 200u);
  EXPECT_EQ(tail.tombstones.size(), 10u);  // those of the second Populate, kept as-is

  // Reopening gives the same data, and a second checkpoint builds on the first.
  wal.reset();
  wal = MustOpen(tmp.wal(), SmallSegments());
  EXPECT_EQ(Decode(ReplayAll(tmp.wal())), tail);
  Result<int> next = wal->NextSegment();
  ASSERT_TRUE(next.ok());
  auto [first, last] = wal->Segments();
  Result<CheckpointStats> second = Checkpoint(*wal, first, last - 1, keep, 0, &log.logger);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->previous, to);
  EXPECT_FALSE(std::filesystem::exists(CheckpointPath(tmp.wal(), to)));
  ASSERT_TRUE(wal->TruncateBefore(last).ok());
  EXPECT_EQ(Decode(ReplayAll(tmp.wal())), Filter(tail, keep, 0));
}

TEST(CheckpointTest, ReplayEqualsFilteredOriginal) {
  TempDir tmp;
  auto wal = MustOpen(tmp.wal(), SmallSegments());
  Populate(*wal);
  Result<int> current = wal->NextSegment();
  ASSERT_TRUE(current.ok());
  Content original = Decode(ReplayAll(tmp.wal()));
  auto keep = [](SeriesRef r) { return r != 3 && r != 4; };
  ASSERT_TRUE(Checkpoint(*wal, 0, *current - 1, keep, 40, nullptr).ok());
  ASSERT_TRUE(wal->TruncateBefore(*current).ok());
  Content got = Decode(ReplayAll(tmp.wal()));
  EXPECT_EQ(got, Filter(original, keep, 40));
  EXPECT_EQ(got.tombstones.size(), 8u);  // intervals end at 60 >= 40
}

// A crash after the checkpoint is in place but before TruncateBefore: Open finishes
// the truncation, and Replay skips covered segments either way.
TEST(CheckpointTest, CrashBeforeTruncate) {
  TempDir tmp;
  Content want;
  int to;
  {
    auto wal = MustOpen(tmp.wal(), SmallSegments());
    Populate(*wal);
    Result<int> current = wal->NextSegment();
    ASSERT_TRUE(current.ok());
    to = *current - 1;
    Content original = Decode(ReplayAll(tmp.wal()));
    ASSERT_TRUE(Checkpoint(*wal, 0, to, [](SeriesRef) { return true; }, 0, nullptr).ok());
    want = original;
    EXPECT_EQ(Decode(ReplayAll(tmp.wal())), want);  // segments <= to are skipped
  }
  auto wal = MustOpen(tmp.wal(), SmallSegments());
  EXPECT_EQ(wal->Segments().first, to + 1);
  EXPECT_FALSE(std::filesystem::exists(SegmentPath(tmp.wal(), 0)));
  EXPECT_EQ(Decode(ReplayAll(tmp.wal())), want);
}

TEST(CheckpointTest, RefusesBadRanges) {
  TempDir tmp;
  auto wal = MustOpen(tmp.wal(), SmallSegments());
  Populate(*wal);
  int current = wal->Segments().second;
  auto all = [](SeriesRef) { return true; };
  EXPECT_EQ(Checkpoint(*wal, 0, current, all, 0, nullptr).status().code(), StatusCode::kBadData);
  EXPECT_EQ(Checkpoint(*wal, 2, 1, all, 0, nullptr).status().code(), StatusCode::kBadData);
  ASSERT_TRUE(Checkpoint(*wal, 0, 1, all, 0, nullptr).ok());
  EXPECT_EQ(Checkpoint(*wal, 0, 1, all, 0, nullptr).status().code(), StatusCode::kBadData);
  Result<int> last = LastCheckpoint(tmp.wal());
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 1);
  EXPECT_EQ(*LastCheckpoint(tmp.path() + "/none"), -1);
}

TEST(CheckpointTest, LeftoverTemporaryDirectoryIsIgnoredAndReplaced) {
  TempDir tmp;
  auto wal = MustOpen(tmp.wal(), SmallSegments());
  Populate(*wal);
  Content original = Decode(ReplayAll(tmp.wal()));
  Result<int> current = wal->NextSegment();
  ASSERT_TRUE(current.ok());
  std::string stale = CheckpointPath(tmp.wal(), *current - 1) + ".tmp";
  std::filesystem::create_directories(stale);
  {
    std::ofstream junk(stale + "/00000000");
    junk << "junk";
  }
  EXPECT_EQ(Decode(ReplayAll(tmp.wal())), original);
  ASSERT_TRUE(Checkpoint(*wal, 0, *current - 1, [](SeriesRef) { return true; }, 0, nullptr).ok());
  ASSERT_TRUE(wal->TruncateBefore(*current).ok());
  EXPECT_EQ(Decode(ReplayAll(tmp.wal())), original);
}

}  // namespace
}  // namespace hw::tsdb
