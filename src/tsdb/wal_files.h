// The write-ahead log's directory layout and frame header, shared by the writer (wal.h),
// the reader and repair (wal_reader.h) and checkpoints (checkpoint.h). Layout and bytes
// are specified in docs/format/wal.md.
//
//   <dir>/00000000, 00000001, ...    segments: frames back to back, no file header
//   <dir>/checkpoint.00000012/       a checkpoint: segments of its own, same framing
//
// A frame is [type u8][length u32 LE][crc32c u32 LE][payload], the CRC taken over the
// type byte, the length bytes and the payload.
//
// Functions on paths and bytes; thread-safe (the file system is the shared state).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hw::tsdb {

inline constexpr std::size_t kFrameHeaderSize = 9;
// The length field is 32 bits; payloads are kept below 4 GiB - 1 so that a frame's
// size always fits (the writer refuses bigger records).
inline constexpr std::uint64_t kMaxPayloadSize = 0xFFFFFFFEULL - kFrameHeaderSize;
// Segment and checkpoint indices are printed with 8 digits.
inline constexpr int kMaxSegmentIndex = 99'999'999;

// "00000042".
std::string SegmentName(int index);
std::string SegmentPath(const std::string& dir, int index);
// "checkpoint.00000042".
std::string CheckpointName(int index);
std::string CheckpointPath(const std::string& dir, int index);

// Indices of the segment files in `dir` (names of exactly 8 digits), ascending.
// kNotFound when `dir` does not exist.
Result<std::vector<int>> ListSegments(const std::string& dir);
// Indices of complete checkpoints in `dir` (checkpoint.<8 digits>, not .tmp), ascending.
Result<std::vector<int>> ListCheckpoints(const std::string& dir);

// Appends the frame of `record` (type byte + payload, as Encode* in record.h return)
// to `out`. The caller has checked the size against kMaxPayloadSize.
void AppendFrame(std::string_view record, std::string* out);
// The CRC stored in a frame: over the first 5 header bytes, then the payload.
std::uint32_t FrameChecksum(const char* header, std::string_view payload);

std::uint32_t LoadLe32(const char* p);

// fsync of a file or directory (a directory to make creations, renames and deletions
// of its entries durable).
Status SyncPath(const std::string& path);
// Removes a file or a directory tree; OK when it does not exist.
Status RemovePath(const std::string& path);
// The size of a file, or 0 when it does not exist.
Result<std::uint64_t> FileSize(const std::string& path);
// write() until all of `data` is written at `offset` (pwrite), retrying EINTR.
Status WriteFully(int fd, std::string_view data, std::uint64_t offset,
                  const std::string& path);

}  // namespace hw::tsdb
