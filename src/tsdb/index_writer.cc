#include "tsdb/index_writer.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "tsdb/block_encoding.h"
#include "tsdb/crc32c.h"
#include "tsdb/mmap.h"

namespace hw::tsdb {

Status IndexWriter::AddSeries(const model::Labels& labels, std::span<const ChunkMeta> chunks) {
  if (labels.empty()) return Status::BadData("cannot add series to index: empty label set");
  if (!series_.empty() && !(series_.back() < labels)) {
    return Status::BadData(fmt::format("cannot add series {} to index: not after {} in label order",
                                       labels.ToString(), series_.back().ToString()));
  }
  // Chunk metas, delta-encoded against the previous chunk (format in index.md).
  ByteWriter w;
  w.PutUvarint(chunks.size());
  std::int64_t prev_maxt = 0;
  ChunkRef prev_ref = 0;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const ChunkMeta& c = chunks[i];
    if (c.maxt < c.mint || (i > 0 && c.mint < chunks[i - 1].mint)) {
      return Status::BadData(fmt::format(
          "cannot add series {} to index: chunk {} has range [{}, {}] out of order",
          labels.ToString(), i, c.mint, c.maxt));
    }
    if (i == 0) {
      w.PutVarint(c.mint);
    } else {
      w.PutVarint(static_cast<std::int64_t>(static_cast<std::uint64_t>(c.mint) -
                                            static_cast<std::uint64_t>(prev_maxt)));
    }
    w.PutUvarint(static_cast<std::uint64_t>(c.maxt) - static_cast<std::uint64_t>(c.mint));
    w.PutVarint(static_cast<std::int64_t>(c.ref - prev_ref));
    w.PutUvarint(c.num_samples);
    if (version_ >= 2) {
      w.PutUvarint(c.batch_index);
    } else if (c.batch_index != 0) {
      return Status::BadData(fmt::format(
          "cannot add series {} to index: version 1 has no batch index (chunk {})",
          labels.ToString(), i));
    }
    prev_maxt = c.maxt;
    prev_ref = c.ref;
  }
  meta_offsets_.push_back(chunk_metas_.size());
  chunk_metas_.insert(chunk_metas_.end(), w.buf().begin(), w.buf().end());
  series_.push_back(labels);
  return Status::Ok();
}

Result<std::uint64_t> IndexWriter::Finish(const std::string& path) {
  // Symbols: every label name and value, plus "" (the all-series postings key).
  std::vector<std::string_view> symbols{""};
  for (const model::Labels& ls : series_) {
    for (const model::Label& l : ls) {
      symbols.push_back(l.name);
      symbols.push_back(l.value);
    }
  }
  std::sort(symbols.begin(), symbols.end());
  symbols.erase(std::unique(symbols.begin(), symbols.end()), symbols.end());
  std::unordered_map<std::string_view, std::uint32_t> sym_id;
  sym_id.reserve(symbols.size());
  for (std::size_t i = 0; i < symbols.size(); ++i) sym_id[symbols[i]] = static_cast<std::uint32_t>(i);

  ByteWriter out;
  out.PutBE32(kIndexMagic);
  out.PutU8(version_);
  out.PutU8(0);
  out.PutU8(0);
  out.PutU8(0);
  std::uint64_t toc[kIndexNumSections][2];
  std::size_t section = 0;
  auto begin_section = [&] { toc[section][0] = out.size(); };
  auto end_section = [&] {
    std::uint64_t start = toc[section][0];
    toc[section][1] = out.size() - start;
    std::uint32_t crc = Crc32c(std::span<const std::uint8_t>(out.buf()).subspan(start));
    out.PutBE32(crc);
    ++section;
  };

  begin_section();  // symbols
  out.PutUvarint(symbols.size());
  for (std::string_view s : symbols) out.PutString(s);
  end_section();

  begin_section();  // series
  std::vector<std::uint64_t> series_offsets;
  series_offsets.reserve(series_.size());
  // key = name_sym << 32 | value_sym; ordered like (name, value) since ids are sorted.
  std::map<std::uint64_t, std::vector<std::uint32_t>> postings;
  std::vector<std::uint32_t>& all = postings[0];  // ("", "") is symbol 0 twice
  for (std::size_t id = 0; id < series_.size(); ++id) {
    series_offsets.push_back(out.size() - toc[section][0]);
    const model::Labels& ls = series_[id];
    out.PutUvarint(ls.size());
    for (const model::Label& l : ls) {
      std::uint32_t n = sym_id[l.name];
      std::uint32_t v = sym_id[l.value];
      out.PutUvarint(n);
      out.PutUvarint(v);
      postings[static_cast<std::uint64_t>(n) << 32 | v].push_back(static_cast<std::uint32_t>(id));
    }
    all.push_back(static_cast<std::uint32_t>(id));
    std::uint64_t from = meta_offsets_[id];
    std::uint64_t to = id + 1 < meta_offsets_.size() ? meta_offsets_[id + 1] : chunk_metas_.size();
    out.PutBytes(std::span<const std::uint8_t>(chunk_metas_).subspan(from, to - from));
  }
  end_section();

  begin_section();  // series offsets
  for (std::uint64_t off : series_offsets) out.PutBE64(off);
  end_section();

  begin_section();  // postings
  std::vector<std::pair<std::uint64_t, std::uint64_t>> table;  // key, offset
  for (const auto& [key, list] : postings) {
    table.emplace_back(key, out.size() - toc[section][0]);
    out.PutUvarint(list.size());
    std::uint32_t prev = 0;
    for (std::uint32_t id : list) {
      out.PutUvarint(id - prev);
      prev = id;
    }
  }
  end_section();

  begin_section();  // postings offset table
  out.PutUvarint(table.size());
  for (const auto& [key, off] : table) {
    out.PutUvarint(key >> 32);
    out.PutUvarint(key & 0xffffffff);
    out.PutUvarint(off);
  }
  end_section();

  std::size_t toc_start = out.size();
  for (auto& entry : toc) {
    out.PutBE64(entry[0]);
    out.PutBE64(entry[1]);
  }
  out.PutBE32(Crc32c(std::span<const std::uint8_t>(out.buf()).subspan(toc_start)));
  HW_RETURN_IF_ERROR(WriteFileSynced(path, out.buf()));
  return static_cast<std::uint64_t>(out.size());
}

}  // namespace hw::tsdb
