// zstd framing of series payloads (kZstd), batches of payloads in one frame (kBatch),
// and the id dispatch of DecodeColumnarInto. docs/format/codec.md specifies the bytes.
#include <limits>
#include <memory>

#include <fmt/format.h>
#include <zstd.h>

#include "tsdb/codec.h"
#include "tsdb/codec_internal.h"
#include "tsdb/codec_varint.h"

namespace hw::tsdb {
namespace {

using codec_internal::ByteReader;

// Largest decompressed size a reader accepts for one frame: a bound on what a corrupt
// length field can make it allocate. Batches target 64 KiB and the largest legal
// columnar payload (kCodecMaxSamples) is far below this.
constexpr std::uint64_t kMaxRawBytes = std::uint64_t{1} << 28;

enum class BatchCompression : std::uint8_t { kNone = 0, kZstd = 1 };

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

// Compression contexts are reused per thread: creating one costs more than
// compressing a typical 500-byte payload.
void AppendCompressed(std::span<const std::uint8_t> src, int level,
                      std::vector<std::uint8_t>* out) {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> cctx(ZSTD_createCCtx());
  std::size_t at = out->size();
  out->resize(at + ZSTD_compressBound(src.size()));
  std::size_t n = ZSTD_compressCCtx(cctx.get(), out->data() + at, out->size() - at, src.data(),
                                    src.size(), level);
  if (ZSTD_isError(n)) std::abort();  // only on allocation failure or a bad bound: bugs
  out->resize(at + n);
}

// Decompresses the frame `src`, which must hold exactly `raw_len` bytes of content.
Status Decompress(std::span<const std::uint8_t> src, std::uint64_t raw_len,
                  std::vector<std::uint8_t>* out, std::string_view what) {
  if (raw_len > kMaxRawBytes) {
    return Status::BadData(fmt::format("cannot decode {}: raw length {} is over the limit of {}",
                                       what, raw_len, kMaxRawBytes));
  }
  unsigned long long content = ZSTD_getFrameContentSize(src.data(), src.size());
  if (content != raw_len) {
    return Status::BadData(fmt::format(
        "cannot decode {}: zstd frame header does not declare the raw length {}", what, raw_len));
  }
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> dctx(ZSTD_createDCtx());
  out->resize(raw_len);
  std::size_t n = ZSTD_decompressDCtx(dctx.get(), out->data(), out->size(), src.data(), src.size());
  if (ZSTD_isError(n) || n != raw_len) {
    return Status::BadData(fmt::format("cannot decode {}: {}", what,
                                       ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short frame"));
  }
  return {};
}

}  // namespace

std::vector<std::uint8_t> EncodeColumnarZstd(std::span<const model::Sample> samples, int level) {
  std::vector<std::uint8_t> raw = EncodeColumnar(samples);
  std::vector<std::uint8_t> out{static_cast<std::uint8_t>(CodecId::kZstd)};
  codec_internal::PutUvarint(&out, raw.size());
  AppendCompressed(raw, level, &out);
  return out.size() < raw.size() ? out : raw;
}

Status DecodeColumnarInto(std::span<const std::uint8_t> payload, std::vector<model::Sample>* out) {
  return DecodeColumnarRangeInto(payload, std::numeric_limits<std::int64_t>::min(),
                                 std::numeric_limits<std::int64_t>::max(), out);
}

Status DecodeColumnarRangeInto(std::span<const std::uint8_t> payload, std::int64_t mint,
                               std::int64_t maxt, std::vector<model::Sample>* out, bool* sorted) {
  const codec_internal::DecodeRange range{mint, maxt};
  Status s;
  if (payload.empty()) {
    s = Status::BadData("cannot decode series payload: empty");
  } else if (payload[0] == static_cast<std::uint8_t>(CodecId::kColumnar)) {
    s = codec_internal::DecodeColumnar(payload, range, out, sorted);
  } else if (payload[0] == static_cast<std::uint8_t>(CodecId::kZstd)) {
    ByteReader r(payload.subspan(1));
    std::uint64_t raw_len;
    std::vector<std::uint8_t> raw;
    if (!r.ReadUvarint(&raw_len)) {
      s = Status::BadData("cannot decode zstd series payload: truncated raw length");
    } else {
      s = Decompress(payload.subspan(1 + r.pos()), raw_len, &raw, "zstd series payload");
    }
    if (s.ok()) s = codec_internal::DecodeColumnar(raw, range, out, sorted);
  } else {
    s = Status::BadData(fmt::format(
        "cannot decode series payload: unknown encoding id {} (batches need BatchReader)",
        payload[0]));
  }
  if (!s.ok()) out->clear();
  return s;
}

// ---- Batches ----

std::size_t BatchBuilder::Add(std::span<const std::uint8_t> payload) {
  raw_.insert(raw_.end(), payload.begin(), payload.end());
  lengths_.push_back(payload.size());
  return lengths_.size() - 1;
}

std::vector<std::uint8_t> BatchBuilder::Finish(int level) {
  std::vector<std::uint8_t> out{static_cast<std::uint8_t>(CodecId::kBatch)};
  codec_internal::PutUvarint(&out, lengths_.size());
  std::vector<std::uint8_t> compressed;
  if (!raw_.empty()) AppendCompressed(raw_, level, &compressed);
  bool zstd = !raw_.empty() && compressed.size() < raw_.size();
  out.push_back(static_cast<std::uint8_t>(zstd ? BatchCompression::kZstd : BatchCompression::kNone));
  for (std::size_t len : lengths_) codec_internal::PutUvarint(&out, len);
  const std::vector<std::uint8_t>& body = zstd ? compressed : raw_;
  out.insert(out.end(), body.begin(), body.end());
  raw_.clear();
  lengths_.clear();
  return out;
}

std::vector<std::uint8_t> EncodeBatch(std::span<const std::vector<std::uint8_t>> payloads,
                                      int level) {
  BatchBuilder b;
  for (const std::vector<std::uint8_t>& p : payloads) b.Add(p);
  return b.Finish(level);
}

Result<BatchReader> BatchReader::Open(std::span<const std::uint8_t> batch) {
  ByteReader r(batch);
  std::uint8_t id, compression;
  std::uint64_t count;
  auto corrupt = [&r](std::string_view what) {
    return Status::BadData(fmt::format("cannot decode batch: {} at byte {}", what, r.pos()));
  };
  if (!r.ReadByte(&id) || id != static_cast<std::uint8_t>(CodecId::kBatch)) {
    return corrupt("not a batch payload");
  }
  // Every entry takes at least one length byte, which bounds count by the input size.
  if (!r.ReadUvarint(&count) || count > r.remaining()) return corrupt("invalid series count");
  if (!r.ReadByte(&compression) || compression > 1) return corrupt("invalid compression");
  BatchReader br;
  br.offsets_.reserve(count + 1);
  br.offsets_.push_back(0);
  std::uint64_t total = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t len;
    if (!r.ReadUvarint(&len) || len > kMaxRawBytes - total) return corrupt("invalid length");
    total += len;
    br.offsets_.push_back(total);
  }
  std::span<const std::uint8_t> body = batch.subspan(r.pos());
  if (compression == static_cast<std::uint8_t>(BatchCompression::kNone)) {
    if (body.size() != total) return corrupt("body size does not match the lengths");
    br.raw_.assign(body.begin(), body.end());
  } else {
    HW_RETURN_IF_ERROR(Decompress(body, total, &br.raw_, "batch"));
  }
  return br;
}

std::span<const std::uint8_t> BatchReader::Payload(std::size_t i) const {
  return std::span<const std::uint8_t>(raw_).subspan(offsets_[i], offsets_[i + 1] - offsets_[i]);
}

Result<std::vector<model::Sample>> BatchReader::Decode(std::size_t i) const {
  std::vector<model::Sample> out;
  Status s = DecodeColumnarInto(Payload(i), &out);
  if (!s.ok()) return s.Wrap(fmt::format("cannot decode series {} of batch", i));
  return out;
}

}  // namespace hw::tsdb
