#include "tsdb/bit_stream.h"

#include <algorithm>

namespace hw::tsdb {

BitWriter::BitWriter(std::vector<std::uint8_t> bytes, std::size_t bit_len)
    : bytes_(std::move(bytes)) {
  Truncate(bit_len);
}

void BitWriter::Truncate(std::size_t bit_len) {
  bit_len = std::min(bit_len, bytes_.size() * 8);
  bytes_.resize((bit_len + 7) / 8);
  free_ = static_cast<int>(bytes_.size() * 8 - bit_len);
  if (free_ > 0) bytes_.back() &= static_cast<std::uint8_t>(0xFF << free_);  // clear the tail
}

void BitWriter::WriteBits(std::uint64_t v, int n) {
  while (n > 0) {
    if (free_ == 0) {
      bytes_.push_back(0);
      free_ = 8;
    }
    int k = std::min(free_, n);
    std::uint64_t chunk = (v >> (n - k)) & ((std::uint64_t{1} << k) - 1);
    bytes_.back() |= static_cast<std::uint8_t>(chunk << (free_ - k));
    free_ -= k;
    n -= k;
  }
}

void BitWriter::WriteUvarint(std::uint64_t v) {
  while (v >= 0x80) {
    WriteBits((v & 0x7F) | 0x80, 8);
    v >>= 7;
  }
  WriteBits(v, 8);
}

void BitWriter::WriteVarint(std::int64_t v) {
  std::uint64_t u = static_cast<std::uint64_t>(v) << 1;
  if (v < 0) u = ~u;
  WriteUvarint(u);
}

std::uint64_t BitReader::ReadBitsSlow(int n) {
  if (!ok_ || pos_ + n > size_ * 8) {
    ok_ = false;
    pos_ = size_ * 8;
    return 0;
  }
  std::uint64_t v = 0;
  while (n > 0) {
    int bit_in_byte = static_cast<int>(pos_ & 7);
    int k = std::min(8 - bit_in_byte, n);
    std::uint64_t byte = data_[pos_ >> 3];
    std::uint64_t chunk = (byte >> (8 - bit_in_byte - k)) & ((std::uint64_t{1} << k) - 1);
    v = (v << k) | chunk;
    pos_ += k;
    n -= k;
  }
  return v;
}

std::uint64_t BitReader::ReadUvarint() {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    std::uint64_t b = ReadBits(8);
    if (!ok_) return 0;
    if (shift == 63 && b > 1) break;  // overflows 64 bits
    v |= (b & 0x7F) << shift;
    if (b < 0x80) return v;
  }
  ok_ = false;
  return 0;
}

std::int64_t BitReader::ReadVarint() {
  std::uint64_t u = ReadUvarint();
  std::int64_t v = static_cast<std::int64_t>(u >> 1);
  if (u & 1) v = ~v;
  return v;
}

}  // namespace hw::tsdb
