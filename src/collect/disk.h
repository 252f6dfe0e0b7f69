// Disk facts about the data directory for /health/detailed.
#pragma once

#include <cstdint>
#include <string>

namespace hw::collect {

struct DiskStats {
  std::uint64_t used_bytes = 0;  // total size of files under the directory
  std::uint64_t free_bytes = 0;  // available to this user on its filesystem
  std::uint64_t total_bytes = 0;
};

DiskStats ReadDiskStats(const std::string& dir);

}  // namespace hw::collect
