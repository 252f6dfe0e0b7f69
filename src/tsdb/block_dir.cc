#include "tsdb/block_dir.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "tsdb/ulid.h"

namespace hw::tsdb {

namespace fs = std::filesystem;

std::vector<std::string> SupersededBlocks(const std::vector<BlockMeta>& metas) {
  std::set<std::string> present;
  for (const BlockMeta& m : metas) present.insert(m.ulid);
  std::set<std::string> out;
  for (const BlockMeta& m : metas) {
    for (const std::string& p : m.compaction.parents) {
      if (p != m.ulid && present.contains(p)) out.insert(p);
    }
  }
  return {out.begin(), out.end()};
}

Result<std::vector<std::shared_ptr<Block>>> OpenBlocks(const std::string& parent_dir) {
  std::vector<std::string> dirs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(parent_dir, ec)) {
    if (!entry.is_directory()) continue;
    std::string name = entry.path().filename().string();
    std::string_view base = name;
    bool leftover = false;
    for (std::string_view suffix : {".tmp", ".deleted"}) {
      if (base.ends_with(suffix)) {
        base.remove_suffix(suffix.size());
        leftover = true;
      }
    }
    if (!Ulid::Parse(base).ok()) continue;
    if (leftover) {
      fs::remove_all(entry.path(), ec);
      if (ec) return Status::Internal(fmt::format("cannot remove {}: {}", entry.path().string(), ec.message()));
      continue;
    }
    dirs.push_back(entry.path().string());
  }
  if (ec) return Status::Internal(fmt::format("cannot list {}: {}", parent_dir, ec.message()));

  std::vector<std::shared_ptr<Block>> blocks;
  std::vector<BlockMeta> metas;
  for (const std::string& dir : dirs) {
    auto b = Block::Open(dir);
    if (!b.ok()) return b.status();
    metas.push_back((*b)->meta());
    blocks.push_back(std::move(*b));
  }
  std::vector<std::string> superseded = SupersededBlocks(metas);
  if (!superseded.empty()) {
    std::vector<std::shared_ptr<Block>> kept;
    for (auto& b : blocks) {
      if (std::binary_search(superseded.begin(), superseded.end(), b->meta().ulid)) {
        HW_RETURN_IF_ERROR(b->MarkDeleted());  // removed as `b` goes out of scope
      } else {
        kept.push_back(std::move(b));
      }
    }
    blocks = std::move(kept);
  }
  std::sort(blocks.begin(), blocks.end(), [](const auto& a, const auto& b) {
    return std::pair(a->meta().min_time, a->meta().ulid) < std::pair(b->meta().min_time, b->meta().ulid);
  });
  return blocks;
}

}  // namespace hw::tsdb
