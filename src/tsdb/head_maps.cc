#include "tsdb/head_maps.h"

#include <utility>

namespace hw::tsdb {

MemSeries* SeriesHashSet::Find(const model::Labels& labels) const {
  if (slots_.empty()) return nullptr;
  std::size_t mask = slots_.size() - 1;
  std::uint64_t hash = labels.Hash();
  for (std::size_t i = Home(hash, mask);; i = (i + 1) & mask) {
    MemSeries* s = slots_[i];
    if (s == nullptr) return nullptr;
    if (s->labels().Hash() == hash && s->labels() == labels) return s;
  }
}

MemSeries* SeriesHashSet::FindPairs(
    std::uint64_t hash, std::span<const std::pair<std::string_view, std::string_view>> pairs) const {
  if (slots_.empty()) return nullptr;
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = Home(hash, mask);; i = (i + 1) & mask) {
    MemSeries* s = slots_[i];
    if (s == nullptr) return nullptr;
    if (s->labels().Hash() == hash && s->labels().EqualsPairs(pairs)) return s;
  }
}

void SeriesHashSet::Insert(MemSeries* s) {
  // Grow at 3/4 load; start at 8 slots.
  if ((size_ + 1) * 4 > slots_.size() * 3) Rehash(slots_.empty() ? 8 : slots_.size() * 2);
  std::size_t mask = slots_.size() - 1;
  std::size_t i = Home(s->labels().Hash(), mask);
  while (slots_[i] != nullptr) i = (i + 1) & mask;
  slots_[i] = s;
  ++size_;
}

bool SeriesHashSet::Erase(const MemSeries* s) {
  if (slots_.empty()) return false;
  std::size_t mask = slots_.size() - 1;
  std::size_t i = Home(s->labels().Hash(), mask);
  while (slots_[i] != s) {
    if (slots_[i] == nullptr) return false;
    i = (i + 1) & mask;
  }
  // Backward-shift deletion: move later members of the probe run into the hole when
  // their home slot does not lie (cyclically) in (hole, their slot].
  slots_[i] = nullptr;
  for (std::size_t j = (i + 1) & mask; slots_[j] != nullptr; j = (j + 1) & mask) {
    std::size_t home = Home(slots_[j]->labels().Hash(), mask);
    bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (stays) continue;
    slots_[i] = slots_[j];
    slots_[j] = nullptr;
    i = j;
  }
  --size_;
  // Halve below 1/8 load (leaving at most 1/4), so a burst of removals gives memory back.
  if (slots_.size() > 8 && size_ * 8 < slots_.size()) Rehash(slots_.size() / 2);
  return true;
}

void SeriesHashSet::Rehash(std::size_t capacity) {
  std::vector<MemSeries*> old = std::exchange(slots_, std::vector<MemSeries*>(capacity, nullptr));
  std::size_t mask = capacity - 1;
  for (MemSeries* s : old) {
    if (s == nullptr) continue;
    std::size_t i = Home(s->labels().Hash(), mask);
    while (slots_[i] != nullptr) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

const std::shared_ptr<MemSeries>* SeriesRefTable::Find(std::uint64_t i) const {
  std::uint64_t no = i / kPageSlots;
  Page* page;
  if (no == last_no_) {
    page = last_page_;
  } else {
    auto it = pages_.find(no);
    if (it == pages_.end()) return nullptr;
    page = it->second.get();
    last_no_ = no;
    last_page_ = page;
  }
  const std::shared_ptr<MemSeries>& s = page->slots[i % kPageSlots];
  return s ? &s : nullptr;
}

void SeriesRefTable::Insert(std::uint64_t i, std::shared_ptr<MemSeries> s) {
  std::unique_ptr<Page>& page = pages_[i / kPageSlots];
  if (!page) page = std::make_unique<Page>();
  std::shared_ptr<MemSeries>& slot = page->slots[i % kPageSlots];
  if (!slot) ++page->live;
  slot = std::move(s);
}

bool SeriesRefTable::Erase(std::uint64_t i) {
  std::uint64_t no = i / kPageSlots;
  auto it = pages_.find(no);
  if (it == pages_.end()) return false;
  std::shared_ptr<MemSeries>& slot = it->second->slots[i % kPageSlots];
  if (!slot) return false;
  slot.reset();
  if (--it->second->live == 0) {
    if (last_no_ == no) {
      last_no_ = ~std::uint64_t{0};
      last_page_ = nullptr;
    }
    pages_.erase(it);
  }
  return true;
}

}  // namespace hw::tsdb
