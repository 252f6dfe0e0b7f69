// The series codec: how immutable block chunks store one series' samples, denser than
// the head's Gorilla XOR chunks (chunk.h). docs/format/codec.md specifies the bytes.
//
// A payload opens with a one-byte encoding id (CodecId) so readers can dispatch:
//   2 (kColumnar)  timestamps and values as separate integer columns: timestamps
//                  against a scrape-interval grid, values converted to decimal integers
//                  (12.34 -> 1234 at 2 digits) then delta/delta-of-delta coded and
//                  bit-packed, with stale markers and other non-decimal values kept as
//                  raw patches; values that are not decimal use XOR coding instead.
//   3 (kZstd)      a kColumnar payload compressed with zstd.
//   4 (kBatch)     many series' payloads in one zstd frame plus an offset table, so
//                  small payloads share one compression context (BatchBuilder).
//
// Round trips are bit-exact for every double (NaN payloads such as the stale marker,
// ±Inf, -0.0, denormals) and every int64 timestamp, in any order: all timestamp
// arithmetic wraps modulo 2^64. Decreasing timestamps therefore round-trip; only
// ColumnarIterator::Seek assumes increasing timestamps (it falls back to a linear scan
// when they are not).
//
// Decoding never reads outside the given bytes and never trusts a length it has not
// checked: malformed or truncated input yields a kBadData Status, not a crash.
//
// Thread-safety: the free functions are stateless and thread-safe. ColumnarIterator,
// BatchBuilder and BatchReader are values owned by one thread at a time; a const
// BatchReader may be shared between threads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "base/status.h"
#include "model/sample.h"

namespace hw::tsdb {

enum class CodecId : std::uint8_t { kColumnar = 2, kZstd = 3, kBatch = 4 };

// Most samples one payload may hold (2^23: 97 days at 1 s). Encoding more is a caller
// bug (it aborts); decoding rejects larger counts before allocating.
inline constexpr std::size_t kCodecMaxSamples = std::size_t{1} << 23;
// zstd level used by default: zstd's own default. On codec_bench's 64 KiB batches it
// is within 0.5% of level 9's size at twice its speed (1: +0.5%, 19: -1%, 80x slower).
inline constexpr int kCodecZstdLevel = 3;

// Encodes samples as a kColumnar payload.
std::vector<std::uint8_t> EncodeColumnar(std::span<const model::Sample> samples);
// Encodes samples as kZstd, or as kColumnar when compression does not make it smaller.
std::vector<std::uint8_t> EncodeColumnarZstd(std::span<const model::Sample> samples,
                                           int level = kCodecZstdLevel);

// Decodes a kColumnar or kZstd payload (a kBatch payload needs BatchReader).
Result<std::vector<model::Sample>> DecodeColumnar(std::span<const std::uint8_t> payload);
// As DecodeColumnar, reusing *out's storage (replaces its contents; empty on error).
Status DecodeColumnarInto(std::span<const std::uint8_t> payload, std::vector<model::Sample>* out);
// As DecodeColumnarInto, but when the timestamps are in order only the samples with
// mint <= t <= maxt are stored (converting values is most of the decoding cost, so a
// query reading a few minutes of a long payload pays for those). Unordered payloads
// are stored whole. The whole payload is still checked: corrupt bytes fail the decode
// whatever the range. *sorted (may be null): whether the timestamps are non-decreasing.
Status DecodeColumnarRangeInto(std::span<const std::uint8_t> payload, std::int64_t mint,
                               std::int64_t maxt, std::vector<model::Sample>* out,
                               bool* sorted = nullptr);

// Iterates a kColumnar or kZstd payload. The payload is decoded when the iterator is
// built (bulk decoding is several times faster than sample-at-a-time), so the bytes
// need not outlive it. Interface as XorIterator. Given [mint, maxt], an ordered
// payload yields only the samples in that range (DecodeColumnarRangeInto).
class ColumnarIterator {
 public:
  explicit ColumnarIterator(std::span<const std::uint8_t> payload,
                            std::int64_t mint = std::numeric_limits<std::int64_t>::min(),
                            std::int64_t maxt = std::numeric_limits<std::int64_t>::max());

  // Moves to the next sample; false at the end or when the payload was corrupt.
  bool Next();
  // Moves to the first sample with timestamp >= t at or after the current one; stays
  // put when the current sample already qualifies. False (and exhausted) if none.
  bool Seek(std::int64_t t);
  std::int64_t T() const { return samples_[pos_].t; }
  double V() const { return samples_[pos_].v; }
  model::Sample At() const { return samples_[pos_]; }
  // Copies up to buf.size() (> 0) following samples, as that many Next calls would;
  // returns how many (0 at the end). Afterwards At() is the last one copied.
  std::size_t NextBatch(std::span<model::Sample> buf) {
    std::size_t from = 0;
    if (!started_) {
      started_ = true;
    } else if (pos_ < samples_.size()) {
      from = pos_ + 1;
    } else {
      return 0;
    }
    std::size_t n = std::min(buf.size(), samples_.size() - from);
    if (n == 0) {
      pos_ = samples_.size();
      return 0;
    }
    std::copy_n(samples_.data() + from, n, buf.data());
    pos_ = from + n - 1;
    return n;
  }
  // The decoding error (kBadData), or OK.
  const Status& Err() const { return err_; }

 private:
  std::vector<model::Sample> samples_;
  std::size_t pos_ = 0;
  bool started_ = false;
  bool sorted_ = true;
  Status err_;
};

// Groups series payloads into one kBatch payload. The block writer adds payloads
// until RawBytes() reaches kTargetRawBytes, then calls Finish and starts a new batch.
class BatchBuilder {
 public:
  // About 64 KiB of payloads per frame: zstd's gain levels off above that, while a
  // reader of one series decompresses the whole frame.
  static constexpr std::size_t kTargetRawBytes = 64 << 10;

  // Adds a kColumnar payload (or any bytes); returns its index in the batch.
  std::size_t Add(std::span<const std::uint8_t> payload);
  std::size_t Count() const { return lengths_.size(); }
  std::size_t RawBytes() const { return raw_.size(); }
  // The kBatch payload of everything added; the builder is empty afterwards.
  std::vector<std::uint8_t> Finish(int level = kCodecZstdLevel);

 private:
  std::vector<std::uint8_t> raw_;
  std::vector<std::size_t> lengths_;
};

// One-shot BatchBuilder.
std::vector<std::uint8_t> EncodeBatch(std::span<const std::vector<std::uint8_t>> payloads,
                                      int level = kCodecZstdLevel);

// Reads a kBatch payload: Open decompresses the frame once; Payload(i) is then a view.
class BatchReader {
 public:
  static Result<BatchReader> Open(std::span<const std::uint8_t> batch);

  std::size_t Count() const { return offsets_.size() - 1; }
  // The i-th payload (i < Count()), valid while the reader lives.
  std::span<const std::uint8_t> Payload(std::size_t i) const;
  // DecodeColumnar(Payload(i)), with the index in the error message.
  Result<std::vector<model::Sample>> Decode(std::size_t i) const;

 private:
  BatchReader() = default;
  std::vector<std::uint8_t> raw_;
  std::vector<std::size_t> offsets_;  // Count() + 1 entries into raw_
};

}  // namespace hw::tsdb
