// Chunk segment files of a block: `<block>/chunks/000001`, `000002`, ... holding
// encoded chunks back to back (docs/format/block.md, "Chunk segments").
//
//   segment = magic u32 BE 0x48574348 ("HWCH") | version u8 (1) | 3 zero bytes | chunk*
//   chunk   = encoding u8 | len uvarint | len bytes | CRC-32C u32 BE of (encoding, bytes)
//
// A chunk is addressed by a ChunkRef: segment number << 32 | byte offset of its
// encoding byte. The encoding byte names the codec (ChunkEncoding): a new codec adds a
// value, not a format version, and readers report unknown encodings as errors.
//
// A kBatch record holds the columnar payloads of many series (tsdb/codec.h
// BatchBuilder); a series' chunk in it is addressed by (ChunkRef of the record,
// ChunkMeta::batch_index). This file only stores records; decoding is
// block_iterator.h's (OpenChunk).
//
// ChunkFileWriter is not thread-safe (one block writer owns it). ChunkFileReader is
// immutable after Open and safe for any number of concurrent readers.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "tsdb/mmap.h"

namespace hw::tsdb {

// Codec of one chunk's bytes. Values are part of the on-disk format: never reuse one.
enum class ChunkEncoding : std::uint8_t {
  kXor = 1,  // tsdb/chunk.h, docs/format/chunks.md
  // The series codec (tsdb/codec.h CodecId, docs/format/codec.md), whose payloads
  // repeat the id as their first byte.
  kColumnar = 2,  // one series' kColumnar payload
  kZstd = 3,      // one series' kZstd payload
  kBatch = 4,     // a kBatch payload: many series, one zstd frame
};

using ChunkRef = std::uint64_t;

inline constexpr std::uint32_t kChunkSegmentMagic = 0x48574348;  // "HWCH"
inline constexpr std::uint8_t kChunkSegmentVersion = 1;
inline constexpr std::size_t kChunkSegmentHeaderSize = 8;
// Prometheus' value: large enough to keep the file count low, small enough to mmap
// comfortably on 32-bit-address-limited tooling and to bound a rewrite.
inline constexpr std::uint64_t kDefaultMaxSegmentSize = 512ull << 20;

inline ChunkRef MakeChunkRef(std::uint32_t segment, std::uint32_t offset) {
  return static_cast<ChunkRef>(segment) << 32 | offset;
}

// One chunk of a series: its time range (both inclusive), codec, sample count, and
// either its bytes (when written) or its location (when read from an index).
struct ChunkMeta {
  std::int64_t mint = 0;
  std::int64_t maxt = 0;
  std::uint8_t encoding = static_cast<std::uint8_t>(ChunkEncoding::kXor);
  std::uint32_t num_samples = 0;
  std::span<const std::uint8_t> bytes;  // input to BlockWriter; must outlive the call
  ChunkRef ref = 0;                     // set by the writer / index reader
  // The payload's index inside the kBatch record at `ref`; 0 for other records.
  std::uint32_t batch_index = 0;
};

// A chunk as stored: a view into a mapped segment, valid while the reader lives.
struct ChunkView {
  std::uint8_t encoding = 0;
  std::span<const std::uint8_t> bytes;
};

class ChunkFileWriter {
 public:
  // Writes segments into `chunks_dir`, which must exist.
  explicit ChunkFileWriter(std::string chunks_dir,
                           std::uint64_t max_segment_size = kDefaultMaxSegmentSize);
  ~ChunkFileWriter();
  ChunkFileWriter(const ChunkFileWriter&) = delete;
  ChunkFileWriter& operator=(const ChunkFileWriter&) = delete;

  // Appends one chunk, starting a new segment when it would not fit the current one
  // (a chunk larger than the limit gets a segment of its own).
  Result<ChunkRef> Write(std::uint8_t encoding, std::span<const std::uint8_t> bytes);
  // Flushes, fsyncs and closes the current segment. Idempotent.
  Status Finish();
  // Bytes written over all segments, headers included.
  std::uint64_t total_bytes() const { return total_bytes_; }

 private:
  Status Cut();
  Status Flush();
  Status CloseSegment();

  std::string dir_;
  std::uint64_t max_segment_size_;
  int fd_ = -1;
  std::uint32_t segment_ = 0;     // number of the open segment, 0 before the first
  std::uint64_t segment_size_ = 0;  // bytes in the open segment, buffered included
  std::uint64_t total_bytes_ = 0;
  std::vector<std::uint8_t> buf_;   // not yet written to fd_
  std::string segment_path_;
};

class ChunkFileReader {
 public:
  // Maps every segment in `chunks_dir` and checks their headers. kInternal naming the
  // file on a bad header or a gap in the numbering.
  static Result<std::unique_ptr<ChunkFileReader>> Open(const std::string& chunks_dir);

  // The chunk at ref, CRC-checked. kInternal "cannot read chunk <ref> in <file>:
  // <cause>" when the ref is out of range, the record is truncated or the CRC fails.
  Result<ChunkView> Chunk(ChunkRef ref) const;
  // "<segment file> at offset <n>" for error messages; "segment <n>" when missing.
  std::string Describe(ChunkRef ref) const;

  std::uint64_t total_bytes() const;

 private:
  std::vector<std::unique_ptr<MmapFile>> segments_;  // segments_[i] is number i + 1
};

// Segment file name for a number: 000001.
std::string ChunkSegmentName(std::uint32_t segment);

}  // namespace hw::tsdb
