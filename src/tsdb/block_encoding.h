// Byte-level building blocks of the block formats (docs/format/block.md, index.md):
// big-endian fixed-width integers, Go-style varints and length-prefixed strings. The
// CRC-32C that guards every section, chunk and file is tsdb/crc32c.h.
//
// ByteWriter appends to a growable buffer. ByteReader reads a borrowed span and never
// reads past its end: a read that would overflow returns zero/empty and latches
// ok() == false, so decoders check once at the end of a record instead of after every
// field. Neither is thread-safe; both are cheap values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tsdb/crc32c.h"

namespace hw::tsdb {

// Blocks checksum with Crc32c (tsdb/crc32c.h, hardware-accelerated).

class ByteWriter {
 public:
  void PutU8(std::uint8_t v) { buf_.push_back(v); }
  void PutBE32(std::uint32_t v);
  void PutBE64(std::uint64_t v);
  void PutUvarint(std::uint64_t v);
  void PutVarint(std::int64_t v);  // zig-zag, then uvarint
  void PutBytes(std::span<const std::uint8_t> b) { buf_.insert(buf_.end(), b.begin(), b.end()); }
  // uvarint length, then the bytes.
  void PutString(std::string_view s);

  std::size_t size() const { return buf_.size(); }
  std::vector<std::uint8_t>& buf() { return buf_; }
  const std::vector<std::uint8_t>& buf() const { return buf_; }
  void Clear() { buf_.clear(); }

 private:
  std::vector<std::uint8_t> buf_;
};

class ByteReader {
 public:
  ByteReader() = default;
  explicit ByteReader(std::span<const std::uint8_t> data) : data_(data) {}

  std::uint8_t U8();
  std::uint32_t BE32();
  std::uint64_t BE64();
  std::uint64_t Uvarint();
  std::int64_t Varint();
  // A uvarint-length-prefixed string viewing the underlying bytes.
  std::string_view String();
  std::span<const std::uint8_t> Bytes(std::size_t n);
  void Skip(std::size_t n);

  bool ok() const { return ok_; }
  std::size_t pos() const { return pos_; }
  std::size_t remaining() const { return data_.size() - pos_; }
  bool done() const { return pos_ == data_.size(); }

 private:
  bool Fail() {
    ok_ = false;
    pos_ = data_.size();
    return false;
  }

  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

// Reads big-endian integers from at least 4 / 8 bytes (the caller checks the size).
std::uint32_t LoadBE32(const std::uint8_t* p);
std::uint64_t LoadBE64(const std::uint8_t* p);

}  // namespace hw::tsdb
