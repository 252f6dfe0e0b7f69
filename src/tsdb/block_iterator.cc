#include "tsdb/block_iterator.h"

#include <algorithm>

#include <fmt/format.h>

#include "tsdb/chunk.h"

namespace hw::tsdb {
namespace {

class XorSampleIterator : public storage::SampleIterator {
 public:
  explicit XorSampleIterator(std::span<const std::uint8_t> bytes) : it_(bytes) {}
  bool Next() override { return it_.Next(); }
  bool Seek(std::int64_t t) override { return it_.Seek(t); }
  model::Sample At() const override { return it_.At(); }
  Status Err() const override { return it_.Err(); }
  std::size_t NextBatch(std::span<model::Sample> buf) override {
    std::size_t n = 0;
    while (n < buf.size() && it_.Next()) buf[n++] = it_.At();
    return n;
  }

 private:
  XorIterator it_;
};

class ColumnarSampleIterator : public storage::SampleIterator {
 public:
  ColumnarSampleIterator(std::span<const std::uint8_t> payload, std::int64_t mint,
                         std::int64_t maxt)
      : it_(payload, mint, maxt) {}
  bool Next() override { return it_.Next(); }
  bool Seek(std::int64_t t) override { return it_.Seek(t); }
  model::Sample At() const override { return it_.At(); }
  Status Err() const override { return it_.Err(); }
  std::size_t NextBatch(std::span<model::Sample> buf) override { return it_.NextBatch(buf); }

 private:
  ColumnarIterator it_;  // decodes the payload when built
};

// Iterates cached decoded samples (SampleCache), clipped to [mint, maxt] by binary
// search when they are in time order. Interface as ColumnarIterator.
class DecodedSampleIterator : public storage::SampleIterator {
 public:
  DecodedSampleIterator(SampleCache::Entry d, std::int64_t mint, std::int64_t maxt)
      : d_(std::move(d)) {
    const model::Sample* b = d_->samples.data();
    const model::Sample* e = b + d_->samples.size();
    if (d_->sorted && b != e) {
      auto before = [](const model::Sample& s, std::int64_t x) { return s.t < x; };
      auto after = [](std::int64_t x, const model::Sample& s) { return x < s.t; };
      if (mint > b->t) b = std::lower_bound(b, e, mint, before);
      if (maxt < (e - 1)->t) e = std::upper_bound(b, e, maxt, after);
    }
    begin_ = b;
    n_ = static_cast<std::size_t>(e - b);
  }
  bool Next() override {
    if (!started_) {
      started_ = true;
      pos_ = 0;
    } else if (pos_ < n_) {
      ++pos_;
    }
    return pos_ < n_;
  }
  bool Seek(std::int64_t t) override {
    if (started_ && pos_ >= n_) return false;
    if (started_ && begin_[pos_].t >= t) return true;
    std::size_t from = started_ ? pos_ + 1 : 0;
    started_ = true;
    const model::Sample* first = begin_ + from;
    const model::Sample* end = begin_ + n_;
    const model::Sample* it =
        d_->sorted
            ? std::lower_bound(first, end, t,
                               [](const model::Sample& s, std::int64_t x) { return s.t < x; })
            : std::find_if(first, end, [t](const model::Sample& s) { return s.t >= t; });
    pos_ = static_cast<std::size_t>(it - begin_);
    return pos_ < n_;
  }
  model::Sample At() const override { return begin_[pos_]; }
  Status Err() const override { return Status::Ok(); }
  std::size_t NextBatch(std::span<model::Sample> buf) override {
    std::size_t from = 0;
    if (!started_) {
      started_ = true;
    } else if (pos_ < n_) {
      from = pos_ + 1;
    } else {
      return 0;
    }
    std::size_t n = std::min(buf.size(), n_ - from);
    if (n == 0) {
      pos_ = n_;
      return 0;
    }
    std::copy_n(begin_ + from, n, buf.data());
    pos_ = from + n - 1;
    return n;
  }

 private:
  SampleCache::Entry d_;
  const model::Sample* begin_ = nullptr;  // into d_->samples: the part in range
  std::size_t n_ = 0;
  std::size_t pos_ = 0;
  bool started_ = false;
};

class ErrorSampleIterator : public storage::SampleIterator {
 public:
  explicit ErrorSampleIterator(Status s) : s_(std::move(s)) {}
  bool Next() override { return false; }
  bool Seek(std::int64_t) override { return false; }
  model::Sample At() const override { return {}; }
  Status Err() const override { return s_; }

 private:
  Status s_;
};

std::unique_ptr<storage::SampleIterator> Error(Status s) {
  return std::make_unique<ErrorSampleIterator>(std::move(s));
}

// Iterates payload `index` of `batch`, which the iterator decodes at once (so the
// batch may go away afterwards), keeping the samples in [mint, maxt]. With a sample
// cache the payload is decoded whole and cached under (owner, ref, index).
std::unique_ptr<storage::SampleIterator> BatchPayload(const BatchReader& batch, std::uint32_t index,
                                                      std::int64_t mint, std::int64_t maxt,
                                                      const ChunkCaches* caches = nullptr,
                                                      ChunkRef ref = 0) {
  if (index >= batch.Count()) {
    return Error(Status::Internal(
        fmt::format("batch index {} out of range (batch holds {})", index, batch.Count())));
  }
  if (caches == nullptr || caches->samples == nullptr) {
    return std::make_unique<ColumnarSampleIterator>(batch.Payload(index), mint, maxt);
  }
  auto d = std::make_shared<DecodedSamples>();
  Status s =
      DecodeColumnarRangeInto(batch.Payload(index), std::numeric_limits<std::int64_t>::min(),
                              std::numeric_limits<std::int64_t>::max(), &d->samples, &d->sorted);
  if (!s.ok()) return Error(std::move(s));
  d->samples.shrink_to_fit();  // the cache holds it: no slack
  caches->samples->Insert(caches->owner, ref, index, d);
  return std::make_unique<DecodedSampleIterator>(std::move(d), mint, maxt);
}

}  // namespace

std::unique_ptr<storage::SampleIterator> NewChunkIterator(const ChunkView& chunk,
                                                          std::uint32_t batch_index,
                                                          std::int64_t mint, std::int64_t maxt) {
  switch (static_cast<ChunkEncoding>(chunk.encoding)) {
    case ChunkEncoding::kXor:
      return std::make_unique<XorSampleIterator>(chunk.bytes);
    case ChunkEncoding::kColumnar:
    case ChunkEncoding::kZstd:
      // The payload repeats the encoding as its first byte; the codec checks it.
      if (chunk.bytes.empty() || chunk.bytes[0] != chunk.encoding) break;
      return std::make_unique<ColumnarSampleIterator>(chunk.bytes, mint, maxt);
    case ChunkEncoding::kBatch: {
      auto batch = BatchReader::Open(chunk.bytes);
      if (!batch.ok()) return Error(batch.status());
      return BatchPayload(*batch, batch_index, mint, maxt);
    }
  }
  return Error(Status::Internal(
      fmt::format("cannot decode chunk: unknown encoding {}", chunk.encoding)));
}

std::unique_ptr<storage::SampleIterator> OpenChunk(const ChunkFileReader& chunks,
                                                   const ChunkMeta& meta,
                                                   const ChunkCaches& caches, std::int64_t mint,
                                                   std::int64_t maxt) {
  if (caches.samples != nullptr) {
    if (auto hit = caches.samples->Lookup(caches.owner, meta.ref, meta.batch_index)) {
      return std::make_unique<DecodedSampleIterator>(std::move(hit), mint, maxt);
    }
  }
  std::unique_ptr<storage::SampleIterator> it;
  BatchCache* cache = caches.batches;
  if (auto hit = cache != nullptr ? cache->Lookup(meta.ref) : nullptr) {
    it = BatchPayload(*hit, meta.batch_index, mint, maxt, &caches, meta.ref);
  } else {
    auto view = chunks.Chunk(meta.ref);  // its errors name the file already
    if (!view.ok()) return Error(view.status());
    if (view->encoding == static_cast<std::uint8_t>(ChunkEncoding::kBatch)) {
      auto batch = BatchReader::Open(view->bytes);
      if (batch.ok()) {
        auto shared = std::make_shared<const BatchReader>(std::move(*batch));
        it = BatchPayload(*shared, meta.batch_index, mint, maxt, &caches, meta.ref);
        if (cache != nullptr) cache->Insert(meta.ref, std::move(shared));
      } else {
        it = Error(batch.status());
      }
    } else if (meta.batch_index != 0) {
      it = Error(Status::Internal(fmt::format("batch index {} on a chunk of encoding {}",
                                              meta.batch_index, view->encoding)));
    } else {
      it = NewChunkIterator(*view, 0, mint, maxt);
    }
  }
  // Columnar chunks decode when opened: report their damage as a block read error.
  if (it->Err().ok()) return it;
  return Error(Status::Internal(fmt::format("cannot decode chunk {:#x}[{}] in {}: {}", meta.ref,
                                            meta.batch_index, chunks.Describe(meta.ref),
                                            it->Err().message())));
}

BlockSeriesIterator::BlockSeriesIterator(std::shared_ptr<const Block> block,
                                         std::vector<ChunkMeta> chunks, Intervals deleted,
                                         std::int64_t mint, std::int64_t maxt,
                                         std::shared_ptr<BatchCache> cache,
                                         SampleCache* samples)
    : block_(std::move(block)),
      cache_(std::move(cache)),
      samples_(samples),
      chunks_(std::move(chunks)),
      deleted_(std::move(deleted)),
      mint_(mint),
      maxt_(maxt) {}

bool BlockSeriesIterator::Fail(Status s) {
  err_ = std::move(s);
  done_ = true;
  cur_.reset();
  return false;
}

bool BlockSeriesIterator::FailChunk() {
  return Fail(Status::Internal(fmt::format(
      "cannot decode chunk {:#x} in {}: {}", cur_meta_->ref,
      block_->chunks().Describe(cur_meta_->ref), cur_->Err().message())));
}

bool BlockSeriesIterator::OpenNextFrom(std::int64_t t) {
  while (next_chunk_ < chunks_.size()) {
    const ChunkMeta& meta = chunks_[next_chunk_++];
    if (meta.maxt < t) continue;
    if (meta.mint > maxt_) break;
    cur_ = OpenChunk(block_->chunks(), meta,
                     ChunkCaches{cache_.get(), samples_, block_->cache_owner()},
                     mint_, maxt_);
    if (!cur_->Err().ok()) return Fail(cur_->Err());  // names the file already
    cur_meta_ = &meta;
    if (cur_->Seek(t)) return true;
    if (!cur_->Err().ok()) return FailChunk();
  }
  done_ = true;
  cur_.reset();
  return false;
}

bool BlockSeriesIterator::Settle(bool ok) {
  while (true) {
    if (!ok) return false;
    model::Sample s = cur_->At();
    if (s.t > maxt_) {
      done_ = true;
      cur_.reset();
      return false;
    }
    if (deleted_.empty() || !IsDeleted(deleted_, s.t)) return true;
    ok = Advance();  // skip the tombstoned sample
  }
}

bool BlockSeriesIterator::Advance() {
  std::int64_t last = cur_->At().t;
  if (cur_->Next()) return true;
  if (!cur_->Err().ok()) return FailChunk();
  if (last == INT64_MAX) return Fail(Status::Ok());
  return OpenNextFrom(last + 1);
}

bool BlockSeriesIterator::Next() {
  if (done_) return false;
  bool ok;
  if (!positioned_) {
    positioned_ = true;
    ok = OpenNextFrom(mint_);
  } else {
    ok = Advance();
  }
  return Settle(ok);
}

bool BlockSeriesIterator::Seek(std::int64_t t) {
  if (done_) return false;
  t = std::max(t, mint_);
  if (positioned_ && cur_->At().t >= t) return true;
  positioned_ = true;
  bool ok;
  if (cur_ != nullptr && cur_->Seek(t)) {
    ok = true;
  } else {
    if (cur_ != nullptr && !cur_->Err().ok()) return FailChunk();
    ok = OpenNextFrom(t);
  }
  return Settle(ok);
}

std::size_t BlockSeriesIterator::NextBatch(std::span<model::Sample> buf) {
  // Tombstones are checked sample by sample (Settle); blocks without them copy whole
  // runs out of the decoded chunk.
  if (done_ || !deleted_.empty()) return SampleIterator::NextBatch(buf);
  std::size_t n = 0;
  if (!positioned_) {
    if (!Next()) return 0;
    buf[n++] = cur_->At();
  }
  std::int64_t last = cur_->At().t;
  while (n < buf.size()) {
    std::span<model::Sample> rest = buf.subspan(n);
    std::size_t got = cur_->NextBatch(rest);
    if (got == 0) {  // the chunk is done: as Advance, then Settle
      if (!cur_->Err().ok()) {
        FailChunk();
        return n;
      }
      if (last == INT64_MAX) {
        Fail(Status::Ok());
        return n;
      }
      if (!Settle(OpenNextFrom(last + 1))) return n;
      buf[n++] = cur_->At();
      last = buf[n - 1].t;
      continue;
    }
    // As Settle: the end of the range ends iteration (only a chunk reaching past it
    // can hold such samples; OpenNextFrom trusts the metas' times the same way).
    for (std::size_t i = 0; cur_meta_->maxt > maxt_ && i < got; ++i) {
      if (rest[i].t > maxt_) {
        done_ = true;
        cur_.reset();
        return n + i;
      }
    }
    n += got;
    last = buf[n - 1].t;
  }
  return n;
}

}  // namespace hw::tsdb
