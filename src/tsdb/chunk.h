// XOR chunks: the Gorilla encoding of float samples (Pelkonen et al., VLDB 2015) in
// Prometheus' byte layout, so the bytes are the same as a Prometheus XOR chunk:
// timestamps as delta-of-delta in variable-width buckets, values as the XOR with the
// previous value with a reused leading/trailing-zero window. docs/format/chunks.md
// specifies the layout.
//
// Round trips are bit-exact for every double (NaN payloads such as stale markers, ±Inf,
// -0.0, denormals) and every int64 timestamp: timestamp deltas use wrapping unsigned
// arithmetic, so even extreme or decreasing timestamps decode to what was appended.
// Ordering is the caller's business (the head rejects out-of-order samples); Seek
// assumes increasing timestamps.
//
// Thread-safety: none. An XorChunk and its XorAppender belong to one writer; an
// XorIterator reads the chunk's bytes in place and is valid until the chunk is next
// appended to or destroyed. To read a chunk that is still being written, copy Bytes()
// under the writer's lock and iterate the copy (XorIterator over a span).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/status.h"
#include "model/sample.h"
#include "tsdb/bit_stream.h"

namespace hw::tsdb {

class XorAppender;

// Reads samples from encoded XOR chunk bytes. Not thread-safe.
class XorIterator {
 public:
  // `bytes` is a whole chunk (header included) and must outlive the iterator.
  explicit XorIterator(std::span<const std::uint8_t> bytes);

  // Moves to the next sample; false at the end or on corrupt data (see Err).
  bool Next();
  // Moves to the first sample with timestamp >= t; stays put when the current sample
  // already qualifies. False (and exhausted) when there is none.
  bool Seek(std::int64_t t);
  std::int64_t T() const { return t_; }
  double V() const;
  model::Sample At() const { return {t_, V()}; }
  // kInternal "cannot decode XOR chunk: ..." when the bytes ended early or are invalid.
  Status Err() const;

 private:
  friend class XorChunk;
  bool ReadValue();

  BitReader r_;
  int total_ = 0;  // samples in the chunk, from the header
  int read_ = 0;   // samples decoded so far
  bool done_ = false;
  bool corrupt_ = false;
  std::int64_t t_ = 0;
  std::uint64_t delta_ = 0;  // last timestamp delta, wrapping
  std::uint64_t v_bits_ = 0;
  int leading_ = -1;  // current XOR window; -1 until the first window is read
  int trailing_ = 0;
};

class XorChunk {
 public:
  // Cutting policy, from Prometheus' head: a chunk is closed at 120 samples (about 30
  // minutes at a 15 s interval, where the encoding reaches its best ratio) or once it
  // has reached 1024 bytes (maxBytesPerXORChunk), whichever comes first. A sample adds
  // at most 19 bytes, so a chunk cut by this policy stays under 1043 bytes.
  static constexpr int kTargetSamples = 120;
  static constexpr std::size_t kTargetBytes = 1024;
  // The format's hard limit: the header's 16-bit sample count.
  static constexpr int kMaxSamples = 65535;
  static constexpr std::size_t kHeaderSize = 2;

  XorChunk();  // empty: just the header
  // Wraps encoded bytes, e.g. read from disk. kBadData if shorter than the header.
  static Result<XorChunk> FromBytes(std::vector<std::uint8_t> bytes);

  int NumSamples() const;
  const std::vector<std::uint8_t>& Bytes() const { return w_.bytes(); }
  std::size_t NumBytes() const { return w_.bytes().size(); }
  // True once the cutting policy says to start a new chunk.
  bool IsFull() const { return NumSamples() >= kTargetSamples || NumBytes() >= kTargetBytes; }

  XorIterator Iterator() const { return XorIterator(w_.bytes()); }
  // An appender that continues after the last sample (decoding the chunk to restore
  // the encoder's state). Fails with the iterator's error on corrupt data. At most one
  // appender may be used per chunk, and the chunk must outlive it.
  Result<XorAppender> NewAppender();

 private:
  friend class XorAppender;
  BitWriter w_;
};

// Appends samples to an XorChunk. Not thread-safe.
class XorAppender {
 public:
  // Appends (t, v). Returns false, leaving the chunk unchanged, only when the chunk
  // already holds kMaxSamples; callers cut chunks long before, using IsFull().
  [[nodiscard]] bool Append(std::int64_t t, double v);

 private:
  friend class XorChunk;
  explicit XorAppender(XorChunk* c) : c_(c) {}
  void WriteValue(std::uint64_t bits);

  XorChunk* c_;
  int num_ = 0;
  std::int64_t t_ = 0;
  std::uint64_t delta_ = 0;
  std::uint64_t v_bits_ = 0;
  int leading_ = -1;  // -1: no window yet (Prometheus' 0xff)
  int trailing_ = 0;
};

}  // namespace hw::tsdb
