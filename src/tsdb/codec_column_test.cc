// The integer-sequence layer: predictors, frame-of-reference columns, patches.
#include "tsdb/codec_column.h"

#include <limits>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "tsdb/codec_float.h"

namespace hw::tsdb::codec_internal {
namespace {

using Ints = std::vector<std::int64_t>;

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

std::vector<std::uint8_t> RoundTrip(const Ints& xs) {
  std::vector<std::uint8_t> bytes;
  EncodeInts(xs, &bytes);
  ByteReader r(bytes);
  Ints got(xs.size(), 12345);
  EXPECT_TRUE(DecodeInts(&r, xs.size(), got.data()));
  EXPECT_EQ(r.remaining(), 0u);
  EXPECT_EQ(got, xs);
  return bytes;
}

IntMode ModeOf(const std::vector<std::uint8_t>& bytes) { return static_cast<IntMode>(bytes[0]); }

TEST(CodecColumnTest, PicksThePredictorThatFits) {
  struct Case {
    std::string name;
    Ints xs;
    IntMode want;
  };
  std::mt19937_64 rng(5);
  Case raw{"noise_in_a_band", {}, IntMode::kRaw};
  Case delta{"random_walk", {}, IntMode::kDelta};
  Case dod{"steady_rate", {}, IntMode::kDeltaOfDelta};
  Case grid{"jittered_scrapes", {}, IntMode::kGrid};
  std::int64_t walk = 0, rate = 0;
  for (int i = 0; i < 1000; ++i) {
    raw.xs.push_back(1'000'000 + static_cast<std::int64_t>(rng() % 64));
    walk += static_cast<std::int64_t>(rng() % 1000) - 500;
    delta.xs.push_back(walk);
    rate += 1000 + (i / 100);  // slowly accelerating
    dod.xs.push_back(rate);
    grid.xs.push_back(1'700'000'000'000 + i * 15'000 + static_cast<std::int64_t>(rng() % 5));
  }
  for (const Case& c : {raw, delta, dod, grid}) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(ModeOf(RoundTrip(c.xs)), c.want);
  }
}

TEST(CodecColumnTest, ConstantAndEmptySequencesAreTiny) {
  EXPECT_TRUE(RoundTrip({}).empty());
  EXPECT_LE(RoundTrip(Ints(7200, 42)).size(), 8u);
  Ints scrapes;
  for (int i = 0; i < 7200; ++i) scrapes.push_back(1'700'000'000'000 + i * 15'000);
  EXPECT_LE(RoundTrip(scrapes).size(), 16u);
}

TEST(CodecColumnTest, ExtremesWrapAround) {
  RoundTrip({kMin, kMax, kMin, kMax, 0, -1, 1});
  RoundTrip({kMax, kMin});
  RoundTrip({kMin, kMin + 1, kMin + 2});
  RoundTrip({kMax - 30, kMax - 15, kMax});
  RoundTrip({0, kMax, 0, kMax, 0});
  std::mt19937_64 rng(9);
  for (int n = 1; n < 70; ++n) {
    Ints xs;
    for (int i = 0; i < n; ++i) xs.push_back(static_cast<std::int64_t>(rng()));
    RoundTrip(xs);
  }
}

TEST(CodecColumnTest, OutliersBecomePatchesNotWideColumns) {
  Ints counter;
  std::int64_t c = 0;
  for (int i = 0; i < 1000; ++i) {
    c = (i == 500) ? 3 : c + 1 + (i % 4);  // a counter reset in the middle
    counter.push_back(c);
  }
  EXPECT_LE(RoundTrip(counter).size(), 1000u * 2 / 8 + 24);
}

TEST(CodecColumnTest, CommonDivisorIsFactoredOut) {
  Ints memory;
  std::int64_t m = 8'000'000'000;
  std::mt19937_64 rng(4);
  for (int i = 0; i < 800; ++i) memory.push_back(m += 4096 * static_cast<std::int64_t>(rng() % 8));
  EXPECT_LE(RoundTrip(memory).size(), 800u * 3 / 8 + 24);
}

TEST(CodecColumnTest, DecodeRejectsTruncationAndBadFields) {
  Ints xs;
  for (int i = 0; i < 100; ++i) xs.push_back(i * i);
  std::vector<std::uint8_t> bytes;
  EncodeInts(xs, &bytes);
  Ints got(xs.size());
  for (std::size_t len = 0; len < bytes.size(); ++len) {
    ByteReader r(std::span<const std::uint8_t>(bytes.data(), len));
    EXPECT_FALSE(DecodeInts(&r, xs.size(), got.data())) << "prefix of " << len;
  }
  std::vector<std::uint8_t> bad_mode = {9, 0};
  ByteReader r1(bad_mode);
  EXPECT_FALSE(DecodeInts(&r1, 2, got.data()));
  // Raw column with scale 0 and with width 65.
  for (std::vector<std::uint8_t> bad : {std::vector<std::uint8_t>{0, 0, 0, 1, 0},
                                        std::vector<std::uint8_t>{0, 0, 1, 65, 0}}) {
    ByteReader r(bad);
    EXPECT_FALSE(DecodeInts(&r, 1, got.data()));
  }
}

TEST(CodecColumnTest, DecodesWidth64Columns) {
  // The encoder never needs width 64, but the format allows it.
  std::vector<std::uint8_t> bytes = {0, 0, 1, 64};
  for (int i = 0; i < 16; ++i) bytes.push_back(static_cast<std::uint8_t>(0xF0 + i));
  bytes.push_back(0);  // no patches
  ByteReader r(bytes);
  Ints got(2);
  ASSERT_TRUE(DecodeInts(&r, 2, got.data()));
  EXPECT_EQ(static_cast<std::uint64_t>(got[0]), 0xF7F6F5F4F3F2F1F0ULL);
  EXPECT_EQ(static_cast<std::uint64_t>(got[1]), 0xFFFEFDFCFBFAF9F8ULL);
}

TEST(CodecColumnTest, DecimalConversionFindsTheCommonScale) {
  std::vector<model::Sample> s = {{0, 1.5}, {0, 2.25}, {0, 3}, {0, -0.125}};
  DecimalColumn col = ToDecimal(s);
  EXPECT_EQ(col.digits, 3);
  EXPECT_EQ(col.mantissas, (Ints{1500, 2250, 3000, -125}));
  EXPECT_TRUE(col.patches.empty());

  s = {{0, -0.0}, {0, 0.1 + 0.2}, {0, 7}, {0, model::kStaleNaN}};
  col = ToDecimal(s);
  EXPECT_EQ(col.digits, 0);
  EXPECT_EQ(col.patches, (std::vector<std::uint32_t>{0, 1, 3}));
  EXPECT_EQ(col.mantissas, (Ints{7, 7, 7, 7}));  // patches repeat a neighbour
  for (int k = 0; k <= kMaxDecimalDigits; ++k) EXPECT_EQ(FromDecimal(0, k), 0.0);
}

}  // namespace
}  // namespace hw::tsdb::codec_internal
