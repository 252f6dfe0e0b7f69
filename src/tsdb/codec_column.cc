#include "tsdb/codec_column.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <numeric>

#include "tsdb/codec_bits.h"

namespace hw::tsdb::codec_internal {
namespace {

using U64 = std::uint64_t;
constexpr U64 kMaxI64 = static_cast<U64>(std::numeric_limits<std::int64_t>::max());

U64 Sub(std::int64_t a, std::int64_t b) { return static_cast<U64>(a) - static_cast<U64>(b); }
std::int64_t AsI64(U64 v) { return static_cast<std::int64_t>(v); }

// ---- Plans: which base, divisor and width make the smallest column ----

struct ColumnPlan {
  std::int64_t base = 0;
  U64 scale = 1;
  int width = 0;
  U64 cost_bits = 0;
};

ColumnPlan PlanWithBase(std::span<const std::int64_t> vs, std::int64_t base) {
  ColumnPlan p;
  p.base = base;
  U64 g = 0;
  for (std::int64_t v : vs) {
    std::int64_t d = AsI64(Sub(v, base));
    U64 mag = d < 0 ? U64{0} - static_cast<U64>(d) : static_cast<U64>(d);
    g = std::gcd(g, mag);
    if (g == 1) break;
  }
  p.scale = (g == 0 || g > kMaxI64) ? 1 : g;
  // cls: bit width of the quotient (0..63), or 64 for negative quotients, which are
  // always patches. Patch bytes: the index gap (counted as 1 byte) and the value.
  U64 count[65] = {};
  U64 patch_bytes[65] = {};
  auto s = static_cast<std::int64_t>(p.scale);
  for (std::int64_t v : vs) {
    std::int64_t q = AsI64(Sub(v, base));
    if (s != 1) q /= s;
    int cls = q < 0 ? 64 : std::bit_width(static_cast<U64>(q));
    ++count[cls];
    patch_bytes[cls] += 1 + UvarintLen(ZigZag(q));
  }
  // cost(w) = m*w + 8 * (patch bytes of every class wider than w).
  U64 best = std::numeric_limits<U64>::max();
  U64 wider_bytes = 0, wider_count = 0;
  U64 best_patches = 0;
  for (int c = 1; c <= 64; ++c) {
    wider_bytes += patch_bytes[c];
    wider_count += count[c];
  }
  for (int w = 0; w <= 63; ++w) {
    U64 cost = vs.size() * static_cast<U64>(w) + 8 * wider_bytes;
    if (cost < best) {
      best = cost;
      p.width = w;
      best_patches = wider_count;
    }
    wider_bytes -= patch_bytes[w + 1];
    wider_count -= count[w + 1];
  }
  p.cost_bits = best + 8 * static_cast<U64>(UvarintLen(ZigZag(base)) + UvarintLen(p.scale) + 1 +
                                            UvarintLen(best_patches));
  return p;
}

// Tries the minimum and two low quantiles as the base: a few low outliers (a counter
// reset's negative delta) then become patches instead of widening every value.
ColumnPlan Plan(std::span<const std::int64_t> vs) {
  std::vector<std::int64_t> tmp(vs.begin(), vs.end());
  std::int64_t candidates[3];
  candidates[0] = *std::min_element(tmp.begin(), tmp.end());
  std::size_t q1 = tmp.size() / 32, q2 = tmp.size() / 8;
  std::nth_element(tmp.begin(), tmp.begin() + q2, tmp.end());
  candidates[2] = tmp[q2];
  std::nth_element(tmp.begin(), tmp.begin() + q1, tmp.begin() + q2 + 1);
  candidates[1] = tmp[q1];
  ColumnPlan best = PlanWithBase(vs, candidates[0]);
  for (int i = 1; i < 3; ++i) {
    if (candidates[i] == candidates[i - 1]) continue;
    ColumnPlan p = PlanWithBase(vs, candidates[i]);
    if (p.cost_bits < best.cost_bits) best = p;
  }
  return best;
}

// Unpacks n w-bit values from p[0..nbytes), nbytes == ceil(n*w/8).
void Unpack(const std::uint8_t* p, std::size_t nbytes, int w, std::size_t n, std::int64_t* out) {
  if (w == 0) {
    std::fill(out, out + n, 0);
    return;
  }
  std::size_t i = 0;
  if (w <= 57) {
    const U64 mask = (U64{1} << w) - 1;
    U64 bit = 0;
    for (; i < n; ++i, bit += w) {
      std::size_t byte = bit >> 3;
      if (byte + 8 > nbytes) break;
      U64 word;
      std::memcpy(&word, p + byte, 8);
      out[i] = AsI64((word >> (bit & 7)) & mask);
    }
  }
  for (; i < n; ++i) out[i] = AsI64(ReadBitsAt(p, static_cast<U64>(i) * w, w));
}

// ---- Predictors ----

struct Candidate {
  IntMode mode;
  std::int64_t header[2];
  int header_len;
  std::vector<std::int64_t> residuals;
  U64 cost_bits;
};

std::int64_t MedianDelta(std::span<const std::int64_t> xs) {
  std::vector<std::int64_t> d(xs.size() - 1);
  for (std::size_t i = 1; i < xs.size(); ++i) d[i - 1] = AsI64(Sub(xs[i], xs[i - 1]));
  std::nth_element(d.begin(), d.begin() + d.size() / 2, d.end());
  return d[d.size() / 2];
}

// Residuals against the grid anchor + step. A residual beyond ±step/2 (a missed scrape,
// a restart) re-anchors the grid at the actual value; the decoder applies the same rule.
void GridResiduals(std::span<const std::int64_t> xs, std::int64_t step,
                   std::vector<std::int64_t>* out) {
  std::int64_t half = step / 2;
  U64 anchor = static_cast<U64>(xs[0]);
  for (std::size_t i = 1; i < xs.size(); ++i) {
    U64 pred = anchor + static_cast<U64>(step);
    std::int64_t r = AsI64(static_cast<U64>(xs[i]) - pred);
    out->push_back(r);
    anchor = (r > half || r < -half) ? static_cast<U64>(xs[i]) : pred;
  }
}

void Finish(Candidate* c) {
  c->cost_bits = c->residuals.empty() ? 0 : Plan(c->residuals).cost_bits;
  for (int i = 0; i < c->header_len; ++i) c->cost_bits += 8 * UvarintLen(ZigZag(c->header[i]));
}

}  // namespace

std::uint64_t ColumnCostBits(std::span<const std::int64_t> vs) {
  return vs.empty() ? 0 : Plan(vs).cost_bits;
}

void EncodeColumn(std::span<const std::int64_t> vs, std::vector<std::uint8_t>* out) {
  if (vs.empty()) return;
  ColumnPlan p = Plan(vs);
  PutVarint(out, p.base);
  PutUvarint(out, p.scale);
  out->push_back(static_cast<std::uint8_t>(p.width));
  auto s = static_cast<std::int64_t>(p.scale);
  std::vector<std::pair<std::size_t, std::int64_t>> patches;
  BitPacker packer(out);
  for (std::size_t i = 0; i < vs.size(); ++i) {
    std::int64_t q = AsI64(Sub(vs[i], p.base)) / s;
    bool fits = q >= 0 && static_cast<int>(std::bit_width(static_cast<U64>(q))) <= p.width;
    if (!fits) patches.emplace_back(i, q);
    packer.Put(fits ? static_cast<U64>(q) : 0, p.width);
  }
  packer.Flush();
  PutUvarint(out, patches.size());
  std::size_t prev = 0;
  for (const auto& [index, q] : patches) {
    PutUvarint(out, index - prev);
    PutVarint(out, q);
    prev = index;
  }
}

bool DecodeColumn(ByteReader* r, std::size_t n, std::int64_t* out) {
  if (n == 0) return true;
  std::int64_t base;
  U64 scale, num_patches;
  std::uint8_t width;
  std::span<const std::uint8_t> packed;
  if (!r->ReadVarint(&base) || !r->ReadUvarint(&scale) || scale == 0 || scale > kMaxI64 ||
      !r->ReadByte(&width) || width > 64) {
    return false;
  }
  U64 nbytes = (static_cast<U64>(n) * width + 7) / 8;
  if (!r->ReadBytes(nbytes, &packed)) return false;
  Unpack(packed.data(), packed.size(), width, n, out);
  if (!r->ReadUvarint(&num_patches) || num_patches > n) return false;
  U64 index = 0;
  for (U64 j = 0; j < num_patches; ++j) {
    U64 gap;
    std::int64_t q;
    if (!r->ReadUvarint(&gap) || !r->ReadVarint(&q)) return false;
    if ((j > 0 && gap == 0) || gap >= n - index) return false;
    index += gap;
    out[index] = q;
  }
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = AsI64(static_cast<U64>(base) + static_cast<U64>(out[i]) * scale);
  }
  return true;
}

void EncodeInts(std::span<const std::int64_t> xs, std::vector<std::uint8_t>* out) {
  const std::size_t n = xs.size();
  if (n == 0) return;
  std::vector<Candidate> cands;
  cands.push_back({IntMode::kRaw, {0, 0}, 0, {xs.begin(), xs.end()}, 0});
  Candidate delta{IntMode::kDelta, {xs[0], 0}, 1, {}, 0};
  for (std::size_t i = 1; i < n; ++i) delta.residuals.push_back(AsI64(Sub(xs[i], xs[i - 1])));
  if (n >= 2) {
    Candidate dod{IntMode::kDeltaOfDelta, {xs[0], delta.residuals[0]}, 2, {}, 0};
    for (std::size_t i = 1; i + 1 < n; ++i) {
      dod.residuals.push_back(AsI64(Sub(delta.residuals[i], delta.residuals[i - 1])));
    }
    cands.push_back(std::move(dod));
  }
  cands.push_back(std::move(delta));
  if (n >= 3) {
    std::int64_t step = MedianDelta(xs);
    if (step > 0) {
      Candidate grid{IntMode::kGrid, {xs[0], step}, 2, {}, 0};
      GridResiduals(xs, step, &grid.residuals);
      cands.push_back(std::move(grid));
    }
  }
  Candidate* best = nullptr;
  for (Candidate& c : cands) {
    Finish(&c);
    if (best == nullptr || c.cost_bits < best->cost_bits) best = &c;
  }
  out->push_back(static_cast<std::uint8_t>(best->mode));
  for (int i = 0; i < best->header_len; ++i) PutVarint(out, best->header[i]);
  EncodeColumn(best->residuals, out);
}

bool DecodeInts(ByteReader* r, std::size_t n, std::int64_t* out) {
  if (n == 0) return true;
  std::uint8_t mode;
  if (!r->ReadByte(&mode)) return false;
  if (mode == static_cast<std::uint8_t>(IntMode::kRaw)) return DecodeColumn(r, n, out);
  std::int64_t x0;
  if (!r->ReadVarint(&x0)) return false;
  out[0] = x0;
  U64 x = static_cast<U64>(x0);
  switch (static_cast<IntMode>(mode)) {
    case IntMode::kDelta:
      if (!DecodeColumn(r, n - 1, out + 1)) return false;
      for (std::size_t i = 1; i < n; ++i) out[i] = AsI64(x += static_cast<U64>(out[i]));
      return true;
    case IntMode::kDeltaOfDelta: {
      if (n == 1) return true;
      std::int64_t d1;
      if (!r->ReadVarint(&d1) || !DecodeColumn(r, n - 2, out + 2)) return false;
      U64 d = static_cast<U64>(d1);
      out[1] = AsI64(x += d);
      for (std::size_t i = 2; i < n; ++i) out[i] = AsI64(x += (d += static_cast<U64>(out[i])));
      return true;
    }
    case IntMode::kGrid: {
      std::int64_t step;
      if (!r->ReadVarint(&step) || step <= 0 || !DecodeColumn(r, n - 1, out + 1)) return false;
      const std::int64_t half = step / 2;
      for (std::size_t i = 1; i < n; ++i) {
        std::int64_t res = out[i];
        U64 pred = x + static_cast<U64>(step);
        out[i] = AsI64(pred + static_cast<U64>(res));
        x = (res > half || res < -half) ? static_cast<U64>(out[i]) : pred;
      }
      return true;
    }
    default:
      return false;
  }
}

}  // namespace hw::tsdb::codec_internal
