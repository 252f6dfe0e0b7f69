// Integer columns of the series codec (docs/format/codec.md, "Integer sequences"):
// how a sequence of int64 (timestamps, or decimal mantissas of values) becomes bytes.
//
// EncodeInts tries four predictors — the raw values, deltas, delta-of-deltas, and a
// "grid" (x0 + i*step with re-anchoring after gaps, the shape of scrape timestamps) —
// turns the residuals into a frame-of-reference column (a base, a common divisor, a
// bit width and bit-packed values, with outliers stored as a patch list) and keeps the
// predictor whose column is smallest. All arithmetic wraps modulo 2^64, so every int64
// sequence round-trips, ordered or not.
//
// DecodeInts is the inverse; it never reads outside the reader's span and returns
// false on any malformed or truncated input.
//
// Internal to hw_tsdb_codec. Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tsdb/codec_varint.h"

namespace hw::tsdb::codec_internal {

// The predictor byte that opens an integer sequence.
enum class IntMode : std::uint8_t { kRaw = 0, kDelta = 1, kDeltaOfDelta = 2, kGrid = 3 };

// Appends the encoding of xs (mode byte, predictor header, column) to out. The length
// is not written: the reader must know it.
void EncodeInts(std::span<const std::int64_t> xs, std::vector<std::uint8_t>* out);

// Decodes n integers written by EncodeInts into out[0..n). False on malformed input
// (out then holds unspecified values).
bool DecodeInts(ByteReader* r, std::size_t n, std::int64_t* out);

// --- The frame-of-reference column alone (exposed for tests) ---

// Appends the column for vs (nothing when vs is empty).
void EncodeColumn(std::span<const std::int64_t> vs, std::vector<std::uint8_t>* out);
// Estimated size in bits of EncodeColumn(vs), exact up to patch-index varint lengths.
std::uint64_t ColumnCostBits(std::span<const std::int64_t> vs);
bool DecodeColumn(ByteReader* r, std::size_t n, std::int64_t* out);

}  // namespace hw::tsdb::codec_internal
