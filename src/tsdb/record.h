// Write-ahead log records: what the head writes to the WAL and reads back on start.
// Byte layouts are specified in docs/format/wal.md ("Records").
//
// A record is one string: a type byte followed by the type's payload. Encode* return
// whole records, ready for Wal::Log; the WAL stores the type byte in its frame header
// and hands the payload (without the type byte) back to readers, so Decode* take the
// payload only.
//
//   kSeries     refs and the label sets they stand for
//   kSamples    (ref, t, v) triples; t delta-encoded against the record's first sample
//   kTombstones (ref, mint, maxt) deletion intervals, inclusive
//
// Decoding is safe on arbitrary bytes: it never reads outside the given payload and
// reports malformed input as kBadData ("cannot decode samples record: value: truncated
// (at byte 17)"). Values are kept bit for bit (NaN payloads such as the stale marker,
// -0.0, ±Inf).
//
// Pure functions on values; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "storage/interface.h"

namespace hw::tsdb {

using storage::SeriesRef;

enum class RecordType : std::uint8_t {
  kSeries = 1,
  kSamples = 2,
  kTombstones = 3,
};

// True for the byte values of RecordType; the WAL treats any other as corruption.
constexpr bool IsKnownRecordType(std::uint8_t b) { return b >= 1 && b <= 3; }
// "series", "samples", "tombstones", or "unknown".
std::string_view RecordTypeName(RecordType type);

struct RefSeries {
  SeriesRef ref = 0;
  model::Labels labels;
};

struct RefSample {
  SeriesRef ref = 0;
  std::int64_t t = 0;
  double v = 0;
};

// A deletion of the samples of `ref` with mint <= t <= maxt.
struct Tombstone {
  SeriesRef ref = 0;
  std::int64_t mint = 0;
  std::int64_t maxt = 0;
};

// Whole records (type byte + payload). An empty input gives a record with an empty
// payload, which decodes to no entries.
std::string EncodeSeries(std::span<const RefSeries> series);
std::string EncodeSamples(std::span<const RefSample> samples);
std::string EncodeTombstones(std::span<const Tombstone> tombstones);

// The same, appending to `out` (which is not cleared) to reuse its buffer.
void AppendSeriesRecord(std::span<const RefSeries> series, std::string* out);
void AppendSamplesRecord(std::span<const RefSample> samples, std::string* out);
void AppendTombstonesRecord(std::span<const Tombstone> tombstones, std::string* out);

// Decoders take the payload only (without the type byte) and append to `out`; on
// error `out` may hold a prefix of the entries.
Status DecodeSeries(std::string_view payload, std::vector<RefSeries>* out);
Status DecodeSamples(std::string_view payload, std::vector<RefSample>* out);
Status DecodeTombstones(std::string_view payload, std::vector<Tombstone>* out);

}  // namespace hw::tsdb
