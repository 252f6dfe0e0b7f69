// Float values of the series codec (docs/format/codec.md, "Values"): the decimal
// conversion that turns values like 12.34 or 8589934592 into integers, and the XOR
// fallback for values that are not decimal.
//
// Decimal: a value v is representable at scale k when v == FromDecimal(m, k) bit for
// bit for an integer |m| <= 2^53, where FromDecimal(m, k) = double(m) / 10^k (one
// correctly rounded division of exact operands, so the same decimal m·10^-k always
// yields the same double, whatever k it is written at). Values that are not (NaN
// payloads, ±Inf, -0.0, values needing more than kMaxDecimalDigits fraction digits or
// more than 53 bits) become patches kept as raw IEEE-754 bits.
//
// XOR: Gorilla's XOR-with-previous coding (as in chunk.h) packed LSB first, with a
// 6-bit leading-zero count. Bit-exact for every double.
//
// Internal to hw_tsdb_codec. Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "model/sample.h"
#include "tsdb/codec_varint.h"

namespace hw::tsdb::codec_internal {

// Largest k (decimal fraction digits): 10^18 is exact and below 2^63.
inline constexpr int kMaxDecimalDigits = 18;

inline constexpr double kPow10[kMaxDecimalDigits + 1] = {
    1e0, 1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,
    1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};

// Inline: the decoder calls it once per sample.
inline double FromDecimal(std::int64_t m, int k) {
  return k == 0 ? static_cast<double>(m) : static_cast<double>(m) / kPow10[k];
}

struct DecimalColumn {
  int digits = 0;                        // k: value = mantissa / 10^k
  std::vector<std::int64_t> mantissas;   // one per sample; patched slots repeat a neighbour
  std::vector<std::uint32_t> patches;    // indexes of values kept as raw bits, ascending
};

// Converts the values of samples at one common scale, the smallest that represents
// every convertible value. Always succeeds; check patches.size() for the cost.
DecimalColumn ToDecimal(std::span<const model::Sample> samples);

// Appends the XOR bit stream of the values (padded to a byte).
void EncodeXor(std::span<const model::Sample> samples, std::vector<std::uint8_t>* out);
// Decodes n values from bytes (the whole stream) into out[0..n). False if truncated.
bool DecodeXor(std::span<const std::uint8_t> bytes, std::size_t n, double* out);

}  // namespace hw::tsdb::codec_internal
