#include "tsdb/tombstones.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "tsdb/block_encoding.h"
#include "tsdb/mmap.h"

namespace hw::tsdb {
namespace {

// Whether a < b - 1, i.e. [.., a] and [b, ..] neither overlap nor touch (no overflow).
bool Apart(std::int64_t a, std::int64_t b) {
  return a < b && static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(a) > 1;
}

constexpr std::uint32_t kTombstonesMagic = 0x48575453;  // "HWTS"
constexpr std::uint8_t kTombstonesVersion = 1;

}  // namespace

void AddInterval(Intervals* list, Interval iv) {
  Intervals out;
  out.reserve(list->size() + 1);
  bool placed = false;
  for (const Interval& cur : *list) {
    // Disjoint and not touching (maxt + 1 < mint, careful with overflow).
    if (Apart(cur.maxt, iv.mint)) {
      out.push_back(cur);
    } else if (Apart(iv.maxt, cur.mint)) {
      if (!placed) {
        out.push_back(iv);
        placed = true;
      }
      out.push_back(cur);
    } else {
      iv.mint = std::min(iv.mint, cur.mint);
      iv.maxt = std::max(iv.maxt, cur.maxt);
    }
  }
  if (!placed) out.push_back(iv);
  *list = std::move(out);
}

bool IsDeleted(const Intervals& list, std::int64_t t) {
  auto it = std::lower_bound(list.begin(), list.end(), t,
                             [](const Interval& iv, std::int64_t x) { return iv.maxt < x; });
  return it != list.end() && it->mint <= t;
}

bool Covers(const Intervals& list, std::int64_t mint, std::int64_t maxt) {
  // Intervals are disjoint and non-adjacent, so one of them must hold the whole range.
  auto it = std::lower_bound(list.begin(), list.end(), mint,
                             [](const Interval& iv, std::int64_t x) { return iv.maxt < x; });
  return it != list.end() && it->mint <= mint && maxt <= it->maxt;
}

Status WriteTombstones(const std::string& block_dir, const TombstoneMap& tombstones) {
  std::string path = block_dir + "/" + kTombstonesFileName;
  if (tombstones.empty()) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    if (ec) return Status::Internal(fmt::format("cannot remove {}: {}", path, ec.message()));
    return SyncDir(block_dir);
  }
  ByteWriter w;
  w.PutBE32(kTombstonesMagic);
  w.PutU8(kTombstonesVersion);
  w.PutU8(0);
  w.PutU8(0);
  w.PutU8(0);
  w.PutUvarint(tombstones.size());
  storage::SeriesRef prev = 0;
  for (const auto& [ref, intervals] : tombstones) {
    w.PutUvarint(ref - prev);
    prev = ref;
    w.PutUvarint(intervals.size());
    for (const Interval& iv : intervals) {
      w.PutVarint(iv.mint);
      w.PutUvarint(static_cast<std::uint64_t>(iv.maxt) - static_cast<std::uint64_t>(iv.mint));
    }
  }
  w.PutBE32(Crc32c(w.buf()));
  std::string tmp = path + ".tmp";
  HW_RETURN_IF_ERROR(WriteFileSynced(tmp, w.buf()));
  return RenameSynced(tmp, path);
}

Result<TombstoneMap> ReadTombstones(const std::string& block_dir) {
  std::string path = block_dir + "/" + kTombstonesFileName;
  auto file = MmapFile::Open(path);
  if (!file.ok()) {
    if (file.status().code() == StatusCode::kNotFound) return TombstoneMap();
    return file.status();
  }
  auto data = (*file)->data();
  auto corrupt = [&](std::string_view what, std::size_t off) {
    return Status::Internal(fmt::format("cannot read tombstones {}: {} at offset {}", path, what, off));
  };
  if (data.size() < 12) return corrupt("file too short", 0);
  if (LoadBE32(data.data()) != kTombstonesMagic) return corrupt("bad magic", 0);
  if (data[4] != kTombstonesVersion) return corrupt("unsupported version", 4);
  std::size_t body = data.size() - 4;
  if (Crc32c(data.first(body)) != LoadBE32(data.data() + body)) return corrupt("checksum mismatch", body);
  ByteReader r(data.subspan(8, body - 8));
  TombstoneMap out;
  std::uint64_t n = r.Uvarint();
  storage::SeriesRef ref = 0;
  for (std::uint64_t i = 0; r.ok() && i < n; ++i) {
    std::size_t at = 8 + r.pos();
    std::uint64_t d = r.Uvarint();
    if (i > 0 && d == 0) return corrupt("unsorted series", at);
    ref += d;
    std::uint64_t k = r.Uvarint();
    if (k > r.remaining()) return corrupt("bad interval count", at);
    Intervals& list = out[ref];
    for (std::uint64_t j = 0; r.ok() && j < k; ++j) {
      Interval iv;
      iv.mint = r.Varint();
      iv.maxt = static_cast<std::int64_t>(static_cast<std::uint64_t>(iv.mint) + r.Uvarint());
      AddInterval(&list, iv);
    }
  }
  if (!r.ok() || !r.done()) return corrupt("malformed body", 8 + r.pos());
  return out;
}

}  // namespace hw::tsdb
