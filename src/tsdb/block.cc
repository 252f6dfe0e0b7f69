#include "tsdb/block.h"

#include <filesystem>

#include <fmt/format.h>

#include "tsdb/mmap.h"

namespace hw::tsdb {

namespace fs = std::filesystem;

Result<std::shared_ptr<Block>> Block::Open(const std::string& dir) {
  auto block = std::shared_ptr<Block>(new Block());
  block->dir_ = dir;
  while (block->dir_.size() > 1 && block->dir_.back() == '/') block->dir_.pop_back();
  auto meta = ReadBlockMeta(dir);
  if (!meta.ok()) return meta.status().Wrap(fmt::format("cannot open block {}", dir));
  block->meta_ = std::move(*meta);
  auto index = IndexReader::Open(dir + "/index");
  if (!index.ok()) return index.status().Wrap(fmt::format("cannot open block {}", dir));
  block->index_ = std::move(*index);
  auto chunks = ChunkFileReader::Open(dir + "/chunks");
  if (!chunks.ok()) return chunks.status().Wrap(fmt::format("cannot open block {}", dir));
  block->chunks_ = std::move(*chunks);
  auto tombstones = ReadTombstones(dir);
  if (!tombstones.ok()) return tombstones.status().Wrap(fmt::format("cannot open block {}", dir));
  block->tombstones_ = std::make_shared<const TombstoneMap>(std::move(*tombstones));
  return block;
}

Block::~Block() {
  // The last reference is going away: no other thread can hold mu_.
  SampleCache::Shared().EraseOwner(cache_owner_);
  index_.reset();
  chunks_.reset();
  if (deleted_) {
    std::error_code ec;
    fs::remove_all(deleted_dir_, ec);  // best effort: a leftover `.deleted` dir is removed on open
  }
}

std::shared_ptr<const TombstoneMap> Block::tombstones() const {
  std::lock_guard lock(mu_);
  return tombstones_;
}

Status Block::Delete(const std::vector<model::Matcher>& matchers, std::int64_t mint,
                     std::int64_t maxt) {
  if (maxt < mint) return Status::Ok();
  auto postings = index_->ForMatchers(matchers);
  if (!postings.ok()) return postings.status();
  std::lock_guard lock(mu_);
  if (deleted_) return Status::NotFound(fmt::format("cannot delete from block {}: block was deleted", dir_));
  auto next = std::make_shared<TombstoneMap>(*tombstones_);
  for (SeriesRef id : *postings) AddInterval(&(*next)[id], {mint, maxt});
  HW_RETURN_IF_ERROR(WriteTombstones(dir_, *next));
  tombstones_ = std::move(next);
  return Status::Ok();
}

Status Block::MarkDeleted() {
  std::lock_guard lock(mu_);
  if (deleted_) return Status::Ok();
  std::string target = dir_ + ".deleted";
  HW_RETURN_IF_ERROR(RenameSynced(dir_, target));
  deleted_dir_ = target;
  deleted_ = true;
  return Status::Ok();
}

}  // namespace hw::tsdb
