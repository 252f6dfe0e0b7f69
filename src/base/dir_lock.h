// DirLock: an exclusive advisory lock (flock) on `<dir>/lock`, held for the lock
// object's lifetime, so that two hastewatch processes never write one data directory.
// The lock file records the holder's pid (informational). Movable, not copyable.
#pragma once

#include <string>

#include "base/status.h"

namespace hw {

class DirLock {
 public:
  // Creates `dir` if needed and locks it; kUnavailable "cannot lock data directory
  // ...: another hastewatch is using it" when someone else holds it.
  static Result<DirLock> Acquire(const std::string& dir);

  DirLock(DirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DirLock& operator=(DirLock&& other) noexcept;
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;
  ~DirLock();

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace hw
