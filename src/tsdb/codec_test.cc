// Round trips of the series codec: edge values, edge timestamps, random data, Seek.
#include "tsdb/codec.h"

#include <cmath>
#include <limits>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "tsdb/codec_test_util.h"

namespace hw::tsdb {
namespace {

using model::Sample;

constexpr std::int64_t kMinT = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMaxT = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kBase = 1'700'000'000'000;

double FromBits(std::uint64_t b) { return std::bit_cast<double>(b); }

const std::vector<double>& EdgeValues() {
  static const std::vector<double> kValues = {
      0.0, -0.0, 1.0, -1.0, model::kStaleNaN,
      std::numeric_limits<double>::quiet_NaN(), -std::numeric_limits<double>::quiet_NaN(),
      FromBits(0x7ff0000000000001ULL),  // signalling NaN
      FromBits(0xfff8dead0000beefULL),  // negative NaN with a payload
      std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
      std::numeric_limits<double>::denorm_min(), -std::numeric_limits<double>::denorm_min(),
      FromBits(0x000fffffffffffffULL),  // largest denormal
      std::numeric_limits<double>::min(), std::numeric_limits<double>::max(),
      std::numeric_limits<double>::lowest(), std::numeric_limits<double>::epsilon(),
      0.1 + 0.2, 1e300, -1e-300, 1e22, 1e23, 123456789e-18,
      9007199254740992.0, 9007199254740994.0, -9007199254740992.0,  // around 2^53
      9223372036854775808.0, -9223372036854775808.0,                // ±2^63
      0.1, 0.01, 1e-18, 1e-19, 12345.678, 1.7976931348623157e300};
  return kValues;
}

Samples Regular(const std::vector<double>& values) {
  Samples s;
  for (std::size_t i = 0; i < values.size(); ++i) {
    s.push_back({kBase + static_cast<std::int64_t>(i) * 15'000, values[i]});
  }
  return s;
}

TEST(CodecTest, EmptyAndSingleSample) {
  std::vector<std::uint8_t> empty = ExpectRoundTrip({});
  EXPECT_EQ(empty, (std::vector<std::uint8_t>{2, 0}));
  for (double v : EdgeValues()) ExpectRoundTrip({{kBase, v}});
  for (std::int64_t t : {kMinT, kMaxT, std::int64_t{0}, std::int64_t{-1}}) {
    ExpectRoundTrip({{t, 1.5}});
  }
}

TEST(CodecTest, EveryEdgeValueInEveryPosition) {
  const std::vector<double>& edges = EdgeValues();
  ExpectRoundTrip(Regular(edges));
  for (double edge : edges) {
    // The edge value amid a decimal counter, at the start, middle and end.
    for (std::size_t at : {std::size_t{0}, std::size_t{50}, std::size_t{99}}) {
      std::vector<double> vs;
      for (int i = 0; i < 100; ++i) vs.push_back(i * 0.25);
      vs[at] = edge;
      ExpectRoundTrip(Regular(vs));
    }
    ExpectRoundTrip(Regular(std::vector<double>(40, edge)));
  }
}

TEST(CodecTest, StaleMarkersStayCheapInADecimalSeries) {
  std::vector<double> vs;
  for (int i = 0; i < 480; ++i) vs.push_back(i % 60 == 59 ? model::kStaleNaN : i * 1.25);
  std::vector<std::uint8_t> bytes = ExpectRoundTrip(Regular(vs));
  // 8 stale markers at ~9 bytes each, plus a few bytes of columns.
  EXPECT_LT(bytes.size(), 120u);
}

TEST(CodecTest, ExtremeAndUnorderedTimestamps) {
  std::vector<Samples> cases = {
      {{kMinT, 1}, {kMaxT, 2}, {kMinT, 3}, {0, 4}, {kMaxT, 5}},
      {{kMaxT - 2, 1}, {kMaxT - 1, 1}, {kMaxT, 1}},
      {{kMinT, 1}, {kMinT + 1, 1}, {kMinT + 2, 1}, {kMinT + 3, 1}},
      {{5000, 1}, {4000, 2}, {3000, 3}, {2000, 4}},  // decreasing
      {{1000, 1}, {1000, 2}, {1000, 3}},              // duplicate
      {{-15'000, 0}, {0, 0}, {15'000, 0}, {30'000, 0}},
  };
  std::mt19937_64 rng(7);
  Samples random;
  for (int i = 0; i < 500; ++i) random.push_back({static_cast<std::int64_t>(rng()), 1.0});
  cases.push_back(random);
  for (const Samples& c : cases) ExpectRoundTrip(c);
}

TEST(CodecTest, TimestampsWithGapsAndJitter) {
  std::mt19937_64 rng(11);
  Samples s;
  std::int64_t t = kBase;
  for (int i = 0; i < 2000; ++i) {
    t += 15'000;
    if (i % 300 == 299) t += 15'000 * static_cast<std::int64_t>(1 + rng() % 40);  // gap
    if (i == 1000) t -= 7'000'000;  // a clock step backwards
    s.push_back({t + static_cast<std::int64_t>(rng() % 7) - 3, static_cast<double>(i)});
  }
  std::vector<std::uint8_t> bytes = ExpectRoundTrip(s);
  EXPECT_LT(bytes.size(), s.size());  // timestamps under ~4 bits each
}

TEST(CodecTest, RandomValuesRoundTrip) {
  for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> digits(0, 6);
    std::normal_distribution<double> walk(0, 50);
    Samples bits, decimals, walk_values, ints;
    double w = 100;
    for (int i = 0; i < 1000; ++i) {
      std::int64_t t = kBase + i * 10'000 + static_cast<std::int64_t>(rng() % 5);
      bits.push_back({t, FromBits(rng())});  // every kind of double, NaNs included
      int k = digits(rng);
      decimals.push_back({t, static_cast<double>(static_cast<std::int64_t>(rng() % 2000000) -
                                                 1000000) /
                                 std::pow(10.0, k)});
      w += walk(rng);
      walk_values.push_back({t, w});
      ints.push_back({t, static_cast<double>(static_cast<std::int64_t>(rng() >> 11) - (1LL << 52))});
    }
    for (const Samples& c : {bits, decimals, walk_values, ints}) ExpectRoundTrip(c);
  }
}

TEST(CodecTest, ValuesThatLookDecimalButAreNot) {
  std::vector<double> sums, mixed;
  double acc = 0;
  for (int i = 0; i < 300; ++i) {
    acc += 0.1;  // 0.30000000000000004, 0.7999999999999999, ...
    sums.push_back(acc);
    mixed.push_back(i % 2 == 0 ? i * 0.5 : 0.1 + 0.2);
  }
  ExpectRoundTrip(Regular(sums));
  ExpectRoundTrip(Regular(mixed));
  ExpectRoundTrip(Regular({0.1 + 0.2, 0.3, 1.0 / 3, 2.0 / 3, 1e-17, 123.456e-15}));
}

TEST(CodecTest, HugeExponentsAndMagnitudes) {
  std::vector<double> vs;
  for (int e = -320; e <= 308; e += 7) vs.push_back(std::pow(10.0, e));
  for (int e = -1074; e <= 1023; e += 31) vs.push_back(std::ldexp(1.0, e));
  ExpectRoundTrip(Regular(vs));
  std::vector<double> big;  // integers beyond int64 at 1 digit apart
  for (int i = 0; i < 100; ++i) big.push_back(1e19 + i * 4096.0);
  ExpectRoundTrip(Regular(big));
}

TEST(CodecTest, CompactOnTypicalSeries) {
  struct Case {
    std::string name;
    std::vector<double> values;
    std::size_t max_bytes;  // for 480 samples at an exact 15 s interval
  };
  std::vector<Case> cases(3);
  cases[0] = {"constant", std::vector<double>(480, 8589934592.0), 32};
  cases[1].name = "counter_2dp";
  cases[2].name = "memory_4k";
  std::mt19937_64 rng(3);
  double c = 1000, m = 4e9;
  for (int i = 0; i < 480; ++i) {
    c = std::round((c + 14.9 + (rng() % 20) / 100.0) * 100) / 100;
    cases[1].values.push_back(c);
    m += 4096.0 * (static_cast<int>(rng() % 9) - 4);
    cases[2].values.push_back(m);
  }
  cases[1].max_bytes = 480 * 5 / 8 + 32;  // 5 bits per delta
  cases[2].max_bytes = 480 * 4 / 8 + 32;  // 4 bits per delta / 4096
  for (const Case& k : cases) {
    SCOPED_TRACE(k.name);
    EXPECT_LE(ExpectRoundTrip(Regular(k.values)).size(), k.max_bytes);
  }
}

TEST(CodecTest, SeekFindsTheFirstSampleAtOrAfter) {
  Samples s = Regular({1, 2, 3, 4, 5});  // t = kBase + 0, 15000, ..., 60000
  std::vector<std::uint8_t> bytes = EncodeColumnar(s);
  {
    ColumnarIterator it(bytes);
    ASSERT_TRUE(it.Seek(kBase - 1));
    EXPECT_EQ(it.V(), 1);
    ASSERT_TRUE(it.Seek(kBase + 15'001));  // between samples
    EXPECT_EQ(it.T(), kBase + 30'000);
    ASSERT_TRUE(it.Seek(kBase));  // backwards: stays put
    EXPECT_EQ(it.T(), kBase + 30'000);
    ASSERT_TRUE(it.Next());
    EXPECT_EQ(it.V(), 4);
    ASSERT_TRUE(it.Seek(kBase + 60'000));  // exact
    EXPECT_EQ(it.V(), 5);
    EXPECT_FALSE(it.Next());
    EXPECT_FALSE(it.Seek(kMinT));  // exhausted stays exhausted
  }
  {
    ColumnarIterator it(bytes);
    EXPECT_FALSE(it.Seek(kBase + 60'001));
    EXPECT_FALSE(it.Next());
    EXPECT_TRUE(it.Err().ok());
  }
  {
    ColumnarIterator it(EncodeColumnar({}));
    EXPECT_FALSE(it.Seek(0));
    EXPECT_FALSE(it.Next());
  }
}

TEST(CodecTest, SeekScansUnorderedSeriesLinearly) {
  std::vector<std::uint8_t> bytes = EncodeColumnar(Samples{{300, 1}, {100, 2}, {500, 3}, {200, 4}});
  ColumnarIterator it(bytes);
  ASSERT_TRUE(it.Seek(400));
  EXPECT_EQ(it.V(), 3);
  ASSERT_TRUE(it.Seek(150));  // the current sample qualifies
  EXPECT_EQ(it.V(), 3);
  ASSERT_TRUE(it.Seek(150));
  ASSERT_TRUE(it.Next());
  EXPECT_EQ(it.V(), 4);
}

TEST(CodecTest, SeekInALongSeriesMatchesALinearScan) {
  Samples s;
  for (int i = 0; i < 7200; ++i) s.push_back({kBase + i * 1000 + (i % 3), i * 0.5});
  std::vector<std::uint8_t> bytes = EncodeColumnar(s);
  for (std::int64_t t : {kBase, kBase + 1, kBase + 3'600'000, kBase + 7'199'000, kBase + 9'000'000}) {
    ColumnarIterator it(bytes);
    bool found = it.Seek(t);
    auto want = std::find_if(s.begin(), s.end(), [t](const Sample& x) { return x.t >= t; });
    ASSERT_EQ(found, want != s.end());
    if (found) {
      EXPECT_EQ(it.T(), want->t);
    }
  }
}

// DecodeColumnarRangeInto stores the samples of an ordered payload in [mint, maxt]
// only, bit-exact (decimal, patched and XOR values alike), and the whole of an
// unordered one.
TEST(CodecTest, RangeDecodeKeepsTheRangeOfOrderedPayloads) {
  Samples decimal, patched, xr;
  for (int i = 0; i < 480; ++i) {
    std::int64_t t = kBase + i * 15'000 + (i % 7);
    decimal.push_back({t, i * 0.25});
    patched.push_back({t, i % 50 == 3 ? model::kStaleNaN : i * 1.5});
    xr.push_back({t, std::sqrt(static_cast<double>(i) + 0.1)});
  }
  struct Range {
    std::int64_t mint, maxt;
  };
  const Range ranges[] = {{kMinT, kMaxT},
                          {kBase + 600'000, kBase + 900'000},
                          {kBase + 600'001, kBase + 600'002},  // between samples: none
                          {kBase - 1, kBase},                  // the first sample only
                          {kBase + 7'185'000, kMaxT},          // the tail
                          {kBase + 9'000'000, kMaxT},          // after the end
                          {kBase + 100, kBase}};               // empty range
  for (const Samples* in : {&decimal, &patched, &xr}) {
    for (const std::vector<std::uint8_t>& bytes :
         {EncodeColumnar(*in), EncodeColumnarZstd(*in)}) {
      for (const Range& r : ranges) {
        Samples want;
        for (const Sample& x : *in) {
          if (x.t >= r.mint && x.t <= r.maxt) want.push_back(x);
        }
        Samples got = {{1, 1}};  // replaced
        bool sorted = false;
        Status st = DecodeColumnarRangeInto(bytes, r.mint, r.maxt, &got, &sorted);
        ASSERT_TRUE(st.ok()) << st.ToString();
        EXPECT_TRUE(sorted);
        ExpectBitExact(want, got);
        ColumnarIterator it(bytes, r.mint, r.maxt);
        Samples iterated;
        while (it.Next()) iterated.push_back(it.At());
        ExpectBitExact(want, iterated);
      }
    }
  }
  Samples unordered{{300, 1}, {100, 2}, {500, 3}, {200, 4}};
  Samples got;
  bool sorted = true;
  ASSERT_TRUE(DecodeColumnarRangeInto(EncodeColumnar(unordered), 150, 350, &got, &sorted).ok());
  EXPECT_FALSE(sorted);
  ExpectBitExact(unordered, got);
}

// A range that excludes the damage does not hide it: the whole payload is checked.
TEST(CodecTest, RangeDecodeStillRejectsCorruptPayloads) {
  Samples s = Regular({1, 2, 3, 4, 5});
  std::vector<std::uint8_t> bytes = EncodeColumnar(s);
  bytes.push_back(0);  // trailing byte
  Samples got;
  EXPECT_FALSE(DecodeColumnarRangeInto(bytes, kBase, kBase, &got).ok());
  EXPECT_TRUE(got.empty());
  bytes = EncodeColumnar(s);
  bytes.pop_back();  // truncated values
  EXPECT_FALSE(DecodeColumnarRangeInto(bytes, kBase, kBase, &got).ok());
  ColumnarIterator it(bytes, kBase, kBase);
  EXPECT_FALSE(it.Next());
  EXPECT_FALSE(it.Err().ok());
}

}  // namespace
}  // namespace hw::tsdb
