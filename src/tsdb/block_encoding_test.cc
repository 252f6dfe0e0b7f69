#include "tsdb/block_encoding.h"

#include <string_view>

#include <gtest/gtest.h>

namespace hw::tsdb {
namespace {

std::span<const std::uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Blocks checksum spans with tsdb/crc32c.h; the on-disk values are plain CRC-32C.
TEST(BlockCrc32cTest, SpanOverloadIsCrc32c) {
  EXPECT_EQ(Crc32c(Bytes("")), 0u);
  EXPECT_EQ(Crc32c(Bytes("123456789")), 0xE3069283u);  // the CRC-32C check value
  EXPECT_EQ(Crc32c(Bytes("6789"), Crc32c(Bytes("12345"))), 0xE3069283u);
}

TEST(ByteCodingTest, RoundTrips) {
  ByteWriter w;
  const std::uint64_t uvals[] = {0, 1, 127, 128, 300, UINT32_MAX, UINT64_MAX};
  const std::int64_t svals[] = {0, -1, 1, -64, 64, INT64_MIN, INT64_MAX};
  for (auto v : uvals) w.PutUvarint(v);
  for (auto v : svals) w.PutVarint(v);
  w.PutBE32(0xdeadbeef);
  w.PutBE64(0x0123456789abcdefULL);
  w.PutString("hello");
  ByteReader r(w.buf());
  for (auto v : uvals) EXPECT_EQ(r.Uvarint(), v);
  for (auto v : svals) EXPECT_EQ(r.Varint(), v);
  EXPECT_EQ(r.BE32(), 0xdeadbeefu);
  EXPECT_EQ(r.BE64(), 0x0123456789abcdefULL);
  EXPECT_EQ(r.String(), "hello");
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.done());
}

TEST(ByteCodingTest, ReaderNeverOverruns) {
  ByteWriter w;
  w.PutString("abcdef");
  for (std::size_t cut = 0; cut < w.size(); ++cut) {
    ByteReader r(std::span<const std::uint8_t>(w.buf()).first(cut));
    (void)r.String();
    EXPECT_FALSE(r.ok()) << cut;
  }
  const std::uint8_t endless[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  ByteReader r(endless);
  (void)r.Uvarint();
  EXPECT_FALSE(r.ok());
  ByteReader r2(std::span<const std::uint8_t>(endless).first(3));
  (void)r2.BE32();
  EXPECT_FALSE(r2.ok());
}

}  // namespace
}  // namespace hw::tsdb
