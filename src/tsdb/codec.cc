// The kColumnar payload (docs/format/codec.md): encoding, bulk decoding, and the
// iterator over decoded samples. zstd framing and batches are in codec_zstd.cc.
#include "tsdb/codec.h"

#include <algorithm>
#include <bit>
#include <cstdlib>

#include <fmt/format.h>

#include "tsdb/codec_column.h"
#include "tsdb/codec_float.h"
#include "tsdb/codec_internal.h"
#include "tsdb/codec_varint.h"

namespace hw::tsdb {
namespace {

using codec_internal::ByteReader;

enum class ValueMode : std::uint8_t { kDecimal = 0, kXor = 1 };

void EncodeDecimalValues(const codec_internal::DecimalColumn& col,
                         std::span<const model::Sample> samples, std::vector<std::uint8_t>* out) {
  out->push_back(static_cast<std::uint8_t>(ValueMode::kDecimal));
  out->push_back(static_cast<std::uint8_t>(col.digits));
  codec_internal::EncodeInts(col.mantissas, out);
  codec_internal::PutUvarint(out, col.patches.size());
  std::uint32_t prev = 0;
  for (std::uint32_t i : col.patches) {
    codec_internal::PutUvarint(out, i - prev);
    codec_internal::PutFixed64(out, std::bit_cast<std::uint64_t>(samples[i].v));
    prev = i;
  }
}

void EncodeXorValues(std::span<const model::Sample> samples, std::vector<std::uint8_t>* out) {
  std::vector<std::uint8_t> stream;
  codec_internal::EncodeXor(samples, &stream);
  out->push_back(static_cast<std::uint8_t>(ValueMode::kXor));
  codec_internal::PutUvarint(out, stream.size());
  out->insert(out->end(), stream.begin(), stream.end());
}

Status Corrupt(const ByteReader& r, std::string_view what) {
  return Status::BadData(
      fmt::format("cannot decode series payload: {} at byte {}", what, r.pos()));
}

// Decodes the values section of n samples, storing values lo..hi-1 into out[0..hi-lo)
// (the rest are parsed and checked, not stored). `scratch` holds n integers.
Status DecodeValues(ByteReader* r, std::size_t n, std::size_t lo, std::size_t hi,
                    std::int64_t* scratch, model::Sample* out) {
  std::uint8_t mode;
  if (!r->ReadByte(&mode)) return Corrupt(*r, "truncated value mode");
  if (mode == static_cast<std::uint8_t>(ValueMode::kXor)) {
    std::uint64_t len;
    std::span<const std::uint8_t> stream;
    if (!r->ReadUvarint(&len) || !r->ReadBytes(len, &stream)) {
      return Corrupt(*r, "truncated XOR values");
    }
    thread_local std::vector<double> vs;
    if (vs.size() < n) vs.resize(n);
    if (!codec_internal::DecodeXor(stream, n, vs.data())) {
      return Corrupt(*r, "invalid XOR values");
    }
    for (std::size_t i = lo; i < hi; ++i) out[i - lo].v = vs[i];
    return {};
  }
  if (mode != static_cast<std::uint8_t>(ValueMode::kDecimal)) {
    return Corrupt(*r, fmt::format("unknown value mode {}", mode));
  }
  std::uint8_t digits;
  if (!r->ReadByte(&digits) || digits > codec_internal::kMaxDecimalDigits) {
    return Corrupt(*r, "invalid decimal digits");
  }
  const std::int64_t* m = scratch;
  if (!codec_internal::DecodeInts(r, n, scratch)) return Corrupt(*r, "invalid decimal mantissas");
  if (digits == 0) {
    for (std::size_t i = lo; i < hi; ++i) out[i - lo].v = static_cast<double>(m[i]);
  } else {
    const double scale = codec_internal::kPow10[digits];
    for (std::size_t i = lo; i < hi; ++i) out[i - lo].v = static_cast<double>(m[i]) / scale;
  }
  std::uint64_t num_patches, index = 0;
  if (!r->ReadUvarint(&num_patches) || num_patches > n) return Corrupt(*r, "invalid patch count");
  for (std::uint64_t j = 0; j < num_patches; ++j) {
    std::uint64_t gap, bits;
    if (!r->ReadUvarint(&gap) || (j > 0 && gap == 0) || gap >= n - index ||
        !r->ReadFixed64(&bits)) {
      return Corrupt(*r, "invalid value patch");
    }
    index += gap;
    if (index >= lo && index < hi) out[index - lo].v = std::bit_cast<double>(bits);
  }
  return {};
}

}  // namespace

std::vector<std::uint8_t> EncodeColumnar(std::span<const model::Sample> samples) {
  if (samples.size() > kCodecMaxSamples) std::abort();  // documented precondition
  std::vector<std::uint8_t> out;
  out.reserve(16 + samples.size());
  out.push_back(static_cast<std::uint8_t>(CodecId::kColumnar));
  codec_internal::PutUvarint(&out, samples.size());
  if (samples.empty()) return out;

  std::vector<std::int64_t> ts(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) ts[i] = samples[i].t;
  codec_internal::EncodeInts(ts, &out);

  codec_internal::DecimalColumn col = codec_internal::ToDecimal(samples);
  if (col.patches.empty()) {
    EncodeDecimalValues(col, samples, &out);
    return out;
  }
  // Some values are not decimal: keep whichever of patches or XOR is smaller.
  std::vector<std::uint8_t> dec, xr;
  if (col.patches.size() <= samples.size() / 2) EncodeDecimalValues(col, samples, &dec);
  EncodeXorValues(samples, &xr);
  const std::vector<std::uint8_t>& best = (!dec.empty() && dec.size() <= xr.size()) ? dec : xr;
  out.insert(out.end(), best.begin(), best.end());
  return out;
}

Status codec_internal::DecodeColumnar(std::span<const std::uint8_t> payload,
                                      const DecodeRange& range, std::vector<model::Sample>* out,
                                      bool* sorted) {
  ByteReader r(payload);
  std::uint8_t id;
  std::uint64_t n;
  if (sorted != nullptr) *sorted = true;
  if (!r.ReadByte(&id) || id != static_cast<std::uint8_t>(CodecId::kColumnar)) {
    return Corrupt(r, "not a columnar payload");
  }
  if (!r.ReadUvarint(&n)) return Corrupt(r, "truncated sample count");
  if (n > kCodecMaxSamples) {
    return Corrupt(r, fmt::format("{} samples is over the limit of {}", n, kCodecMaxSamples));
  }
  if (n == 0) {
    out->clear();
    return r.remaining() == 0 ? Status() : Corrupt(r, "trailing bytes");
  }
  thread_local std::vector<std::int64_t> scratch;
  if (scratch.size() < n) scratch.resize(n);
  std::int64_t* ts = scratch.data();
  if (!codec_internal::DecodeInts(&r, n, ts)) {
    return Corrupt(r, "invalid timestamps");
  }
  // One branch-free pass instead of a separate sortedness scan of the samples.
  bool unordered = false;
  for (std::size_t i = 1; i < n; ++i) unordered |= ts[i] < ts[i - 1];
  if (sorted != nullptr) *sorted = !unordered;
  std::size_t lo = 0, hi = n;
  if (!unordered) {
    if (range.mint > ts[0]) {
      lo = static_cast<std::size_t>(std::lower_bound(ts, ts + n, range.mint) - ts);
    }
    if (range.maxt < ts[n - 1]) {
      hi = static_cast<std::size_t>(std::upper_bound(ts + lo, ts + n, range.maxt) - ts);
    }
  }
  out->resize(hi - lo);
  model::Sample* s = out->data();
  for (std::size_t i = lo; i < hi; ++i) s[i - lo].t = ts[i];
  // The timestamps are copied out: the scratch now takes the mantissas.
  HW_RETURN_IF_ERROR(DecodeValues(&r, n, lo, hi, scratch.data(), s));
  if (r.remaining() != 0) return Corrupt(r, "trailing bytes");
  return {};
}

Result<std::vector<model::Sample>> DecodeColumnar(std::span<const std::uint8_t> payload) {
  std::vector<model::Sample> out;
  HW_RETURN_IF_ERROR(DecodeColumnarInto(payload, &out));
  return out;
}

// ---- ColumnarIterator ----

ColumnarIterator::ColumnarIterator(std::span<const std::uint8_t> payload, std::int64_t mint,
                                   std::int64_t maxt) {
  err_ = DecodeColumnarRangeInto(payload, mint, maxt, &samples_, &sorted_);
}

bool ColumnarIterator::Next() {
  if (!started_) {
    started_ = true;
    pos_ = 0;
  } else if (pos_ < samples_.size()) {
    ++pos_;
  }
  return pos_ < samples_.size();
}

bool ColumnarIterator::Seek(std::int64_t t) {
  if (started_ && pos_ >= samples_.size()) return false;
  if (started_ && samples_[pos_].t >= t) return true;
  std::size_t from = started_ ? pos_ + 1 : 0;
  started_ = true;
  auto first = samples_.begin() + static_cast<std::ptrdiff_t>(from);
  auto before = [](const model::Sample& s, std::int64_t x) { return s.t < x; };
  auto it = sorted_ ? std::lower_bound(first, samples_.end(), t, before)
                    : std::find_if(first, samples_.end(),
                                   [t](const model::Sample& s) { return s.t >= t; });
  pos_ = static_cast<std::size_t>(it - samples_.begin());
  return pos_ < samples_.size();
}

}  // namespace hw::tsdb
