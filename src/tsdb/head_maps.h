// The head's two series maps, built for memory: a hash set of series keyed by their
// labels' hash, and a table from series reference to series.
//
// The standard node-based maps they replace cost a node (and, for the hash map, a
// vector of collisions) per series — about 90 bytes a series between them; these cost
// about 14 (SeriesHashSet: one pointer per slot at 3/8 to 3/4 load) and 16 (SeriesRefTable:
// one shared_ptr per reference, in pages that are freed once empty).
//
// Thread-safety: none; the head guards each instance with a stripe mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "tsdb/head_series.h"

namespace hw::tsdb {

// Open addressing with linear probing over MemSeries pointers; a series' key is
// labels().Hash(), and series whose labels collide on the hash simply occupy several
// slots (lookups compare the labels). Removal shifts later entries back, so there are
// no tombstones. Does not own the series.
class SeriesHashSet {
 public:
  // The series with exactly these labels, or null.
  MemSeries* Find(const model::Labels& labels) const;
  // The same for canonical label pairs whose Labels::HashPairs is `hash`.
  MemSeries* FindPairs(std::uint64_t hash,
                       std::span<const std::pair<std::string_view, std::string_view>> pairs) const;
  // Adds s (the caller checked that its labels are not present).
  void Insert(MemSeries* s);
  // Removes s (by identity); false if absent.
  bool Erase(const MemSeries* s);
  std::size_t size() const { return size_; }

 private:
  // Low bits of the hash pick the head's stripe; use the high ones for the slot.
  static std::size_t Home(std::uint64_t hash, std::size_t mask) { return (hash >> 20) & mask; }
  void Rehash(std::size_t capacity);

  std::vector<MemSeries*> slots_;  // size is zero or a power of two; null = free
  std::size_t size_ = 0;
};

// Reference -> series. The head gives each stripe every kStripes-th reference, so the
// caller passes a dense index (ref / kStripes); indexes fall into pages of kPageSlots
// and a page is freed when its last series goes, so memory follows the live series,
// not every reference ever handed out. Owns a reference to each series.
class SeriesRefTable {
 public:
  // The series at index i, or null.
  const std::shared_ptr<MemSeries>* Find(std::uint64_t i) const;
  // Stores s at index i (which must be free).
  void Insert(std::uint64_t i, std::shared_ptr<MemSeries> s);
  // Clears index i; false if it was free.
  bool Erase(std::uint64_t i);

 private:
  // 64 slots (1 KiB) a page: small enough that the partly filled last page of each
  // of the head's 128 stripes wastes little, large enough that the page map is tiny.
  static constexpr std::size_t kPageSlots = 64;
  struct Page {
    std::shared_ptr<MemSeries> slots[kPageSlots];
    std::size_t live = 0;
  };
  // Page number -> page. A map rather than a vector so that one huge (e.g. corrupt)
  // reference in a WAL cannot make the table allocate for every index below it.
  std::unordered_map<std::uint64_t, std::unique_ptr<Page>> pages_;
  // The last page looked up, to skip the map when references arrive in order.
  mutable std::uint64_t last_no_ = ~std::uint64_t{0};
  mutable Page* last_page_ = nullptr;
};

}  // namespace hw::tsdb
