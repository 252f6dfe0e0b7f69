// MmapFile: a read-only memory map of a whole file, unmapped on destruction (RAII).
//
// Blocks are read through mmap so that the kernel's page cache holds the data and
// opening a block costs no heap memory per byte. A mapping stays valid after its file
// is unlinked (POSIX keeps the inode alive while mapped), but not if the file is
// truncated underneath it (SIGBUS) — block files are immutable, so that never happens
// through hastewatch itself.
//
// Thread-safety: immutable after Open; any number of threads may read data().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "base/status.h"

namespace hw::tsdb {

class MmapFile {
 public:
  // Maps `path` read-only. kNotFound if it does not exist, kInternal on other errors
  // ("cannot mmap <path>: <strerror>"). An empty file gives an empty span.
  static Result<std::unique_ptr<MmapFile>> Open(const std::string& path);

  ~MmapFile();
  MmapFile(const MmapFile&) = delete;
  MmapFile& operator=(const MmapFile&) = delete;

  std::span<const std::uint8_t> data() const { return {data_, size_}; }
  std::size_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  MmapFile(std::string path, const std::uint8_t* data, std::size_t size)
      : path_(std::move(path)), data_(data), size_(size) {}

  std::string path_;
  const std::uint8_t* data_;
  std::size_t size_;
};

// Small POSIX file helpers for writing blocks durably.

// Creates (truncating) `path`, writes `data`, fsyncs and closes it.
Status WriteFileSynced(const std::string& path, std::span<const std::uint8_t> data);
// fsyncs a directory so that entries created or renamed in it survive a crash.
Status SyncDir(const std::string& dir);
// rename(2) then SyncDir(parent of `to`).
Status RenameSynced(const std::string& from, const std::string& to);

}  // namespace hw::tsdb
