// BlockWriter's sample paths: decoding incoming chunks, the batched columnar encoding
// (payloads into BatchBuilder, kBatch records into the chunk file, index entries once
// their record's ref is known) and XOR cutting for AddSeriesSamples in kXor mode.
#include <algorithm>
#include <deque>
#include <optional>

#include <fmt/format.h>

#include "tsdb/block_iterator.h"
#include "tsdb/block_writer.h"
#include "tsdb/chunk.h"

namespace hw::tsdb {

Status BlockWriter::DecodeChunks(const model::Labels& labels, std::span<const ChunkMeta> chunks,
                                 std::vector<model::Sample>* out) {
  out->clear();
  // BlockSeriesIterator's rule: after a chunk ends at t, the next chunk is read from
  // its first sample >= t + 1, and a chunk whose maxt is below that is skipped.
  std::optional<std::int64_t> from;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const ChunkMeta& c = chunks[i];
    if (from.has_value() && c.maxt < *from) continue;
    auto it = NewChunkIterator(ChunkView{c.encoding, c.bytes}, c.batch_index);
    bool ok = from.has_value() ? it->Seek(*from) : it->Next();
    for (; ok; ok = it->Next()) out->push_back(it->At());
    if (!it->Err().ok()) {
      return it->Err().Wrap(fmt::format("cannot add series {} to block: chunk {}",
                                        labels.ToString(), i));
    }
    if (out->empty()) continue;
    if (out->back().t == INT64_MAX) break;
    from = out->back().t + 1;
  }
  return Status::Ok();
}

Status BlockWriter::AddSeriesSamples(const model::Labels& labels,
                                     std::span<const model::Sample> samples) {
  HW_RETURN_IF_ERROR(CheckOrder(labels));
  if (samples.empty()) return Status::Ok();
  if (options_.encoding == BlockEncoding::kColumnarBatched) return AddBatched(labels, samples);
  // kXor: cut chunks as the head does (XorChunk::IsFull: 120 samples or ~1 KiB).
  std::deque<XorChunk> chunks;  // deque: appenders point into stable elements
  std::vector<ChunkMeta> metas;
  std::optional<XorAppender> app;
  for (const model::Sample& s : samples) {
    if (chunks.empty() || chunks.back().IsFull()) {
      chunks.emplace_back();
      auto a = chunks.back().NewAppender();
      if (!a.ok()) return a.status();
      app.emplace(std::move(*a));
      metas.emplace_back();
      metas.back().mint = s.t;
      metas.back().maxt = s.t;
    }
    if (!app->Append(s.t, s.v)) return Status::Internal("cannot append to chunk: chunk full");
    metas.back().mint = std::min(metas.back().mint, s.t);
    metas.back().maxt = std::max(metas.back().maxt, s.t);
    ++metas.back().num_samples;
  }
  for (std::size_t i = 0; i < chunks.size(); ++i) metas[i].bytes = chunks[i].Bytes();
  return AddSeries(labels, metas);
}

Status BlockWriter::AddBatched(const model::Labels& labels,
                               std::span<const model::Sample> samples) {
  if (samples.empty()) return Status::Ok();
  // Metas first, so that a rejected series leaves nothing behind.
  Pending p{labels, {}};
  for (std::size_t from = 0; from < samples.size(); from += kMaxSamplesPerChunk) {
    auto piece = samples.subspan(from, std::min(kMaxSamplesPerChunk, samples.size() - from));
    auto [lo, hi] = std::minmax_element(piece.begin(), piece.end(),
                                        [](const auto& a, const auto& b) { return a.t < b.t; });
    ChunkMeta meta;
    meta.encoding = static_cast<std::uint8_t>(ChunkEncoding::kBatch);
    meta.mint = lo->t;
    meta.maxt = hi->t;
    meta.num_samples = static_cast<std::uint32_t>(piece.size());
    if (!p.metas.empty() && meta.mint < p.metas.back().mint) {
      return Status::BadData(fmt::format(
          "cannot add series {} to block: samples out of time order across chunks of {}",
          labels.ToString(), kMaxSamplesPerChunk));
    }
    p.metas.push_back(meta);
  }
  for (const ChunkMeta& c : p.metas) Account(c);
  ++stats_.num_series;
  last_ = labels;
  pending_.push_back(std::move(p));
  // Payloads go in one by one, so a long series may span batches; its index entry is
  // written by the flush that resolves its last payload (until then pending_.back()
  // is this series).
  std::size_t n = pending_.back().metas.size();
  std::size_t from = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ChunkMeta& meta = pending_.back().metas[i];
    auto piece = samples.subspan(from, meta.num_samples);
    from += meta.num_samples;
    meta.batch_index = static_cast<std::uint32_t>(batch_.Add(EncodeColumnar(piece)));
    pending_.back().added = i + 1;
    if (batch_.RawBytes() >= BatchBuilder::kTargetRawBytes) HW_RETURN_IF_ERROR(FlushBatch());
  }
  return Status::Ok();
}

Status BlockWriter::FlushBatch() {
  if (batch_.Count() > 0) {
    std::vector<std::uint8_t> record = batch_.Finish(options_.zstd_level);
    auto ref = chunks_->Write(static_cast<std::uint8_t>(ChunkEncoding::kBatch), record);
    if (!ref.ok()) return ref.status();
    // Every added but unresolved payload is in this batch (batches go in order).
    for (Pending& p : pending_) {
      for (; p.resolved < p.added; ++p.resolved) p.metas[p.resolved].ref = *ref;
    }
  }
  while (!pending_.empty() && pending_.front().resolved == pending_.front().metas.size()) {
    HW_RETURN_IF_ERROR(index_.AddSeries(pending_.front().labels, pending_.front().metas));
    pending_.pop_front();
  }
  return Status::Ok();
}

}  // namespace hw::tsdb
