#include "tsdb/compact_plan.h"

#include <algorithm>
#include <map>
#include <set>

namespace hw::tsdb {
namespace {

std::vector<const BlockMeta*> SortedByMinTime(const std::vector<BlockMeta>& metas) {
  std::vector<const BlockMeta*> out;
  out.reserve(metas.size());
  for (const BlockMeta& m : metas) out.push_back(&m);
  std::sort(out.begin(), out.end(), [](const BlockMeta* a, const BlockMeta* b) {
    return std::pair(a->min_time, a->ulid) < std::pair(b->min_time, b->ulid);
  });
  return out;
}

std::vector<std::string> Ulids(const std::vector<const BlockMeta*>& group) {
  std::vector<std::string> out;
  out.reserve(group.size());
  for (const BlockMeta* m : group) out.push_back(m->ulid);
  return out;
}

// floor(t / r) * r, also for negative t.
std::int64_t AlignDown(std::int64_t t, std::int64_t r) {
  std::int64_t q = t / r;
  if (t % r != 0 && t < 0) --q;
  return q * r;
}

}  // namespace

std::vector<std::int64_t> ExponentialRanges(std::int64_t min, int steps, std::int64_t factor) {
  std::vector<std::int64_t> out;
  std::int64_t r = min;
  for (int i = 0; i < steps; ++i) {
    out.push_back(r);
    r *= factor;
  }
  return out;
}

std::vector<std::string> PlanCompaction(const std::vector<BlockMeta>& metas,
                                        const std::vector<std::int64_t>& ranges) {
  std::vector<const BlockMeta*> sorted = SortedByMinTime(metas);
  if (sorted.size() < 2) return {};

  // 1. Overlaps: [min, max) ranges that intersect, chained.
  for (std::size_t i = 0; i < sorted.size();) {
    std::vector<const BlockMeta*> group{sorted[i]};
    std::int64_t group_max = sorted[i]->max_time;
    std::size_t j = i + 1;
    for (; j < sorted.size() && sorted[j]->min_time < group_max; ++j) {
      group.push_back(sorted[j]);
      group_max = std::max(group_max, sorted[j]->max_time);
    }
    if (group.size() > 1) return Ulids(group);
    i = j;
  }

  // 2. Leveled: the first full (or passed) window of each larger range.
  std::int64_t newest_min = sorted.back()->min_time;
  for (std::size_t k = 1; k < ranges.size(); ++k) {
    std::int64_t r = ranges[k];
    if (r <= 0) continue;
    std::map<std::int64_t, std::vector<const BlockMeta*>> windows;
    for (const BlockMeta* m : sorted) {
      std::int64_t start = AlignDown(m->min_time, r);
      if (m->max_time > start + r) continue;  // does not fit in one window
      windows[start].push_back(m);
    }
    for (const auto& [start, group] : windows) {
      if (group.size() < 2) continue;
      bool spans = group.front()->min_time == start && group.back()->max_time == start + r;
      if (spans || start + r <= newest_min) return Ulids(group);
    }
  }
  return {};
}

std::vector<std::string> RetentionPlan(const std::vector<BlockMeta>& metas,
                                       std::int64_t retention_time_ms,
                                       std::uint64_t retention_bytes, std::int64_t now_ms) {
  std::vector<const BlockMeta*> newest_first;
  for (const BlockMeta& m : metas) newest_first.push_back(&m);
  std::sort(newest_first.begin(), newest_first.end(), [](const BlockMeta* a, const BlockMeta* b) {
    return std::pair(a->max_time, a->ulid) > std::pair(b->max_time, b->ulid);
  });
  std::set<const BlockMeta*> doomed;
  std::uint64_t total = 0;
  bool over = false;
  for (const BlockMeta* m : newest_first) {
    if (retention_time_ms > 0 && m->max_time <= now_ms - retention_time_ms) doomed.insert(m);
    if (retention_bytes > 0) {
      total += m->stats.num_bytes;
      if (total > retention_bytes) over = true;
      if (over) doomed.insert(m);
    }
  }
  std::vector<std::string> out;
  for (auto it = newest_first.rbegin(); it != newest_first.rend(); ++it) {
    if (doomed.contains(*it)) out.push_back((*it)->ulid);
  }
  return out;
}

}  // namespace hw::tsdb
