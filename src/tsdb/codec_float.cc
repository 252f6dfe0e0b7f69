#include "tsdb/codec_float.h"

#include <bit>
#include <cmath>

#include "tsdb/codec_bits.h"

namespace hw::tsdb::codec_internal {
namespace {

using U64 = std::uint64_t;

constexpr double kMaxExactInt = 9007199254740992.0;  // 2^53

U64 Bits(double v) { return std::bit_cast<U64>(v); }

// The mantissa of v at scale k, if v is exactly representable there.
bool MantissaAt(double v, int k, std::int64_t* m) {
  double s = v * kPow10[k];
  if (!(std::fabs(s) <= kMaxExactInt)) return false;  // also rejects NaN and ±Inf
  // v * 10^k carries rounding error, so the integer may be one off the mantissa.
  auto r = static_cast<std::int64_t>(std::nearbyint(s));
  for (std::int64_t c : {r, r - 1, r + 1}) {
    if (Bits(FromDecimal(c, k)) == Bits(v)) {
      *m = c;
      return true;
    }
  }
  return false;
}

}  // namespace

DecimalColumn ToDecimal(std::span<const model::Sample> samples) {
  const std::size_t n = samples.size();
  DecimalColumn col;
  col.mantissas.resize(n);
  std::vector<std::int8_t> digits(n, -1);  // scale each value was converted at; -1: patch
  int k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double v = samples[i].v;
    // Validity is monotone in k (same decimal, same correctly rounded quotient) as long
    // as the mantissa stays within 2^53, so the running scale is tried first.
    for (int j = k; j <= kMaxDecimalDigits; ++j) {
      if (MantissaAt(v, j, &col.mantissas[i])) {
        digits[i] = static_cast<std::int8_t>(j);
        k = j;
        break;
      }
    }
  }
  col.digits = k;
  for (std::size_t i = 0; i < n; ++i) {
    if (digits[i] >= 0 && digits[i] != k && !MantissaAt(samples[i].v, k, &col.mantissas[i])) {
      digits[i] = -1;  // the common scale pushed its mantissa past 2^53
    }
    if (digits[i] < 0) col.patches.push_back(static_cast<std::uint32_t>(i));
  }
  // Patched slots get mantissas that cost nothing in a delta column: runs between two
  // converted values are interpolated (|m| <= 2^53, so differences cannot overflow);
  // leading and trailing runs repeat their converted neighbour.
  std::size_t prev = n;  // last converted index, n if none yet
  for (std::size_t i = 0; i <= n; ++i) {
    if (i < n && digits[i] < 0) continue;
    std::size_t from = prev == n ? 0 : prev + 1;
    for (std::size_t j = from; j < i; ++j) {
      if (prev == n) {
        col.mantissas[j] = i < n ? col.mantissas[i] : 0;
      } else if (i == n) {
        col.mantissas[j] = col.mantissas[prev];
      } else {
        std::int64_t a = col.mantissas[prev], b = col.mantissas[i];
        auto span = static_cast<std::int64_t>(i - prev), at = static_cast<std::int64_t>(j - prev);
        col.mantissas[j] = a + static_cast<std::int64_t>(
                                   static_cast<long double>(b - a) * static_cast<long double>(at) /
                                   static_cast<long double>(span));
      }
    }
    prev = i;
  }
  return col;
}

// Per value after the first: '0' when equal to the previous; '10' + the XOR's
// significant bits in the current window; '11' + 6 bits leading zeros + 6 bits
// (significant bits - 1) + the significant bits, opening a new window.
void EncodeXor(std::span<const model::Sample> samples, std::vector<std::uint8_t>* out) {
  if (samples.empty()) return;
  BitPacker w(out);
  U64 prev = Bits(samples[0].v);
  w.Put(prev, 64);
  int lead = -1, trail = 0;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    U64 cur = Bits(samples[i].v);
    U64 x = cur ^ prev;
    prev = cur;
    if (x == 0) {
      w.Put(0, 1);
      continue;
    }
    int lz = std::countl_zero(x), tz = std::countr_zero(x);
    if (lead >= 0 && lz >= lead && tz >= trail) {
      w.Put(0b01, 2);  // bits '1' then '0', LSB first
      w.Put(x >> trail, 64 - lead - trail);
      continue;
    }
    lead = lz;
    trail = tz;
    int sig = 64 - lz - tz;
    w.Put(0b11, 2);
    w.Put(static_cast<U64>(lz), 6);
    w.Put(static_cast<U64>(sig - 1), 6);
    w.Put(x >> tz, sig);
  }
  w.Flush();
}

bool DecodeXor(std::span<const std::uint8_t> bytes, std::size_t n, double* out) {
  if (n == 0) return true;
  BitUnpacker r(bytes);
  U64 v;
  if (!r.Read(64, &v)) return false;
  out[0] = std::bit_cast<double>(v);
  int lead = -1, trail = 0;
  for (std::size_t i = 1; i < n; ++i) {
    U64 ctl, x;
    if (!r.Read(1, &ctl)) return false;
    if (ctl != 0) {
      if (!r.Read(1, &ctl)) return false;
      if (ctl != 0) {
        U64 lz, sig;
        if (!r.Read(6, &lz) || !r.Read(6, &sig)) return false;
        lead = static_cast<int>(lz);
        trail = 64 - lead - static_cast<int>(sig + 1);
        if (trail < 0) return false;
      } else if (lead < 0) {
        return false;  // window reuse before any window
      }
      if (!r.Read(64 - lead - trail, &x)) return false;
      v ^= x << trail;
    }
    out[i] = std::bit_cast<double>(v);
  }
  return true;
}

}  // namespace hw::tsdb::codec_internal
