#include "tsdb/index_reader.h"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "tsdb/block_encoding.h"
#include "tsdb/crc32c.h"
#include "tsdb/index_writer.h"

namespace hw::tsdb {
namespace {

constexpr int kSymbols = static_cast<int>(IndexSection::kSymbols);
constexpr int kSeries = static_cast<int>(IndexSection::kSeries);
constexpr int kSeriesOffsets = static_cast<int>(IndexSection::kSeriesOffsets);
constexpr int kPostings = static_cast<int>(IndexSection::kPostings);
constexpr int kPostingsTable = static_cast<int>(IndexSection::kPostingsTable);
constexpr const char* kSectionNames[] = {"symbols", "series", "series offsets", "postings",
                                         "postings offset table"};

}  // namespace

Result<std::unique_ptr<IndexReader>> IndexReader::Open(const std::string& path) {
  auto file = MmapFile::Open(path);
  if (!file.ok()) return file.status();
  auto reader = std::unique_ptr<IndexReader>(new IndexReader());
  reader->file_ = std::move(*file);
  HW_RETURN_IF_ERROR(reader->Load());
  return reader;
}

Status IndexReader::Corrupt(std::string_view what, std::uint64_t offset) const {
  return Status::Internal(
      fmt::format("cannot read index {}: {} at offset {}", file_->path(), what, offset));
}

Status IndexReader::Load() {
  auto data = file_->data();
  if (data.size() < kIndexHeaderSize + kIndexTocSize) return Corrupt("file too short", 0);
  if (LoadBE32(data.data()) != kIndexMagic) return Corrupt("bad magic", 0);
  if (data[4] < kIndexMinVersion || data[4] > kIndexVersion) {
    return Corrupt(fmt::format("unsupported version {} (this reader knows {} to {})", data[4],
                               kIndexMinVersion, kIndexVersion), 4);
  }
  version_ = data[4];
  if ((data[5] | data[6] | data[7]) != 0) return Corrupt("non-zero reserved header bytes", 5);
  std::uint64_t toc_start = data.size() - kIndexTocSize;
  auto toc = data.subspan(toc_start);
  if (Crc32c(toc.first(kIndexTocSize - 4)) != LoadBE32(toc.data() + kIndexTocSize - 4)) {
    return Corrupt("TOC checksum mismatch", toc_start);
  }
  for (int s = 0; s < kIndexNumSections; ++s) {
    std::uint64_t off = LoadBE64(toc.data() + 16 * s);
    std::uint64_t len = LoadBE64(toc.data() + 16 * s + 8);
    if (off < kIndexHeaderSize || off > toc_start || len > toc_start - off ||
        toc_start - off - len < 4) {
      return Corrupt(fmt::format("{} section out of bounds", kSectionNames[s]), toc_start + 16 * s);
    }
    section_off_[s] = off;
    section_[s] = data.subspan(off, len);
    if (Crc32c(section_[s]) != LoadBE32(data.data() + off + len)) {
      return Corrupt(fmt::format("{} section checksum mismatch", kSectionNames[s]), off);
    }
  }

  ByteReader sym(section_[kSymbols]);
  std::uint64_t n = sym.Uvarint();
  if (!sym.ok() || n > sym.remaining()) return Corrupt("bad symbol count", section_off_[kSymbols]);
  symbols_.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    std::size_t at = sym.pos();
    std::string_view s = sym.String();
    if (!sym.ok() || (!symbols_.empty() && s <= symbols_.back())) {
      return Corrupt("bad or unsorted symbol", section_off_[kSymbols] + at);
    }
    symbols_.push_back(s);
  }

  if (section_[kSeriesOffsets].size() % 8 != 0) {
    return Corrupt("series offsets not a multiple of 8 bytes", section_off_[kSeriesOffsets]);
  }
  num_series_ = section_[kSeriesOffsets].size() / 8;

  ByteReader tab(section_[kPostingsTable]);
  n = tab.Uvarint();
  if (!tab.ok() || n > tab.remaining()) {
    return Corrupt("bad postings table size", section_off_[kPostingsTable]);
  }
  bool have_all = false;
  std::uint64_t prev_n = 0, prev_v = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::size_t at = tab.pos();
    std::uint64_t ns = tab.Uvarint(), vs = tab.Uvarint(), off = tab.Uvarint();
    if (!tab.ok() || ns >= symbols_.size() || vs >= symbols_.size() ||
        off >= section_[kPostings].size() || (i > 0 && std::pair(ns, vs) <= std::pair(prev_n, prev_v))) {
      return Corrupt("bad postings table entry", section_off_[kPostingsTable] + at);
    }
    prev_n = ns;
    prev_v = vs;
    if (symbols_[ns].empty()) {
      if (!symbols_[vs].empty()) return Corrupt("bad postings table entry", section_off_[kPostingsTable] + at);
      have_all = true;
      all_offset_ = off;
      continue;
    }
    if (names_.empty() || names_.back().name != symbols_[ns]) names_.push_back({symbols_[ns], {}});
    names_.back().values.push_back({symbols_[vs], off});
  }
  if (!have_all && num_series_ > 0) return Corrupt("no all-series postings", section_off_[kPostingsTable]);
  return Status::Ok();
}

Status IndexReader::Series(SeriesRef id, model::Labels* labels,
                           std::vector<ChunkMeta>* chunks) const {
  if (id >= num_series_) return Corrupt(fmt::format("series {} out of range", id), 0);
  std::uint64_t off = LoadBE64(section_[kSeriesOffsets].data() + 8 * id);
  std::uint64_t base = section_off_[kSeries];
  if (off >= section_[kSeries].size()) return Corrupt(fmt::format("series {} offset out of range", id), base);
  ByteReader r(section_[kSeries].subspan(off));
  std::uint64_t nl = r.Uvarint();
  if (!r.ok() || nl > r.remaining()) return Corrupt(fmt::format("bad series {}", id), base + off);
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  pairs.reserve(nl);
  for (std::uint64_t i = 0; i < nl; ++i) {
    std::uint64_t ns = r.Uvarint(), vs = r.Uvarint();
    if (!r.ok() || ns >= symbols_.size() || vs >= symbols_.size()) {
      return Corrupt(fmt::format("bad label symbol in series {}", id), base + off);
    }
    pairs.emplace_back(symbols_[ns], symbols_[vs]);
  }
  std::uint64_t nc = r.Uvarint();
  if (!r.ok() || nc > r.remaining()) return Corrupt(fmt::format("bad chunk count in series {}", id), base + off);
  if (chunks != nullptr) {
    chunks->clear();
    chunks->reserve(nc);
    std::int64_t prev_maxt = 0;
    ChunkRef prev_ref = 0;
    for (std::uint64_t i = 0; i < nc; ++i) {
      ChunkMeta c;
      std::int64_t d = r.Varint();
      c.mint = i == 0 ? d
                      : static_cast<std::int64_t>(static_cast<std::uint64_t>(prev_maxt) +
                                                  static_cast<std::uint64_t>(d));
      c.maxt = static_cast<std::int64_t>(static_cast<std::uint64_t>(c.mint) + r.Uvarint());
      c.ref = prev_ref + static_cast<std::uint64_t>(r.Varint());
      std::uint64_t ns = r.Uvarint();
      std::uint64_t slot = version_ >= 2 ? r.Uvarint() : 0;
      c.num_samples = static_cast<std::uint32_t>(ns);
      c.batch_index = static_cast<std::uint32_t>(slot);
      c.encoding = 0;  // the chunk file carries it
      if (!r.ok() || ns > UINT32_MAX || slot > UINT32_MAX) return Corrupt(fmt::format("bad chunk meta in series {}", id), base + off);
      prev_maxt = c.maxt;
      prev_ref = c.ref;
      chunks->push_back(c);
    }
  }
  if (labels != nullptr) *labels = model::Labels::FromPairs(std::move(pairs));
  return Status::Ok();
}

Result<Postings> IndexReader::ReadPostings(std::uint64_t offset) const {
  std::uint64_t base = section_off_[kPostings];
  if (offset >= section_[kPostings].size()) return Corrupt("postings offset out of range", base);
  ByteReader r(section_[kPostings].subspan(offset));
  std::uint64_t n = r.Uvarint();
  if (!r.ok() || n > r.remaining() || n > num_series_) return Corrupt("bad postings list", base + offset);
  Postings out;
  out.reserve(n);
  std::uint64_t id = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t d = r.Uvarint();
    if (i > 0 && d == 0) return Corrupt("unsorted postings list", base + offset);
    id += d;
    if (!r.ok() || id >= num_series_) return Corrupt("bad postings list", base + offset);
    out.push_back(id);
  }
  return out;
}

const IndexReader::NameEntry* IndexReader::FindName(std::string_view name) const {
  auto it = std::lower_bound(names_.begin(), names_.end(), name,
                             [](const NameEntry& e, std::string_view n) { return e.name < n; });
  return it != names_.end() && it->name == name ? &*it : nullptr;
}

Result<Postings> IndexReader::Get(std::string_view name, std::string_view value) const {
  const NameEntry* e = FindName(name);
  if (e == nullptr) return Postings();
  auto it = std::lower_bound(e->values.begin(), e->values.end(), value,
                             [](const ValueEntry& v, std::string_view x) { return v.value < x; });
  if (it == e->values.end() || it->value != value) return Postings();
  return ReadPostings(it->offset);
}

Postings IndexReader::All() const {
  Postings out(num_series_);
  std::iota(out.begin(), out.end(), SeriesRef{0});
  return out;
}

std::vector<std::string> IndexReader::LabelNames() const {
  std::vector<std::string> out;
  out.reserve(names_.size());
  for (const NameEntry& e : names_) out.emplace_back(e.name);
  return out;
}

std::vector<std::string> IndexReader::LabelValues(std::string_view name) const {
  std::vector<std::string> out;
  if (const NameEntry* e = FindName(name)) {
    out.reserve(e->values.size());
    for (const ValueEntry& v : e->values) out.emplace_back(v.value);
  }
  return out;
}

}  // namespace hw::tsdb
