#include "tsdb/chunk.h"

#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace hw::tsdb {
namespace {

using model::Sample;
using Samples = std::vector<Sample>;

constexpr std::int64_t kMinT = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMaxT = std::numeric_limits<std::int64_t>::max();

XorChunk Encode(const Samples& samples) {
  XorChunk c;
  Result<XorAppender> app = c.NewAppender();
  EXPECT_TRUE(app.ok());
  for (const Sample& s : samples) EXPECT_TRUE(app->Append(s.t, s.v));
  return c;
}

Samples Decode(std::span<const std::uint8_t> bytes) {
  Samples out;
  XorIterator it(bytes);
  while (it.Next()) out.push_back(it.At());
  EXPECT_TRUE(it.Err().ok()) << it.Err().ToString();
  return out;
}

void ExpectBitExact(const Samples& want, const Samples& got) {
  ASSERT_EQ(want.size(), got.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    ASSERT_TRUE(model::SameBits(want[i], got[i]))
        << "sample " << i << ": want t=" << want[i].t << " bits=" << std::hex
        << std::bit_cast<std::uint64_t>(want[i].v) << " got t=" << std::dec << got[i].t
        << " bits=" << std::hex << std::bit_cast<std::uint64_t>(got[i].v);
  }
}

void ExpectRoundTrip(const Samples& samples) {
  XorChunk c = Encode(samples);
  EXPECT_EQ(c.NumSamples(), static_cast<int>(samples.size()));
  ExpectBitExact(samples, Decode(c.Bytes()));
}

TEST(XorChunkTest, EmptyChunkIsJustTheHeader) {
  XorChunk c;
  EXPECT_EQ(c.Bytes(), (std::vector<std::uint8_t>{0, 0}));
  EXPECT_EQ(c.NumSamples(), 0);
  XorIterator it = c.Iterator();
  EXPECT_FALSE(it.Next());
  EXPECT_FALSE(it.Seek(0));
  EXPECT_TRUE(it.Err().ok());
}

// The bytes are Prometheus' XOR layout, worked out by hand in docs/format/chunks.md.
TEST(XorChunkTest, MatchesTheDocumentedByteLayout) {
  XorChunk c = Encode({{1000, 1.0}, {2000, 1.0}, {3000, 2.0}});
  EXPECT_EQ(c.Bytes(), (std::vector<std::uint8_t>{0x00, 0x03, 0xD0, 0x0F, 0x3F, 0xF0, 0, 0, 0, 0,
                                                  0, 0, 0xE8, 0x07, 0x30, 0x97, 0xFF, 0xC0}));
}

TEST(XorChunkTest, RoundTripsEdgeValuesBitExactly) {
  const double values[] = {
      0.0, -0.0, 1.0, -1.0, model::kStaleNaN, std::numeric_limits<double>::quiet_NaN(),
      -std::numeric_limits<double>::quiet_NaN(),
      std::bit_cast<double>(0x7ff8dead00beef01ULL),  // NaN with a payload
      std::bit_cast<double>(0xfff0000000000001ULL),  // negative signalling NaN
      std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
      std::numeric_limits<double>::denorm_min(), -std::numeric_limits<double>::denorm_min(),
      std::numeric_limits<double>::min(), std::numeric_limits<double>::max(),
      std::numeric_limits<double>::lowest(), std::numeric_limits<double>::epsilon(), 1e-300,
      0.1, 0.2, 0.30000000000000004, 1e300};
  Samples s;
  std::int64_t t = -5'000'000'000'000;
  for (double v : values) s.push_back({t += 15'000, v});
  ExpectRoundTrip(s);
  Samples reversed(s.rbegin(), s.rend());
  for (std::size_t i = 0; i < reversed.size(); ++i) reversed[i].t = static_cast<std::int64_t>(i);
  ExpectRoundTrip(reversed);
  Samples alternating;
  for (int i = 0; i < 50; ++i) alternating.push_back({i, values[i % 2 ? 4 : 13]});
  ExpectRoundTrip(alternating);
}

TEST(XorChunkTest, RoundTripsExtremeTimestamps) {
  ExpectRoundTrip({{kMinT, 1}});
  ExpectRoundTrip({{kMaxT, 1}});
  ExpectRoundTrip({{kMinT, 1}, {kMaxT, 2}, {kMinT, 3}, {0, 4}, {kMaxT, 5}});
  ExpectRoundTrip({{kMinT, 1}, {kMinT + 1, 2}, {kMinT + 3, 3}, {-1, 4}, {0, 5}, {1, 6}});
  ExpectRoundTrip({{-1'000'000'000'000'000, 1}, {-999'999'999'999'000, 1}, {1'000'000'000'000'000, 1}});
  // Decreasing timestamps are not the chunk's concern; they still round-trip.
  ExpectRoundTrip({{5000, 1}, {4000, 2}, {3000, 3}, {9000, 4}, {9000, 5}});
}

TEST(XorChunkTest, RoundTripsEveryDeltaOfDeltaBucketBoundary) {
  Samples s;
  std::int64_t t = 1'700'000'000'000;
  std::int64_t delta = 15'000;
  s.push_back({t, 0});
  s.push_back({t += delta, 0});
  for (int n : {14, 17, 20}) {
    std::int64_t half = std::int64_t{1} << (n - 1);
    for (std::int64_t dod : {half - 1, half, half + 1, -(half - 1), -half, -(half + 1)}) {
      delta += dod;
      s.push_back({t += delta, static_cast<double>(dod)});
      delta -= dod;  // and back, so deltas stay positive
      s.push_back({t += delta, 0});
    }
  }
  s.push_back({t += std::int64_t{1} << 40, 1});  // the 64-bit bucket
  ExpectRoundTrip(s);
}

TEST(XorChunkTest, RoundTripsRandomDataWithFixedSeed) {
  std::mt19937_64 rng(20240601);
  for (int round = 0; round < 200; ++round) {
    Samples s;
    std::int64_t t = static_cast<std::int64_t>(rng()) >> (rng() % 64);
    int n = 1 + static_cast<int>(rng() % 300);
    double v = 0;
    for (int i = 0; i < n; ++i) {
      switch (round % 4) {
        case 0:  // arbitrary bit patterns and gaps
          t += static_cast<std::int64_t>(rng() % 1'000'000'000);
          v = std::bit_cast<double>(rng());
          break;
        case 1:  // a counter scraped every 15 s with jitter
          t += 15'000 + static_cast<std::int64_t>(rng() % 200) - 100;
          v += static_cast<double>(rng() % 10);
          break;
        case 2:  // a gauge with 2 decimals, sometimes repeated, sometimes stale
          t += 10'000;
          if (rng() % 3) v = std::round(std::uniform_real_distribution<double>(-1e4, 1e4)(rng) * 100) / 100;
          if (rng() % 50 == 0) v = model::kStaleNaN;
          break;
        default:  // anything at all, including decreasing timestamps
          t = static_cast<std::int64_t>(rng());
          v = std::bit_cast<double>(rng() & 0xFFF0000000000FFFULL);
      }
      s.push_back({t, v});
    }
    SCOPED_TRACE(round);
    ExpectRoundTrip(s);
  }
}

TEST(XorChunkTest, SeekFindsFirstSampleAtOrAfter) {
  XorChunk c = Encode({{10, 1}, {20, 2}, {30, 3}, {40, 4}});
  XorIterator it = c.Iterator();
  ASSERT_TRUE(it.Seek(5));  // before the first Next
  EXPECT_EQ(it.T(), 10);
  ASSERT_TRUE(it.Seek(20));
  EXPECT_EQ(it.T(), 20);
  ASSERT_TRUE(it.Seek(10));  // never moves backwards
  EXPECT_EQ(it.T(), 20);
  ASSERT_TRUE(it.Seek(21));
  EXPECT_EQ(it.T(), 30);
  EXPECT_EQ(it.V(), 3);
  ASSERT_TRUE(it.Next());
  EXPECT_EQ(it.T(), 40);
  EXPECT_FALSE(it.Seek(41));
  EXPECT_FALSE(it.Seek(0));  // exhausted for good
  EXPECT_FALSE(it.Next());
  EXPECT_TRUE(it.Err().ok());

  XorIterator fresh = c.Iterator();
  ASSERT_TRUE(fresh.Seek(40));
  EXPECT_EQ(fresh.At().v, 4);
  XorIterator past = c.Iterator();
  EXPECT_FALSE(past.Seek(1000));
}

TEST(XorChunkTest, AppenderContinuesAReloadedChunk) {
  std::mt19937_64 rng(7);
  Samples s;
  std::int64_t t = 1'700'000'000'000;
  for (int i = 0; i < 100; ++i) s.push_back({t += 15'000 + rng() % 7, (rng() % 1000) / 10.0});
  for (std::size_t split : {0, 1, 2, 3, 50, 99}) {
    XorChunk first = Encode(Samples(s.begin(), s.begin() + split));
    Result<XorChunk> reloaded = XorChunk::FromBytes(first.Bytes());
    ASSERT_TRUE(reloaded.ok());
    Result<XorAppender> app = reloaded->NewAppender();
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    for (std::size_t i = split; i < s.size(); ++i) ASSERT_TRUE(app->Append(s[i].t, s[i].v));
    SCOPED_TRACE(split);
    ExpectBitExact(s, Decode(reloaded->Bytes()));
    EXPECT_EQ(reloaded->Bytes(), Encode(s).Bytes());  // identical to one uninterrupted run
  }
}

TEST(XorChunkTest, CorruptDataIsReported) {
  XorChunk c = Encode({{1000, 1}, {2000, 2}, {3000, 4}, {4000, 8}});
  std::vector<std::uint8_t> truncated(c.Bytes().begin(), c.Bytes().end() - 2);
  XorIterator it(truncated);
  while (it.Next()) {
  }
  EXPECT_EQ(it.Err().code(), StatusCode::kInternal);
  EXPECT_NE(it.Err().message().find("cannot decode XOR chunk"), std::string::npos);

  std::vector<std::uint8_t> one_byte = {0};
  XorIterator short_it(one_byte);
  EXPECT_FALSE(short_it.Next());
  EXPECT_FALSE(short_it.Err().ok());
  EXPECT_FALSE(XorChunk::FromBytes({1}).ok());

  Result<XorChunk> lying = XorChunk::FromBytes(truncated);
  ASSERT_TRUE(lying.ok());
  EXPECT_FALSE(lying->NewAppender().ok());
}

TEST(XorChunkTest, CuttingPolicyAndHardLimit) {
  XorChunk c;
  XorAppender app = *c.NewAppender();
  for (int i = 0; i < XorChunk::kTargetSamples; ++i) {
    EXPECT_FALSE(c.IsFull()) << i;
    ASSERT_TRUE(app.Append(i * 15'000, 1));
  }
  EXPECT_TRUE(c.IsFull());

  XorChunk big;
  XorAppender big_app = *big.NewAppender();
  std::mt19937_64 rng(1);
  std::int64_t t = 0;
  while (!big.IsFull()) {
    t += static_cast<std::int64_t>(rng() >> 8);  // gaps that need the 64-bit bucket
    ASSERT_TRUE(big_app.Append(t, std::bit_cast<double>(rng())));
  }
  EXPECT_LT(big.NumSamples(), XorChunk::kTargetSamples);  // random bits hit the byte cap first
  EXPECT_LT(big.NumBytes(), XorChunk::kTargetBytes + 20);

  XorChunk full;
  XorAppender full_app = *full.NewAppender();
  for (int i = 0; i < XorChunk::kMaxSamples; ++i) ASSERT_TRUE(full_app.Append(i, 0));
  EXPECT_FALSE(full_app.Append(XorChunk::kMaxSamples, 0));
  EXPECT_EQ(full.NumSamples(), XorChunk::kMaxSamples);
  EXPECT_EQ(Decode(full.Bytes()).size(), static_cast<std::size_t>(XorChunk::kMaxSamples));
}

}  // namespace
}  // namespace hw::tsdb
