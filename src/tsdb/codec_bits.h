// LSB-first bit packing for the series codec (docs/format/codec.md): the first bit
// written is bit 0 of byte 0, and a w-bit value occupies the next w bits, least
// significant bit first. (bit_stream.h packs the other way round, as Prometheus' XOR
// chunks require; LSB-first lets a reader fetch a value with one unaligned 64-bit load
// and a shift.)
//
// Internal to hw_tsdb_codec. BitPacker appends to a caller-owned vector; BitUnpacker
// reads borrowed bytes and never reads outside them. Neither is thread-safe.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace hw::tsdb::codec_internal {

class BitPacker {
 public:
  explicit BitPacker(std::vector<std::uint8_t>* out) : out_(out) {}
  // Appends the low w bits of v, 0 <= w <= 64.
  void Put(std::uint64_t v, int w) {
    if (w > 32) {
      Put(v & 0xFFFFFFFFu, 32);
      Put(v >> 32, w - 32);
      return;
    }
    if (w == 0) return;
    acc_ |= (v & ((std::uint64_t{1} << w) - 1)) << bits_;
    bits_ += w;
    while (bits_ >= 8) {
      out_->push_back(static_cast<std::uint8_t>(acc_));
      acc_ >>= 8;
      bits_ -= 8;
    }
  }
  // Pads the last byte with zero bits.
  void Flush() {
    if (bits_ > 0) out_->push_back(static_cast<std::uint8_t>(acc_));
    acc_ = 0;
    bits_ = 0;
  }

 private:
  std::vector<std::uint8_t>* out_;
  std::uint64_t acc_ = 0;
  int bits_ = 0;  // pending bits in acc_, < 8 between calls
};

// Reads w bits at bit offset `bit` byte by byte; the caller guarantees they exist.
inline std::uint64_t ReadBitsAt(const std::uint8_t* p, std::uint64_t bit, int w) {
  std::uint64_t v = 0;
  int got = 0;
  while (got < w) {
    int off = static_cast<int>(bit & 7);
    int take = std::min(8 - off, w - got);
    std::uint64_t chunk = (static_cast<std::uint64_t>(p[bit >> 3]) >> off) &
                          ((std::uint64_t{1} << take) - 1);
    v |= chunk << got;
    got += take;
    bit += take;
  }
  return v;
}

class BitUnpacker {
 public:
  explicit BitUnpacker(std::span<const std::uint8_t> bytes)
      : p_(bytes.data()), size_(bytes.size()) {}

  // Reads w bits (0 <= w <= 64) into *v; false, consuming nothing, past the end.
  bool Read(int w, std::uint64_t* v) {
    std::size_t byte = pos_ >> 3;
    if (w <= 57 && byte + 8 <= size_) {
      std::uint64_t word;
      std::memcpy(&word, p_ + byte, 8);
      *v = (word >> (pos_ & 7)) & (w == 0 ? 0 : (~std::uint64_t{0} >> (64 - w)));
      pos_ += w;
      return true;
    }
    if (pos_ + w > size_ * 8) return false;
    *v = ReadBitsAt(p_, pos_, w);
    pos_ += w;
    return true;
  }
  std::uint64_t pos() const { return pos_; }

 private:
  const std::uint8_t* p_;
  std::size_t size_;
  std::uint64_t pos_ = 0;  // in bits
};

}  // namespace hw::tsdb::codec_internal
