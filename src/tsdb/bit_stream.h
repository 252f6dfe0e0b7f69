// BitWriter and BitReader: the bit-level stream under the XOR chunk encoding
// (docs/format/chunks.md). Bits are packed most-significant first: the first bit
// written is bit 7 of byte 0. Multi-bit values are written most-significant bit first.
// Varints are Go's encoding/binary varints (7 bits a byte, least significant group
// first, high bit set on all but the last byte; signed values zig-zag encoded),
// written through the bit stream so they need not be byte-aligned.
//
// Neither class is thread-safe. A BitReader reads borrowed bytes that must outlive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace hw::tsdb {

class BitWriter {
 public:
  BitWriter() = default;
  // Continues a stream: keeps the first `bit_len` bits of `bytes` and drops the rest.
  BitWriter(std::vector<std::uint8_t> bytes, std::size_t bit_len);

  void WriteBit(bool bit) { WriteBits(bit ? 1 : 0, 1); }
  // Writes the low `n` bits of `v`, most significant first; 0 <= n <= 64.
  void WriteBits(std::uint64_t v, int n);
  void WriteUvarint(std::uint64_t v);
  void WriteVarint(std::int64_t v);

  // Drops every bit after the first `bit_len` (no-op if there are fewer).
  void Truncate(std::size_t bit_len);

  std::size_t bit_len() const { return bytes_.size() * 8 - free_; }
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }
  // For fixed-position fields (a chunk's header); must not change the size.
  std::uint8_t* mutable_data() { return bytes_.data(); }

 private:
  std::vector<std::uint8_t> bytes_;
  int free_ = 0;  // unused low-order bits of bytes_.back(), 0..7
};

class BitReader {
 public:
  BitReader() = default;
  BitReader(std::span<const std::uint8_t> data, std::size_t start_bit = 0)
      : data_(data.data()), size_(data.size()), pos_(start_bit) {}

  // Reading past the end returns zeros and makes ok() false for good.
  bool ReadBit() { return ReadBits(1) != 0; }
  // 0 <= n <= 64.
  std::uint64_t ReadBits(int n);
  std::uint64_t ReadUvarint();
  std::int64_t ReadVarint();

  bool ok() const { return ok_; }
  // Bits consumed so far.
  std::size_t pos() const { return pos_; }

 private:
  std::uint64_t ReadBitsSlow(int n);

  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

inline std::uint64_t BitReader::ReadBits(int n) {
  if (n == 0) return 0;
  std::size_t byte = pos_ >> 3;
  if (n <= 56 && byte + 8 <= size_) {
    // Fast path: one unaligned big-endian 64-bit load holds all n bits (shift <= 7).
    std::uint64_t w = 0;
    for (int i = 0; i < 8; ++i) w = (w << 8) | data_[byte + i];
    w <<= (pos_ & 7);
    pos_ += n;
    return w >> (64 - n);
  }
  return ReadBitsSlow(n);
}

}  // namespace hw::tsdb
