// BlockWriter: directory lifecycle, series validation, the kXor path and Finish. The
// batched columnar path is in block_writer_batch.cc.
#include "tsdb/block_writer.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "tsdb/mmap.h"

namespace hw::tsdb {

namespace fs = std::filesystem;

Result<std::unique_ptr<BlockWriter>> BlockWriter::Create(const std::string& parent_dir, Ulid ulid,
                                                         BlockWriterOptions options) {
  auto w = std::unique_ptr<BlockWriter>(new BlockWriter());
  w->parent_dir_ = parent_dir;
  w->ulid_ = ulid;
  w->options_ = options;
  w->tmp_dir_ = parent_dir + "/" + ulid.ToString() + ".tmp";
  std::error_code ec;
  fs::remove_all(w->tmp_dir_, ec);
  fs::create_directories(w->tmp_dir_ + "/chunks", ec);
  if (ec) {
    return Status::Internal(fmt::format("cannot create block directory {}: {}", w->tmp_dir_, ec.message()));
  }
  w->chunks_ = std::make_unique<ChunkFileWriter>(w->tmp_dir_ + "/chunks", options.max_segment_size);
  return w;
}

BlockWriter::~BlockWriter() {
  if (!finished_ && !tmp_dir_.empty()) {
    chunks_.reset();
    std::error_code ec;
    fs::remove_all(tmp_dir_, ec);
  }
}

Status BlockWriter::CheckOrder(const model::Labels& labels) const {
  if (finished_) return Status::Internal("cannot add series to block: writer already finished");
  if (labels.empty()) return Status::BadData("cannot add series to block: empty label set");
  if (!last_.empty() && !(last_ < labels)) {
    return Status::BadData(fmt::format("cannot add series {} to block: not after {} in label order",
                                       labels.ToString(), last_.ToString()));
  }
  return Status::Ok();
}

void BlockWriter::Account(const ChunkMeta& c) {
  stats_.num_samples += c.num_samples;
  ++stats_.num_chunks;
  min_t_ = std::min(min_t_, c.mint);
  max_t_ = std::max(max_t_, c.maxt);
}

Status BlockWriter::AddSeries(const model::Labels& labels, std::span<const ChunkMeta> chunks) {
  HW_RETURN_IF_ERROR(CheckOrder(labels));
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    if (chunks[i].maxt < chunks[i].mint || (i > 0 && chunks[i].mint < chunks[i - 1].mint)) {
      return Status::BadData(fmt::format("cannot add series {} to block: chunk {} out of order",
                                         labels.ToString(), i));
    }
  }
  if (chunks.empty()) return Status::Ok();
  if (options_.encoding == BlockEncoding::kXor) return WriteChunks(labels, chunks);
  HW_RETURN_IF_ERROR(DecodeChunks(labels, chunks, &samples_));
  return AddBatched(labels, samples_);
}

Status BlockWriter::WriteChunks(const model::Labels& labels, std::span<const ChunkMeta> chunks) {
  scratch_.assign(chunks.begin(), chunks.end());
  for (ChunkMeta& c : scratch_) {
    auto ref = chunks_->Write(c.encoding, c.bytes);
    if (!ref.ok()) return ref.status();
    c.ref = *ref;
    c.batch_index = 0;
  }
  HW_RETURN_IF_ERROR(index_.AddSeries(labels, scratch_));
  for (const ChunkMeta& c : scratch_) Account(c);
  ++stats_.num_series;
  last_ = labels;
  return Status::Ok();
}

Result<std::string> BlockWriter::Finish(BlockMeta meta) {
  if (finished_) return Status::Internal("cannot finish block: writer already finished");
  HW_RETURN_IF_ERROR(FlushBatch());
  if (!pending_.empty()) return Status::Internal("cannot finish block: series left unindexed");
  HW_RETURN_IF_ERROR(chunks_->Finish());
  HW_RETURN_IF_ERROR(SyncDir(tmp_dir_ + "/chunks"));
  auto index_size = index_.Finish(tmp_dir_ + "/index");
  if (!index_size.ok()) return index_size.status();

  meta.ulid = ulid_.ToString();
  meta.version = BlockMeta::kVersion;
  if (meta.min_time == 0 && meta.max_time == 0 && stats_.num_chunks > 0) {
    meta.min_time = min_t_;
    meta.max_time = max_t_ + 1;
  }
  stats_.num_bytes = chunks_->total_bytes() + *index_size;
  meta.stats = stats_;
  if (meta.compaction.sources.empty()) meta.compaction.sources.push_back(meta.ulid);
  HW_RETURN_IF_ERROR(WriteBlockMeta(tmp_dir_, meta));
  HW_RETURN_IF_ERROR(SyncDir(tmp_dir_));

  std::string final_dir = parent_dir_ + "/" + meta.ulid;
  HW_RETURN_IF_ERROR(RenameSynced(tmp_dir_, final_dir));
  finished_ = true;
  return final_dir;
}

}  // namespace hw::tsdb
