#include "tsdb/chunk_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "tsdb/block_encoding.h"
#include "tsdb/crc32c.h"

namespace hw::tsdb {
namespace {

constexpr std::size_t kWriteBufferSize = 1 << 20;

Status ErrnoStatus(std::string_view verb, const std::string& path) {
  return Status::Internal(fmt::format("cannot {} {}: {}", verb, path, std::strerror(errno)));
}

}  // namespace

std::string ChunkSegmentName(std::uint32_t segment) { return fmt::format("{:06d}", segment); }

ChunkFileWriter::ChunkFileWriter(std::string chunks_dir, std::uint64_t max_segment_size)
    : dir_(std::move(chunks_dir)), max_segment_size_(max_segment_size) {}

ChunkFileWriter::~ChunkFileWriter() {
  if (fd_ >= 0) ::close(fd_);
}

Status ChunkFileWriter::Flush() {
  std::size_t done = 0;
  while (done < buf_.size()) {
    ssize_t n = ::write(fd_, buf_.data() + done, buf_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("write", segment_path_);
    }
    done += static_cast<std::size_t>(n);
  }
  buf_.clear();
  return Status::Ok();
}

Status ChunkFileWriter::CloseSegment() {
  if (fd_ < 0) return Status::Ok();
  HW_RETURN_IF_ERROR(Flush());
  if (::fsync(fd_) != 0) return ErrnoStatus("fsync", segment_path_);
  int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0) return ErrnoStatus("close", segment_path_);
  return Status::Ok();
}

Status ChunkFileWriter::Cut() {
  HW_RETURN_IF_ERROR(CloseSegment());
  ++segment_;
  segment_path_ = dir_ + "/" + ChunkSegmentName(segment_);
  fd_ = ::open(segment_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) return ErrnoStatus("create", segment_path_);
  ByteWriter w;
  w.PutBE32(kChunkSegmentMagic);
  w.PutU8(kChunkSegmentVersion);
  w.PutU8(0);
  w.PutU8(0);
  w.PutU8(0);
  buf_ = std::move(w.buf());
  segment_size_ = buf_.size();
  total_bytes_ += buf_.size();
  return Status::Ok();
}

Result<ChunkRef> ChunkFileWriter::Write(std::uint8_t encoding,
                                        std::span<const std::uint8_t> bytes) {
  ByteWriter head;
  head.PutU8(encoding);
  head.PutUvarint(bytes.size());
  std::uint64_t record = head.size() + bytes.size() + 4;
  bool fits = segment_size_ + record <= max_segment_size_;
  if (fd_ < 0 || (!fits && segment_size_ > kChunkSegmentHeaderSize)) {
    HW_RETURN_IF_ERROR(Cut());
  }
  if (segment_size_ + record > std::uint64_t{UINT32_MAX}) {
    return Status::Internal(fmt::format("cannot write chunk to {}: segment exceeds 4 GiB",
                                        segment_path_));
  }
  ChunkRef ref = MakeChunkRef(segment_, static_cast<std::uint32_t>(segment_size_));
  std::uint32_t crc = Crc32c(std::span<const std::uint8_t>(head.buf().data(), 1));
  crc = Crc32c(bytes, crc);
  head.PutBytes(bytes);
  head.PutBE32(crc);
  buf_.insert(buf_.end(), head.buf().begin(), head.buf().end());
  segment_size_ += record;
  total_bytes_ += record;
  if (buf_.size() >= kWriteBufferSize) HW_RETURN_IF_ERROR(Flush());
  return ref;
}

Status ChunkFileWriter::Finish() { return CloseSegment(); }

Result<std::unique_ptr<ChunkFileReader>> ChunkFileReader::Open(const std::string& chunks_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(chunks_dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.size() == 6 && std::all_of(name.begin(), name.end(), ::isdigit)) {
      names.push_back(name);
    }
  }
  if (ec) {
    return Status::Internal(fmt::format("cannot list {}: {}", chunks_dir, ec.message()));
  }
  std::sort(names.begin(), names.end());
  auto reader = std::unique_ptr<ChunkFileReader>(new ChunkFileReader());
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string path = chunks_dir + "/" + names[i];
    if (names[i] != ChunkSegmentName(static_cast<std::uint32_t>(i + 1))) {
      return Status::Internal(fmt::format("cannot open chunk segment {}: expected {}", path,
                                          ChunkSegmentName(static_cast<std::uint32_t>(i + 1))));
    }
    auto file = MmapFile::Open(path);
    if (!file.ok()) return file.status();
    auto data = (*file)->data();
    if (data.size() < kChunkSegmentHeaderSize || LoadBE32(data.data()) != kChunkSegmentMagic) {
      return Status::Internal(fmt::format("cannot open chunk segment {}: bad magic at offset 0",
                                          path));
    }
    if (data[4] != kChunkSegmentVersion) {
      return Status::Internal(fmt::format(
          "cannot open chunk segment {}: unsupported version {} at offset 4", path, data[4]));
    }
    reader->segments_.push_back(std::move(*file));
  }
  return reader;
}

Result<ChunkView> ChunkFileReader::Chunk(ChunkRef ref) const {
  auto segment = static_cast<std::uint32_t>(ref >> 32);
  auto offset = static_cast<std::uint32_t>(ref);
  if (segment == 0 || segment > segments_.size()) {
    return Status::Internal(fmt::format("cannot read chunk {:#x}: no segment {}", ref, segment));
  }
  const MmapFile& file = *segments_[segment - 1];
  auto fail = [&](std::string_view why) {
    return Status::Internal(
        fmt::format("cannot read chunk {:#x} in {} at offset {}: {}", ref, file.path(), offset, why));
  };
  auto data = file.data();
  if (offset < kChunkSegmentHeaderSize || offset >= data.size()) return fail("offset out of range");
  ByteReader r(data.subspan(offset));
  ChunkView view;
  view.encoding = r.U8();
  std::uint64_t len = r.Uvarint();
  if (!r.ok() || len > r.remaining()) return fail("truncated chunk");
  view.bytes = r.Bytes(len);
  std::uint32_t want = r.BE32();
  if (!r.ok()) return fail("truncated chunk checksum");
  std::uint32_t crc = Crc32c(view.bytes, Crc32c(data.subspan(offset, 1)));
  if (crc != want) return fail(fmt::format("checksum mismatch ({:#010x} != {:#010x})", crc, want));
  return view;
}

std::string ChunkFileReader::Describe(ChunkRef ref) const {
  auto segment = static_cast<std::uint32_t>(ref >> 32);
  if (segment == 0 || segment > segments_.size()) return fmt::format("segment {}", segment);
  return fmt::format("{} at offset {}", segments_[segment - 1]->path(),
                     static_cast<std::uint32_t>(ref));
}

std::uint64_t ChunkFileReader::total_bytes() const {
  std::uint64_t n = 0;
  for (const auto& s : segments_) n += s->size();
  return n;
}

}  // namespace hw::tsdb
