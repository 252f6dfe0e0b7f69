#include "tsdb/wal_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "tsdb/crc32c.h"

namespace hw::tsdb {
namespace {

namespace fs = std::filesystem;

// The index in an 8-digit name, or -1.
int ParseIndex(std::string_view name) {
  if (name.size() != 8) return -1;
  int v = 0;
  for (char c : name) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

void PutLe32(std::uint32_t v, char* p) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(v >> (8 * i));
}

Result<std::vector<int>> ListIndices(const std::string& dir, std::string_view prefix,
                                     bool directories) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    Status s = Status::Internal(fmt::format("cannot list {}: {}", dir, ec.message()));
    if (ec == std::errc::no_such_file_or_directory) s = Status::NotFound(s.message());
    return s;
  }
  std::vector<int> out;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!name.starts_with(prefix)) continue;
    int index = ParseIndex(std::string_view(name).substr(prefix.size()));
    if (index < 0 || it->is_directory(ec) != directories) continue;
    out.push_back(index);
  }
  if (ec) return Status::Internal(fmt::format("cannot list {}: {}", dir, ec.message()));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::string SegmentName(int index) { return fmt::format("{:08d}", index); }
std::string SegmentPath(const std::string& dir, int index) {
  return fmt::format("{}/{:08d}", dir, index);
}
std::string CheckpointName(int index) { return fmt::format("checkpoint.{:08d}", index); }
std::string CheckpointPath(const std::string& dir, int index) {
  return fmt::format("{}/checkpoint.{:08d}", dir, index);
}

Result<std::vector<int>> ListSegments(const std::string& dir) {
  return ListIndices(dir, "", false);
}
Result<std::vector<int>> ListCheckpoints(const std::string& dir) {
  return ListIndices(dir, "checkpoint.", true);
}

std::uint32_t LoadLe32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= std::uint32_t{static_cast<std::uint8_t>(p[i])} << (8 * i);
  return v;
}

std::uint32_t FrameChecksum(const char* header, std::string_view payload) {
  return Crc32cExtend(Crc32cExtend(0, header, 5), payload.data(), payload.size());
}

void AppendFrame(std::string_view record, std::string* out) {
  std::string_view payload = record.substr(1);
  char header[kFrameHeaderSize];
  header[0] = record[0];
  PutLe32(static_cast<std::uint32_t>(payload.size()), header + 1);
  PutLe32(FrameChecksum(header, payload), header + 5);
  out->append(header, kFrameHeaderSize);
  out->append(payload);
}

Status SyncPath(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Internal(fmt::format("cannot open {}: {}", path, strerror(errno)));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return Status::Internal(fmt::format("cannot fsync {}: {}", path, strerror(err)));
  return Status::Ok();
}

Status RemovePath(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) return Status::Internal(fmt::format("cannot remove {}: {}", path, ec.message()));
  return Status::Ok();
}

Result<std::uint64_t> FileSize(const std::string& path) {
  std::error_code ec;
  std::uint64_t size = fs::file_size(path, ec);
  if (ec == std::errc::no_such_file_or_directory) return std::uint64_t{0};
  if (ec) return Status::Internal(fmt::format("cannot stat {}: {}", path, ec.message()));
  return size;
}

Status WriteFully(int fd, std::string_view data, std::uint64_t offset, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Internal(fmt::format("cannot write {} at offset {}: {}", path, offset,
                                          strerror(errno)));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
  return Status::Ok();
}

}  // namespace hw::tsdb
