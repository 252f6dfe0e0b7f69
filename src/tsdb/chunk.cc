#include "tsdb/chunk.h"

#include <bit>

#include <fmt/format.h>

namespace hw::tsdb {
namespace {

// Prometheus' bitRange: whether dod fits the n-bit bucket, whose range is
// [-(2^(n-1) - 1), 2^(n-1)] (asymmetric: the decoder maps values above 2^(n-1) to
// negatives).
bool FitsBucket(std::int64_t dod, int n) {
  std::int64_t half = std::int64_t{1} << (n - 1);
  return -(half - 1) <= dod && dod <= half;
}

}  // namespace

// ---- XorIterator ----

XorIterator::XorIterator(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < XorChunk::kHeaderSize) {
    corrupt_ = true;
    done_ = true;
    return;
  }
  total_ = (bytes[0] << 8) | bytes[1];
  r_ = BitReader(bytes, XorChunk::kHeaderSize * 8);
}

double XorIterator::V() const { return std::bit_cast<double>(v_bits_); }

bool XorIterator::ReadValue() {
  if (!r_.ReadBit()) return true;  // same value as before
  if (r_.ReadBit()) {
    // A new window: 5 bits of leading zeros, 6 bits of significant bits (0 means 64).
    leading_ = static_cast<int>(r_.ReadBits(5));
    int sig = static_cast<int>(r_.ReadBits(6));
    if (sig == 0) sig = 64;
    if (leading_ + sig > 64) return false;
    trailing_ = 64 - leading_ - sig;
  } else if (leading_ < 0) {
    return false;  // "reuse the window" before any window was set
  }
  int sig = 64 - leading_ - trailing_;
  v_bits_ ^= r_.ReadBits(sig) << trailing_;
  return true;
}

bool XorIterator::Next() {
  if (done_) return false;
  if (read_ == total_) {
    done_ = true;
    return false;
  }
  bool ok = true;
  if (read_ == 0) {
    t_ = r_.ReadVarint();
    v_bits_ = r_.ReadBits(64);
  } else if (read_ == 1) {
    delta_ = r_.ReadUvarint();
    t_ = static_cast<std::int64_t>(static_cast<std::uint64_t>(t_) + delta_);
    ok = ReadValue();
  } else {
    // Bucket prefix: 0, 10, 110, 1110 or 1111.
    int ones = 0;
    while (ones < 4 && r_.ReadBit()) ++ones;
    static constexpr int kBucketBits[] = {0, 14, 17, 20, 64};
    int n = kBucketBits[ones];
    std::uint64_t dod = 0;
    if (n > 0) {
      dod = r_.ReadBits(n);
      if (n < 64 && dod > (std::uint64_t{1} << (n - 1))) dod -= std::uint64_t{1} << n;
    }
    delta_ += dod;
    t_ = static_cast<std::int64_t>(static_cast<std::uint64_t>(t_) + delta_);
    ok = ReadValue();
  }
  if (!ok || !r_.ok()) {
    corrupt_ = true;
    done_ = true;
    return false;
  }
  ++read_;
  return true;
}

bool XorIterator::Seek(std::int64_t t) {
  if (done_) return false;
  if (read_ > 0 && t_ >= t) return true;
  while (Next()) {
    if (t_ >= t) return true;
  }
  return false;
}

Status XorIterator::Err() const {
  if (!corrupt_) return {};
  if (total_ == 0 && read_ == 0 && r_.pos() == 0) {
    return Status::Internal("cannot decode XOR chunk: shorter than its 2-byte header");
  }
  return Status::Internal(
      fmt::format("cannot decode XOR chunk: invalid or truncated data at bit {} (sample {} of {})",
                  r_.pos(), read_ + 1, total_));
}

// ---- XorChunk ----

XorChunk::XorChunk() { w_.WriteBits(0, 16); }

Result<XorChunk> XorChunk::FromBytes(std::vector<std::uint8_t> bytes) {
  if (bytes.size() < kHeaderSize) {
    return Status::BadData(fmt::format(
        "cannot load XOR chunk: {} bytes is shorter than the 2-byte header", bytes.size()));
  }
  XorChunk c;
  std::size_t bits = bytes.size() * 8;
  c.w_ = BitWriter(std::move(bytes), bits);
  return c;
}

int XorChunk::NumSamples() const { return (w_.bytes()[0] << 8) | w_.bytes()[1]; }

Result<XorAppender> XorChunk::NewAppender() {
  XorIterator it = Iterator();
  while (it.Next()) {
  }
  if (Status s = it.Err(); !s.ok()) return s.Wrap("cannot append to XOR chunk");
  XorAppender a(this);
  a.num_ = it.read_;
  a.t_ = it.t_;
  a.delta_ = it.delta_;
  a.v_bits_ = it.v_bits_;
  a.leading_ = it.leading_;
  a.trailing_ = it.trailing_;
  // Drop padding (and anything after the last sample) so appends continue the stream.
  w_.Truncate(it.r_.pos());
  return a;
}

// ---- XorAppender ----

void XorAppender::WriteValue(std::uint64_t bits) {
  BitWriter& w = c_->w_;
  std::uint64_t x = bits ^ v_bits_;
  if (x == 0) {
    w.WriteBit(false);
    return;
  }
  w.WriteBit(true);
  int leading = std::countl_zero(x);
  int trailing = std::countr_zero(x);
  if (leading >= 32) leading = 31;  // the field has 5 bits
  if (leading_ >= 0 && leading >= leading_ && trailing >= trailing_) {
    // The previous window holds every significant bit: reuse it.
    w.WriteBit(false);
    w.WriteBits(x >> trailing_, 64 - leading_ - trailing_);
    return;
  }
  leading_ = leading;
  trailing_ = trailing;
  int sig = 64 - leading - trailing;
  w.WriteBit(true);
  w.WriteBits(static_cast<std::uint64_t>(leading), 5);
  w.WriteBits(static_cast<std::uint64_t>(sig) & 63, 6);  // 64 is written as 0
  w.WriteBits(x >> trailing, sig);
}

bool XorAppender::Append(std::int64_t t, double v) {
  if (num_ >= XorChunk::kMaxSamples) return false;
  BitWriter& w = c_->w_;
  std::uint64_t bits = std::bit_cast<std::uint64_t>(v);
  if (num_ == 0) {
    w.WriteVarint(t);
    w.WriteBits(bits, 64);
  } else {
    std::uint64_t delta = static_cast<std::uint64_t>(t) - static_cast<std::uint64_t>(t_);
    if (num_ == 1) {
      w.WriteUvarint(delta);
    } else {
      auto dod = static_cast<std::int64_t>(delta - delta_);
      if (dod == 0) {
        w.WriteBit(false);
      } else if (FitsBucket(dod, 14)) {
        w.WriteBits(0b10, 2);
        w.WriteBits(static_cast<std::uint64_t>(dod), 14);
      } else if (FitsBucket(dod, 17)) {
        w.WriteBits(0b110, 3);
        w.WriteBits(static_cast<std::uint64_t>(dod), 17);
      } else if (FitsBucket(dod, 20)) {
        w.WriteBits(0b1110, 4);
        w.WriteBits(static_cast<std::uint64_t>(dod), 20);
      } else {
        w.WriteBits(0b1111, 4);
        w.WriteBits(static_cast<std::uint64_t>(dod), 64);
      }
    }
    WriteValue(bits);
    delta_ = delta;
  }
  t_ = t;
  v_bits_ = bits;
  ++num_;
  std::uint8_t* header = w.mutable_data();
  header[0] = static_cast<std::uint8_t>(num_ >> 8);
  header[1] = static_cast<std::uint8_t>(num_ & 0xFF);
  return true;
}

}  // namespace hw::tsdb
