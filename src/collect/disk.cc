#include "collect/disk.h"

#include <sys/statvfs.h>

#include <filesystem>

namespace hw::collect {

DiskStats ReadDiskStats(const std::string& dir) {
  DiskStats s;
  struct statvfs vfs{};
  if (statvfs(dir.c_str(), &vfs) == 0) {
    s.free_bytes = static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
    s.total_bytes = static_cast<std::uint64_t>(vfs.f_blocks) * vfs.f_frsize;
  }
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(
           dir, std::filesystem::directory_options::skip_permission_denied, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code fe;
    if (it->is_regular_file(fe)) s.used_bytes += it->file_size(fe);
  }
  return s;
}

}  // namespace hw::collect
