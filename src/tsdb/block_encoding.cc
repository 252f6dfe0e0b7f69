#include "tsdb/block_encoding.h"

namespace hw::tsdb {

std::uint32_t LoadBE32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}

std::uint64_t LoadBE64(const std::uint8_t* p) {
  return static_cast<std::uint64_t>(LoadBE32(p)) << 32 | LoadBE32(p + 4);
}

void ByteWriter::PutBE32(std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) buf_.push_back(static_cast<std::uint8_t>(v >> s));
}

void ByteWriter::PutBE64(std::uint64_t v) {
  PutBE32(static_cast<std::uint32_t>(v >> 32));
  PutBE32(static_cast<std::uint32_t>(v));
}

void ByteWriter::PutUvarint(std::uint64_t v) {
  while (v >= 0x80) {
    buf_.push_back(static_cast<std::uint8_t>(v) | 0x80);
    v >>= 7;
  }
  buf_.push_back(static_cast<std::uint8_t>(v));
}

void ByteWriter::PutVarint(std::int64_t v) {
  PutUvarint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}

void ByteWriter::PutString(std::string_view s) {
  PutUvarint(s.size());
  buf_.insert(buf_.end(), s.begin(), s.end());
}

std::uint8_t ByteReader::U8() {
  if (remaining() < 1) return Fail(), 0;
  return data_[pos_++];
}

std::uint32_t ByteReader::BE32() {
  if (remaining() < 4) return Fail(), 0;
  std::uint32_t v = LoadBE32(data_.data() + pos_);
  pos_ += 4;
  return v;
}

std::uint64_t ByteReader::BE64() {
  if (remaining() < 8) return Fail(), 0;
  std::uint64_t v = LoadBE64(data_.data() + pos_);
  pos_ += 8;
  return v;
}

std::uint64_t ByteReader::Uvarint() {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (remaining() < 1) return Fail(), 0;
    std::uint8_t b = data_[pos_++];
    if (shift == 63 && b > 1) return Fail(), 0;  // overflows 64 bits
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if (b < 0x80) return v;
  }
  return Fail(), 0;
}

std::int64_t ByteReader::Varint() {
  std::uint64_t u = Uvarint();
  return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

std::string_view ByteReader::String() {
  std::uint64_t n = Uvarint();
  if (!ok_ || n > remaining()) return Fail(), std::string_view();
  std::string_view s(reinterpret_cast<const char*>(data_.data() + pos_), n);
  pos_ += n;
  return s;
}

std::span<const std::uint8_t> ByteReader::Bytes(std::size_t n) {
  if (n > remaining()) return Fail(), std::span<const std::uint8_t>();
  auto s = data_.subspan(pos_, n);
  pos_ += n;
  return s;
}

void ByteReader::Skip(std::size_t n) {
  if (n > remaining()) Fail();
  else pos_ += n;
}

}  // namespace hw::tsdb
