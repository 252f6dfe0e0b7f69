#include "tsdb/bit_stream.h"

#include <cstdint>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace hw::tsdb {
namespace {

TEST(BitStreamTest, PacksMostSignificantBitFirst) {
  BitWriter w;
  w.WriteBit(true);
  w.WriteBits(0b01, 2);
  w.WriteBits(0x1F, 5);
  w.WriteBits(0xABC, 12);
  EXPECT_EQ(w.bit_len(), 20u);
  EXPECT_EQ(w.bytes(), (std::vector<std::uint8_t>{0b10111111, 0xAB, 0xC0}));
}

TEST(BitStreamTest, RoundTripsRandomWidths) {
  std::mt19937_64 rng(42);
  std::vector<std::pair<std::uint64_t, int>> written;
  BitWriter w;
  for (int i = 0; i < 5000; ++i) {
    int n = static_cast<int>(rng() % 65);
    std::uint64_t v = n == 64 ? rng() : rng() & ((std::uint64_t{1} << n) - 1);
    w.WriteBits(v, n);
    written.emplace_back(v, n);
  }
  BitReader r(w.bytes());
  for (const auto& [v, n] : written) ASSERT_EQ(r.ReadBits(n), v) << n;
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.pos(), w.bit_len());
}

TEST(BitStreamTest, VarintsRoundTripUnaligned) {
  const std::int64_t values[] = {0, 1, -1, 63, -64, 64, 1000, -1000,
                                 std::numeric_limits<std::int64_t>::max(),
                                 std::numeric_limits<std::int64_t>::min()};
  BitWriter w;
  w.WriteBits(0b101, 3);
  for (std::int64_t v : values) {
    w.WriteVarint(v);
    w.WriteUvarint(static_cast<std::uint64_t>(v));
  }
  BitReader r(w.bytes());
  EXPECT_EQ(r.ReadBits(3), 0b101u);
  for (std::int64_t v : values) {
    EXPECT_EQ(r.ReadVarint(), v);
    EXPECT_EQ(r.ReadUvarint(), static_cast<std::uint64_t>(v));
  }
  EXPECT_TRUE(r.ok());
}

TEST(BitStreamTest, ReadingPastTheEndFailsForGood) {
  std::vector<std::uint8_t> bytes = {0xFF, 0x00};
  BitReader r(bytes);
  EXPECT_EQ(r.ReadBits(12), 0xFF0u);
  EXPECT_EQ(r.ReadBits(5), 0u);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.ReadBits(1), 0u);
  EXPECT_FALSE(r.ok());
  std::vector<std::uint8_t> unterminated = {0x80, 0x80};
  BitReader v(unterminated);
  v.ReadUvarint();
  EXPECT_FALSE(v.ok());
}

TEST(BitStreamTest, TruncateContinuesMidByte) {
  BitWriter w;
  w.WriteBits(0xFFFF, 16);
  w.Truncate(11);
  w.WriteBits(0, 2);
  w.WriteBit(true);
  EXPECT_EQ(w.bit_len(), 14u);
  EXPECT_EQ(w.bytes(), (std::vector<std::uint8_t>{0xFF, 0b11100100}));
  BitWriter reopened({0xAB, 0xFF}, 12);
  EXPECT_EQ(reopened.bytes(), (std::vector<std::uint8_t>{0xAB, 0xF0}));
}

}  // namespace
}  // namespace hw::tsdb
