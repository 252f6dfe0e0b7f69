// Sample: one float value of a series at a millisecond timestamp, and the stale marker.
//
// A stale marker is the NaN with the exact bit pattern 0x7ff0000000000002 (Prometheus'
// value.StaleNaN). It is written when a series disappears from a scrape and must be
// compared by bits: an ordinary NaN (e.g. 0.0/0.0) is a value, not a marker. Storage
// keeps the bits exactly (chunks round-trip NaN payloads).
//
// Plain values and constant functions; thread-safe.
#pragma once

#include <bit>
#include <cstdint>

namespace hw::model {

inline constexpr std::uint64_t kStaleNaNBits = 0x7ff0000000000002ULL;
inline constexpr double kStaleNaN = std::bit_cast<double>(kStaleNaNBits);

// True only for the stale-marker bit pattern, not for other NaNs.
constexpr bool IsStaleNaN(double v) { return std::bit_cast<std::uint64_t>(v) == kStaleNaNBits; }

struct Sample {
  std::int64_t t = 0;  // milliseconds since the Unix epoch
  double v = 0;
};

// Bit-exact equality: NaNs with equal payloads are equal, 0.0 and -0.0 are not.
constexpr bool SameBits(const Sample& a, const Sample& b) {
  return a.t == b.t && std::bit_cast<std::uint64_t>(a.v) == std::bit_cast<std::uint64_t>(b.v);
}

}  // namespace hw::model
