// IndexReader: reads a block's index file (docs/format/index.md) through mmap.
//
// Open checks the header, the TOC and the CRC of every section, and loads the symbol
// table (as views) and the postings offset table into memory; everything else is
// decoded from the mapping on demand. Every read is bounds-checked: a corrupt file
// gives kInternal "cannot read index <path>: <what> at offset <n>", never a crash.
//
// Thread-safety: immutable after Open; all methods are const and safe to call from
// any number of threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "model/matcher.h"
#include "tsdb/chunk_file.h"
#include "tsdb/mmap.h"
#include "tsdb/postings.h"

namespace hw::tsdb {

class IndexReader {
 public:
  static Result<std::unique_ptr<IndexReader>> Open(const std::string& path);

  std::uint64_t num_series() const { return num_series_; }
  // The file's format version (kIndexMinVersion .. kIndexVersion).
  std::uint8_t version() const { return version_; }
  std::uint64_t size_bytes() const { return file_->size(); }
  const std::string& path() const { return file_->path(); }

  // Labels and chunk metas (with refs, without bytes) of series `id` < num_series().
  Status Series(SeriesRef id, model::Labels* labels, std::vector<ChunkMeta>* chunks) const;

  // Series carrying name=value; empty if the pair does not occur.
  Result<Postings> Get(std::string_view name, std::string_view value) const;
  // Every series: 0 .. num_series()-1.
  Postings All() const;
  // The series matching every matcher, with Prometheus semantics (a matcher that
  // accepts "" also selects series lacking the label); no matchers select all.
  Result<Postings> ForMatchers(const std::vector<model::Matcher>& matchers) const;

  // Sorted label names / values over all series.
  std::vector<std::string> LabelNames() const;
  std::vector<std::string> LabelValues(std::string_view name) const;

 private:
  struct ValueEntry {
    std::string_view value;
    std::uint64_t offset;  // of the list in the postings section
  };
  struct NameEntry {
    std::string_view name;
    std::vector<ValueEntry> values;  // sorted by value
  };

  IndexReader() = default;
  Status Load();
  Status Corrupt(std::string_view what, std::uint64_t offset) const;
  Result<Postings> ReadPostings(std::uint64_t offset) const;
  const NameEntry* FindName(std::string_view name) const;
  // The union of the postings of the values of m.name() that m accepts.
  Result<Postings> ForMatcher(const model::Matcher& m) const;

  std::unique_ptr<MmapFile> file_;
  std::uint64_t section_off_[5] = {};
  std::span<const std::uint8_t> section_[5];  // payloads, CRC-verified
  std::vector<std::string_view> symbols_;      // views into the mapping
  std::vector<NameEntry> names_;               // sorted by name; "" (all series) excluded
  std::uint64_t all_offset_ = 0;
  std::uint64_t num_series_ = 0;
  std::uint8_t version_ = 0;
};

}  // namespace hw::tsdb
