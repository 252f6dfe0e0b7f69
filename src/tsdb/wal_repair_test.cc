// Torn and corrupt WALs: Open and Replay cut them with a WARN and go on.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "tsdb/wal.h"
#include "tsdb/wal_reader.h"
#include "tsdb/wal_test_util.h"

namespace hw::tsdb {
namespace {

using testing::AsReplayed;
using testing::MustOpen;
using testing::Replayed;
using testing::ReplayAll;
using testing::SampleRecord;
using testing::SizeOf;
using testing::TempDir;
using testing::TestLogger;

// Records of different sizes, so that cuts land in headers and payloads alike.
std::vector<std::string> Records(int n, int salt = 0) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    std::vector<RefSample> s(1 + (i * 7 + salt) % 5, RefSample{static_cast<SeriesRef>(i + 1),
                                                               1000 * i + salt, 0.5 * i});
    out.push_back(EncodeSamples(s));
  }
  return out;
}

std::vector<Replayed> AsReplayed(const std::vector<std::string>& records) {
  std::vector<Replayed> out;
  for (const auto& r : records) out.push_back(testing::AsReplayed(r));
  return out;
}

void WriteAll(const std::string& dir, const std::vector<std::string>& records,
              std::uint64_t segment_size = 128 << 20) {
  WalOptions opts;
  opts.fsync = FsyncPolicy::kNever;
  opts.segment_size = segment_size;
  auto wal = MustOpen(dir, opts);
  for (const auto& r : records) ASSERT_TRUE(wal->Log(std::span(&r, 1)).ok());
  ASSERT_TRUE(wal->Close().ok());
}

void Truncate(const std::string& path, std::uint64_t size) {
  ASSERT_EQ(::truncate(path.c_str(), static_cast<off_t>(size)), 0);
}

void Append(const std::string& path, std::string_view bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::app);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void FlipByte(const std::string& path, std::uint64_t offset) {
  std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
  f.seekg(static_cast<std::streamoff>(offset));
  char c;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x40);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(&c, 1);
}

// Cuts the last record at every byte offset: Open keeps everything before it, logs one
// WARN, and appends after the last good record.
TEST(WalRepairTest, TornTailAtEveryOffsetOfTheLastRecord) {
  std::vector<std::string> records = Records(5);
  std::vector<std::string> head(records.begin(), records.end() - 1);
  TempDir probe;
  WriteAll(probe.wal(), head);
  const std::uint64_t start = SizeOf(SegmentPath(probe.wal(), 0));
  const std::uint64_t end = start + records.back().size() + kFrameHeaderSize - 1;

  for (std::uint64_t cut = start; cut < end; ++cut) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    TempDir tmp;
    WriteAll(tmp.wal(), records);
    ASSERT_EQ(SizeOf(SegmentPath(tmp.wal(), 0)), end);
    Truncate(SegmentPath(tmp.wal(), 0), cut);

    TestLogger log;
    WalOptions opts;
    opts.logger = &log.logger;
    auto wal = MustOpen(tmp.wal(), opts);
    ASSERT_NE(wal, nullptr);
    EXPECT_EQ(log.Count("WARN"), cut == start ? 0 : 1) << log.All();
    EXPECT_EQ(SizeOf(SegmentPath(tmp.wal(), 0)), start);
    std::string more = SampleRecord(99, 99);
    ASSERT_TRUE(wal->Log(std::span(&more, 1)).ok());
    ASSERT_TRUE(wal->Close().ok());

    std::vector<Replayed> want = AsReplayed(head);
    want.push_back(testing::AsReplayed(more));
    EXPECT_EQ(ReplayAll(tmp.wal(), &log.logger), want);
    EXPECT_EQ(log.Count("WARN"), cut == start ? 0 : 1);  // replay found nothing more
  }
}

TEST(WalRepairTest, WarnSaysWhatWasCut) {
  TempDir tmp;
  std::vector<std::string> records = Records(3);
  WriteAll(tmp.wal(), records);
  std::uint64_t size = SizeOf(SegmentPath(tmp.wal(), 0));
  Truncate(SegmentPath(tmp.wal(), 0), size - 3);
  TestLogger log;
  WalOptions opts;
  opts.logger = &log.logger;
  auto wal = MustOpen(tmp.wal(), opts);
  std::string all = log.All();
  EXPECT_NE(all.find("\"segment\":\"00000000\""), std::string::npos) << all;
  EXPECT_NE(all.find("past the end of the segment"), std::string::npos) << all;
  std::uint64_t last_frame = records.back().size() + kFrameHeaderSize - 1;
  EXPECT_NE(all.find("\"offset\":" + std::to_string(size - last_frame)), std::string::npos);
  EXPECT_NE(all.find("\"bytesDropped\":" + std::to_string(last_frame - 3)), std::string::npos);
}

// A flipped byte in an early segment cuts there: later records and segments are
// dropped (counted in the WARN), and appending continues in the damaged segment.
TEST(WalRepairTest, CorruptRecordInTheMiddle) {
  TempDir tmp;
  std::vector<std::string> records = Records(30);
  WriteAll(tmp.wal(), records, /*segment_size=*/300);
  Result<std::vector<int>> segs = ListSegments(tmp.wal());
  ASSERT_TRUE(segs.ok());
  ASSERT_GE(segs->size(), 4u);

  // Find the second record of segment 1 and flip a byte of its payload.
  WalReader reader(tmp.wal(), 1, 1);
  ASSERT_TRUE(reader.Next());
  ASSERT_TRUE(reader.Next());
  std::int64_t bad_offset = reader.offset();
  std::size_t good = 0;  // records before the bad one
  {
    WalReader all(tmp.wal(), 0, segs->back());
    while (all.Next() && !(all.segment() == 1 && all.offset() == bad_offset)) ++good;
  }
  FlipByte(SegmentPath(tmp.wal(), 1), static_cast<std::uint64_t>(bad_offset) + kFrameHeaderSize + 2);

  TestLogger log;
  metrics::Registry registry;
  WalOptions opts;
  opts.logger = &log.logger;
  opts.registry = &registry;
  opts.segment_size = 300;
  auto wal = MustOpen(tmp.wal(), opts);
  EXPECT_EQ(log.Count("WARN"), 1) << log.All();
  EXPECT_NE(log.All().find("checksum mismatch"), std::string::npos);
  EXPECT_NE(log.All().find("\"segmentsDeleted\":" + std::to_string(segs->size() - 2)),
            std::string::npos)
      << log.All();
  EXPECT_NE(registry.Render().find("hastewatch_tsdb_wal_corruptions_total 1"), std::string::npos);
  EXPECT_EQ(wal->Segments(), std::make_pair(0, 1));
  EXPECT_EQ(SizeOf(SegmentPath(tmp.wal(), 1)), static_cast<std::uint64_t>(bad_offset));

  std::string more = SampleRecord(77, 77);
  ASSERT_TRUE(wal->Log(std::span(&more, 1)).ok());
  wal.reset();
  std::vector<Replayed> want =
      AsReplayed(std::vector<std::string>(records.begin(), records.begin() + good));
  want.push_back(testing::AsReplayed(more));
  EXPECT_EQ(ReplayAll(tmp.wal()), want);
}

// Replay without Open repairs too, and reports it in its stats.
TEST(WalRepairTest, ReplayRepairsOnItsOwn) {
  TempDir tmp;
  std::vector<std::string> records = Records(6);
  WriteAll(tmp.wal(), records);
  FlipByte(SegmentPath(tmp.wal(), 0), SizeOf(SegmentPath(tmp.wal(), 0)) - 1);
  TestLogger log;
  ReplayStats stats;
  std::vector<Replayed> got = ReplayAll(tmp.wal(), &log.logger, &stats);
  EXPECT_EQ(got, AsReplayed(std::vector<std::string>(records.begin(), records.end() - 1)));
  EXPECT_EQ(stats.corruptions, 1);
  EXPECT_EQ(stats.records, 5u);
  EXPECT_EQ(log.Count("WARN"), 1);
  EXPECT_EQ(ReplayAll(tmp.wal(), &log.logger), got);  // now clean
  EXPECT_EQ(log.Count("WARN"), 1);
}

TEST(WalRepairTest, GarbageAppended) {
  const std::string garbage[] = {
      std::string(4096, '\0'),                         // a zero-filled tail
      std::string("\x02\xff\xff\x00\x00junkjunk", 13),  // a valid type, a huge length
      std::string("\x02\x04\x00\x00\x00\x00\x00\x00\x00" "abcd", 13),  // a bad checksum
      std::string("\x02\x01", 2),                      // a short header
      std::string("\x09", 1),                          // an unknown type
  };
  for (const std::string& g : garbage) {
    TempDir tmp;
    std::vector<std::string> records = Records(4);
    WriteAll(tmp.wal(), records);
    std::uint64_t size = SizeOf(SegmentPath(tmp.wal(), 0));
    Append(SegmentPath(tmp.wal(), 0), g);
    TestLogger log;
    WalOptions opts;
    opts.logger = &log.logger;
    auto wal = MustOpen(tmp.wal(), opts);
    EXPECT_EQ(log.Count("WARN"), 1) << log.All();
    EXPECT_EQ(SizeOf(SegmentPath(tmp.wal(), 0)), size);
    wal.reset();
    EXPECT_EQ(ReplayAll(tmp.wal()), AsReplayed(records));
  }
}

TEST(WalRepairTest, EmptySegmentsAreValid) {
  TempDir tmp;
  std::vector<std::string> records = Records(3);
  {
    WalOptions opts;
    opts.fsync = FsyncPolicy::kNever;
    auto wal = MustOpen(tmp.wal(), opts);  // an empty segment 0
    ASSERT_TRUE(wal->NextSegment().ok());
    ASSERT_TRUE(wal->Log(std::span(&records[0], 1)).ok());
    ASSERT_TRUE(wal->NextSegment().ok());  // an empty segment 2
    ASSERT_TRUE(wal->NextSegment().ok());
    ASSERT_TRUE(wal->Log(std::span(&records[1], 2)).ok());
    ASSERT_TRUE(wal->NextSegment().ok());  // an empty last segment
  }
  TestLogger log;
  WalOptions opts;
  opts.logger = &log.logger;
  auto wal = MustOpen(tmp.wal(), opts);
  EXPECT_EQ(log.Count("WARN"), 0) << log.All();
  EXPECT_EQ(wal->Segments(), std::make_pair(0, 4));
  EXPECT_EQ(ReplayAll(tmp.wal()), AsReplayed(records));
}

TEST(WalRepairTest, MissingSegmentCutsWhatFollows) {
  TempDir tmp;
  std::vector<std::string> records = Records(3);
  {
    auto wal = MustOpen(tmp.wal());
    for (const auto& r : records) {
      ASSERT_TRUE(wal->Log(std::span(&r, 1)).ok());
      ASSERT_TRUE(wal->NextSegment().ok());
    }
  }
  ASSERT_EQ(::unlink(SegmentPath(tmp.wal(), 1).c_str()), 0);
  TestLogger log;
  WalOptions opts;
  opts.logger = &log.logger;
  auto wal = MustOpen(tmp.wal(), opts);
  EXPECT_EQ(log.Count("WARN"), 1);
  EXPECT_NE(log.All().find("segment file missing"), std::string::npos);
  EXPECT_EQ(wal->Segments(), std::make_pair(0, 0));
  EXPECT_EQ(ReplayAll(tmp.wal()), AsReplayed(std::vector<std::string>{records[0]}));
}

TEST(WalRepairTest, ReaderReportsWhereAndWhy) {
  TempDir tmp;
  std::vector<std::string> records = Records(2);
  WriteAll(tmp.wal(), records);
  Append(SegmentPath(tmp.wal(), 0), "\x01\x02\x03");
  WalReader reader(tmp.wal(), 0, 0);
  int n = 0;
  while (reader.Next()) ++n;
  EXPECT_EQ(n, 2);
  ASSERT_TRUE(reader.corruption().has_value());
  EXPECT_TRUE(reader.status().ok());
  EXPECT_EQ(reader.corruption()->segment, 0);
  EXPECT_EQ(static_cast<std::uint64_t>(reader.corruption()->offset),
            SizeOf(SegmentPath(tmp.wal(), 0)) - 3);
  EXPECT_EQ(reader.corruption()->reason, "torn frame header (3 of 9 bytes)");
  EXPECT_FALSE(reader.Next());
}

}  // namespace
}  // namespace hw::tsdb
