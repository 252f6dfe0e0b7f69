// Reading the write-ahead log back, and cutting it where it is torn or corrupt.
//
// WalReader walks the frames of segments [first, last] of one directory (the WAL's or a
// checkpoint's) in order and checks each one. It stops at the first frame that is not
// whole and valid and describes it as a Corruption: a header cut short, a length past
// the end of the file, an unknown type byte, a checksum mismatch, or a missing segment
// file. Everything before that point is good; nothing after it is trusted.
//
// Repair() makes the directory end at that point: it truncates the segment at the bad
// frame, deletes every later segment and logs a WARN saying what was cut. Wal::Open and
// Replay call it themselves, so a torn tail (a write cut short by a crash) or a
// flipped bit never stops the server from starting: the WAL loses what follows the
// damage and goes on.
//
// Thread-safety: a WalReader is used by one thread. Repair and Replay must not run
// concurrently with a Wal appending to the same directory (run them before Wal::Open,
// or after it: Open has repaired already, so they find nothing to cut).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/logger.h"
#include "base/status.h"
#include "tsdb/record.h"

namespace hw::tsdb {

// Where and why reading stopped early.
struct Corruption {
  std::string dir;          // the segments' directory
  int segment = 0;          // index of the segment holding the bad frame
  std::int64_t offset = 0;  // byte offset of the bad frame's first byte in it
  std::string reason;       // "checksum mismatch (stored 0x..., computed 0x...)"
  std::string ToString() const;  // "segment 00000003 offset 4096: <reason>"
};

class WalReader {
 public:
  // Reads segments first..last (inclusive) of `dir`; nothing when last < first.
  WalReader(std::string dir, int first, int last);
  ~WalReader();
  WalReader(const WalReader&) = delete;
  WalReader& operator=(const WalReader&) = delete;

  // Moves to the next valid record. False at the end, at a corruption (corruption()
  // is then set) or on an I/O error (status() is then not OK).
  bool Next();

  // The current record; payload() stays valid until the next call to Next.
  RecordType type() const { return type_; }
  std::string_view payload() const { return payload_; }
  // The current record's segment and the byte offset of its frame.
  int segment() const { return segment_; }
  std::int64_t offset() const { return offset_; }

  const std::optional<Corruption>& corruption() const { return corruption_; }
  const Status& status() const { return status_; }

 private:
  bool OpenSegment(int index);
  void CloseSegment();
  // Makes bytes [off, off + n) of the current segment available at buf_ + (off - buf_off_).
  bool Fill(std::uint64_t off, std::size_t n);
  bool Corrupt(std::string reason);

  std::string dir_;
  int next_segment_;
  int last_;
  int fd_ = -1;
  std::uint64_t size_ = 0;  // of the open segment
  std::uint64_t pos_ = 0;   // offset of the next frame in it
  std::string buf_;
  std::uint64_t buf_off_ = 0;  // file offset of buf_[0]
  std::size_t buf_len_ = 0;    // valid bytes in buf_

  RecordType type_ = RecordType::kSeries;
  std::string_view payload_;
  int segment_ = -1;
  std::int64_t offset_ = 0;
  std::optional<Corruption> corruption_;
  Status status_;
};

// Truncates segment c.segment of `dir` at c.offset and deletes all later segments,
// fsyncing what it changed, and logs a WARN naming the segment, offset, reason, bytes
// dropped and segments deleted (logger may be null). The segment itself may be missing.
Status Repair(const std::string& dir, const Corruption& c, Logger* logger);

// What Replay read and cut.
struct ReplayStats {
  int checkpoint = -1;       // index of the checkpoint read, -1 for none
  int first_segment = -1;    // the WAL segments read; -1 when none
  int last_segment = -1;
  std::uint64_t records = 0;
  int corruptions = 0;       // repairs made (each logged at WARN)
};

using RecordFn = std::function<Status(RecordType type, std::string_view payload)>;

// Feeds `fn` every record of the WAL in `dir` in write order: the newest checkpoint's
// records first, then those of the segments after it. A torn or corrupt frame is
// repaired (Repair) and reading goes on with what follows a corrupt checkpoint, or
// ends for the WAL segments. An error from `fn` stops the replay and is returned
// wrapped. A missing `dir` is an empty WAL.
Status Replay(const std::string& dir, const RecordFn& fn, Logger* logger,
              ReplayStats* stats = nullptr);

}  // namespace hw::tsdb
