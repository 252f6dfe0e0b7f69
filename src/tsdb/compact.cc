#include "tsdb/compact.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "tsdb/block_merge_querier.h"
#include "tsdb/block_querier.h"

namespace hw::tsdb {

Result<std::string> CompactBlocks(std::vector<std::shared_ptr<Block>> inputs,
                                  const std::string& out_parent_dir,
                                  const CompactOptions& options) {
  if (inputs.empty()) return Status::BadData("cannot compact blocks: no input blocks");
  std::sort(inputs.begin(), inputs.end(), [](const auto& a, const auto& b) {
    return std::pair(a->meta().min_time, a->meta().ulid) < std::pair(b->meta().min_time, b->meta().ulid);
  });
  BlockMeta meta;
  meta.min_time = inputs.front()->meta().min_time;
  meta.max_time = inputs.front()->meta().max_time;
  meta.compaction.level = 0;
  std::vector<std::string> names;
  for (const auto& b : inputs) {
    const BlockMeta& m = b->meta();
    meta.min_time = std::min(meta.min_time, m.min_time);
    meta.max_time = std::max(meta.max_time, m.max_time);
    meta.compaction.level = std::max(meta.compaction.level, m.compaction.level + 1);
    meta.compaction.parents.push_back(m.ulid);
    meta.compaction.sources.insert(meta.compaction.sources.end(), m.compaction.sources.begin(),
                                   m.compaction.sources.end());
    names.push_back(m.ulid);
  }
  auto& sources = meta.compaction.sources;
  std::sort(sources.begin(), sources.end());
  sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
  auto wrap = [&](const Status& s) {
    return s.Wrap(fmt::format("cannot compact blocks {}", fmt::join(names, ",")));
  };

  std::vector<std::unique_ptr<storage::Querier>> queriers;
  for (const auto& b : inputs) {
    queriers.push_back(std::make_unique<BlockQuerier>(b, meta.min_time, meta.max_time - 1));
  }
  MergeQuerier merged(std::move(queriers));
  auto writer = BlockWriter::Create(out_parent_dir, NewUlid(), options.writer);
  if (!writer.ok()) return wrap(writer.status());

  auto set = merged.Select({}, meta.min_time, meta.max_time - 1, nullptr);
  // The merged samples go to the writer as samples, so columnar output never takes a
  // detour through XOR chunks.
  std::vector<model::Sample> samples;
  while (set->Next()) {
    const storage::Series& series = set->At();
    samples.clear();
    auto it = series.Iterator();
    while (it->Next()) samples.push_back(it->At());
    if (!it->Err().ok()) return wrap(it->Err());
    Status st = (*writer)->AddSeriesSamples(series.labels(), samples);
    if (!st.ok()) return wrap(st);
  }
  if (!set->Err().ok()) return wrap(set->Err());
  auto dir = (*writer)->Finish(std::move(meta));
  if (!dir.ok()) return wrap(dir.status());
  return dir;
}

}  // namespace hw::tsdb
