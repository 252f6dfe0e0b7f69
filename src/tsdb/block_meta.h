// BlockMeta: the contents of a block's meta.json (docs/format/block.md, "meta.json").
//
//   {"ulid": "01H...", "minTime": 1700000000000, "maxTime": 1700007200000,
//    "stats": {"numSamples": 480000, "numSeries": 1000, "numChunks": 4000,
//              "numBytes": 612345},
//    "compaction": {"level": 1, "sources": ["01H..."], "parents": []},
//    "version": 1}
//
// minTime is inclusive and maxTime exclusive (Prometheus' convention): a block covers
// [minTime, maxTime). numBytes is the size of the chunk segments plus the index, as
// written (meta.json and tombstones excluded); retention by size sums it.
// `sources` lists the level-1 blocks whose data this block holds (itself for a block
// cut from the head); `parents` the blocks compacted directly into it.
//
// Plain values and functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hw::tsdb {

struct BlockStats {
  std::uint64_t num_samples = 0;
  std::uint64_t num_series = 0;
  std::uint64_t num_chunks = 0;
  std::uint64_t num_bytes = 0;
  bool operator==(const BlockStats&) const = default;
};

struct BlockCompaction {
  int level = 1;
  std::vector<std::string> sources;
  std::vector<std::string> parents;
  bool operator==(const BlockCompaction&) const = default;
};

struct BlockMeta {
  static constexpr int kVersion = 1;

  std::string ulid;
  std::int64_t min_time = 0;  // inclusive, ms
  std::int64_t max_time = 0;  // exclusive, ms
  BlockStats stats;
  BlockCompaction compaction;
  int version = kVersion;
  bool operator==(const BlockMeta&) const = default;
};

inline constexpr char kMetaFileName[] = "meta.json";

std::string EncodeBlockMeta(const BlockMeta& meta);
// kInternal "cannot parse <source>: ..." on malformed JSON, missing fields, an
// unsupported version or an invalid ULID.
Result<BlockMeta> DecodeBlockMeta(std::string_view json, std::string_view source);

// Writes `<dir>/meta.json` via a temporary file, fsynced and renamed.
Status WriteBlockMeta(const std::string& dir, const BlockMeta& meta);
Result<BlockMeta> ReadBlockMeta(const std::string& dir);

}  // namespace hw::tsdb
