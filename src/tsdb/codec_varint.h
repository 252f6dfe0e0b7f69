// Byte-level primitives shared by the series codec (docs/format/codec.md): LEB128
// varints (Go's encoding/binary layout, as in bit_stream.h but byte-aligned), zig-zag
// mapping, little-endian fixed64, and ByteReader, a bounds-checked cursor over borrowed
// bytes that never reads past its span and reports truncation by returning false.
//
// Internal to hw_tsdb_codec. Plain functions and a value type; ByteReader is not
// thread-safe and the bytes it reads must outlive it.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace hw::tsdb::codec_internal {

static_assert(std::endian::native == std::endian::little,
              "the codec's bit packing assumes a little-endian host");

inline std::uint64_t ZigZag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
inline std::int64_t UnZigZag(std::uint64_t u) {
  return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

// Bytes PutUvarint would write for v (1..10).
inline int UvarintLen(std::uint64_t v) { return v == 0 ? 1 : (std::bit_width(v) + 6) / 7; }

inline void PutUvarint(std::vector<std::uint8_t>* out, std::uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<std::uint8_t>(v));
}
inline void PutVarint(std::vector<std::uint8_t>* out, std::int64_t v) {
  PutUvarint(out, ZigZag(v));
}
inline void PutFixed64(std::vector<std::uint8_t>* out, std::uint64_t v) {
  std::uint8_t b[8];
  std::memcpy(b, &v, 8);
  out->insert(out->end(), b, b + 8);
}

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes)
      : p_(bytes.data()), size_(bytes.size()) {}

  std::size_t pos() const { return pos_; }
  std::size_t remaining() const { return size_ - pos_; }
  const std::uint8_t* cursor() const { return p_ + pos_; }

  bool ReadByte(std::uint8_t* v) {
    if (pos_ >= size_) return false;
    *v = p_[pos_++];
    return true;
  }
  // Rejects varints longer than 10 bytes or overflowing 64 bits.
  bool ReadUvarint(std::uint64_t* v) {
    std::uint64_t r = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos_ >= size_) return false;
      std::uint64_t b = p_[pos_++];
      if (shift == 63 && b > 1) return false;
      r |= (b & 0x7F) << shift;
      if (b < 0x80) {
        *v = r;
        return true;
      }
    }
    return false;
  }
  bool ReadVarint(std::int64_t* v) {
    std::uint64_t u;
    if (!ReadUvarint(&u)) return false;
    *v = UnZigZag(u);
    return true;
  }
  bool ReadFixed64(std::uint64_t* v) {
    if (remaining() < 8) return false;
    std::memcpy(v, p_ + pos_, 8);
    pos_ += 8;
    return true;
  }
  // Borrows the next n bytes; false (and nothing consumed) if fewer remain.
  bool ReadBytes(std::size_t n, std::span<const std::uint8_t>* out) {
    if (n > remaining()) return false;
    *out = {p_ + pos_, n};
    pos_ += n;
    return true;
  }

 private:
  const std::uint8_t* p_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace hw::tsdb::codec_internal
