#include "tsdb/wal_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "tsdb/wal_files.h"

namespace hw::tsdb {
namespace {

// Bytes read from a segment at a time: large enough that reads are not the cost of a
// replay, small enough not to matter beside the head it rebuilds.
constexpr std::size_t kReadSize = 1 << 20;

}  // namespace

std::string Corruption::ToString() const {
  return fmt::format("segment {} offset {}: {}", SegmentName(segment), offset, reason);
}

WalReader::WalReader(std::string dir, int first, int last)
    : dir_(std::move(dir)), next_segment_(first), last_(last) {}

WalReader::~WalReader() { CloseSegment(); }

void WalReader::CloseSegment() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buf_len_ = 0;
}

bool WalReader::OpenSegment(int index) {
  std::string path = SegmentPath(dir_, index);
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  segment_ = index;
  if (fd_ < 0) {
    if (errno == ENOENT) {
      offset_ = 0;
      return Corrupt("segment file missing");
    }
    status_ = Status::Internal(fmt::format("cannot open {}: {}", path, strerror(errno)));
    return false;
  }
  struct stat st;
  if (::fstat(fd_, &st) != 0) {
    status_ = Status::Internal(fmt::format("cannot stat {}: {}", path, strerror(errno)));
    return false;
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
  pos_ = 0;
  buf_len_ = 0;
  buf_off_ = 0;
  return true;
}

bool WalReader::Fill(std::uint64_t off, std::size_t n) {
  if (off >= buf_off_ && off + n <= buf_off_ + buf_len_) return true;
  std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(
      std::max(n, kReadSize), size_ - off));
  if (buf_.size() < want) buf_.resize(want);
  buf_off_ = off;
  buf_len_ = 0;
  while (buf_len_ < want) {
    ssize_t r = ::pread(fd_, buf_.data() + buf_len_, want - buf_len_,
                        static_cast<off_t>(off + buf_len_));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      // The file shrank under us (or the disk failed): not a property of the data.
      status_ = Status::Internal(fmt::format(
          "cannot read {} at offset {}: {}", SegmentPath(dir_, segment_), off + buf_len_,
          r == 0 ? "unexpected end of file" : strerror(errno)));
      return false;
    }
    buf_len_ += static_cast<std::size_t>(r);
  }
  return true;
}

bool WalReader::Corrupt(std::string reason) {
  corruption_ = Corruption{dir_, segment_, offset_, std::move(reason)};
  CloseSegment();
  return false;
}

bool WalReader::Next() {
  if (corruption_ || !status_.ok()) return false;
  while (fd_ < 0 || pos_ == size_) {
    CloseSegment();
    if (next_segment_ > last_) return false;
    if (!OpenSegment(next_segment_++)) return false;
  }
  offset_ = static_cast<std::int64_t>(pos_);
  std::uint64_t left = size_ - pos_;
  if (left < kFrameHeaderSize) {
    return Corrupt(fmt::format("torn frame header ({} of {} bytes)", left, kFrameHeaderSize));
  }
  if (!Fill(pos_, kFrameHeaderSize)) return false;
  const char* header = buf_.data() + (pos_ - buf_off_);
  auto type = static_cast<std::uint8_t>(header[0]);
  std::uint32_t length = LoadLe32(header + 1);
  std::uint32_t stored = LoadLe32(header + 5);
  if (!IsKnownRecordType(type)) {
    return Corrupt(fmt::format("unknown record type 0x{:02x}", type));
  }
  if (length > left - kFrameHeaderSize) {
    return Corrupt(fmt::format("record length {} past the end of the segment ({} bytes left)",
                               length, left - kFrameHeaderSize));
  }
  if (!Fill(pos_, kFrameHeaderSize + length)) return false;
  header = buf_.data() + (pos_ - buf_off_);
  std::string_view payload(header + kFrameHeaderSize, length);
  std::uint32_t computed = FrameChecksum(header, payload);
  if (computed != stored) {
    return Corrupt(fmt::format("checksum mismatch (stored 0x{:08x}, computed 0x{:08x})",
                               stored, computed));
  }
  type_ = static_cast<RecordType>(type);
  payload_ = payload;
  pos_ += kFrameHeaderSize + length;
  return true;
}

}  // namespace hw::tsdb
