// The index file of a block (docs/format/index.md): a symbol table, one entry per
// series (label symbol refs and chunk metas), postings lists per label pair, and a
// table of contents, each section guarded by a CRC-32C.
//
//   header   magic u32 BE 0x48574958 ("HWIX") | version u8 (2) | 3 zero bytes
//   sections symbols | series | series offsets | postings | postings offset table,
//            each `payload | CRC-32C u32 BE of payload`
//   TOC      5 x (offset u64 BE, length u64 BE) | CRC-32C u32 BE   (84 bytes, at the end)
//
// Series are identified inside a block by their position in label order (0..N-1).
// Version 2 adds each chunk's batch_index (its payload inside a kBatch chunk record)
// to the chunk metas; version 1 has none. Readers accept both; writers write 2.
//
// IndexWriter collects series in label order and writes the whole file on Finish. It
// keeps each series' Labels and its encoded chunk metas (about 10 bytes a chunk), not
// chunk data. Not thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "tsdb/chunk_file.h"

namespace hw::tsdb {

inline constexpr std::uint32_t kIndexMagic = 0x48574958;  // "HWIX"
inline constexpr std::uint8_t kIndexVersion = 2;
// The oldest version readers still accept (chunk metas without batch_index).
inline constexpr std::uint8_t kIndexMinVersion = 1;
inline constexpr std::size_t kIndexHeaderSize = 8;
inline constexpr int kIndexNumSections = 5;
inline constexpr std::size_t kIndexTocSize = kIndexNumSections * 16 + 4;

enum class IndexSection { kSymbols, kSeries, kSeriesOffsets, kPostings, kPostingsTable };

class IndexWriter {
 public:
  // `version` is kIndexVersion except in tests of old-format reading; a version-1
  // writer rejects chunks with a non-zero batch_index.
  explicit IndexWriter(std::uint8_t version = kIndexVersion) : version_(version) {}

  // Adds the next series. Labels must be non-empty and strictly greater than the
  // previous series' (kBadData otherwise); chunks must have refs set and be sorted by
  // mint. The series gets id = number of series added before it.
  Status AddSeries(const model::Labels& labels, std::span<const ChunkMeta> chunks);
  // Encodes the index and writes it to `path`, fsynced. Returns the file size.
  Result<std::uint64_t> Finish(const std::string& path);

  std::size_t num_series() const { return series_.size(); }

 private:
  std::uint8_t version_;
  std::vector<model::Labels> series_;
  std::vector<std::uint8_t> chunk_metas_;   // encoded chunk metas of all series
  std::vector<std::uint64_t> meta_offsets_;  // series i's metas start here in chunk_metas_
};

}  // namespace hw::tsdb
