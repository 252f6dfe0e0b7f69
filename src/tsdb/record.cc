#include "tsdb/record.h"

#include <bit>
#include <cstring>

#include <fmt/format.h>

namespace hw::tsdb {
namespace {

// Go encoding/binary varints (docs/format/wal.md): 7 bits a byte, least significant
// group first, high bit set on every byte but the last; at most 10 bytes.
void PutUvarint(std::string* out, std::uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

std::uint64_t ZigZag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t UnZigZag(std::uint64_t u) {
  return static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1);
}

void PutVarint(std::string* out, std::int64_t v) { PutUvarint(out, ZigZag(v)); }

void PutFixed64(std::string* out, std::uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>(v >> (8 * i));
  out->append(b, 8);
}

// Wrapping difference a - b, read as signed: round-trips any pair of int64.
std::int64_t WrapSub(std::uint64_t a, std::uint64_t b) { return static_cast<std::int64_t>(a - b); }

// A bounds-checked cursor over a payload. Every getter returns false (and records
// what was being read and where) instead of reading past the end.
class Decoder {
 public:
  Decoder(std::string_view kind, std::string_view data) : kind_(kind), data_(data) {}

  bool done() const { return pos_ == data_.size(); }
  std::size_t remaining() const { return data_.size() - pos_; }

  bool Uvarint(std::string_view what, std::uint64_t* v) {
    std::uint64_t result = 0;
    for (int shift = 0, i = 0; i < 10; ++i, shift += 7) {
      if (pos_ >= data_.size()) return Fail(what, "truncated varint");
      auto b = static_cast<std::uint8_t>(data_[pos_++]);
      if (i == 9 && b > 1) return Fail(what, "varint overflows 64 bits");
      result |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if (b < 0x80) {
        *v = result;
        return true;
      }
    }
    return Fail(what, "varint longer than 10 bytes");
  }

  bool Varint(std::string_view what, std::int64_t* v) {
    std::uint64_t u;
    if (!Uvarint(what, &u)) return false;
    *v = UnZigZag(u);
    return true;
  }

  bool Fixed64(std::string_view what, std::uint64_t* v) {
    if (remaining() < 8) return Fail(what, "truncated");
    std::uint64_t r = 0;
    for (int i = 0; i < 8; ++i) r |= std::uint64_t{static_cast<std::uint8_t>(data_[pos_ + i])} << (8 * i);
    pos_ += 8;
    *v = r;
    return true;
  }

  // A uvarint length followed by that many bytes.
  bool Bytes(std::string_view what, std::string_view* s) {
    std::size_t start = pos_;
    std::uint64_t n;
    if (!Uvarint(what, &n)) return false;
    if (n > remaining()) {
      pos_ = start;
      return Fail(what, fmt::format("length {} past the end of the record", n));
    }
    *s = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }

  bool Fail(std::string_view what, std::string_view why) {
    if (status_.ok()) {
      status_ = Status::BadData(
          fmt::format("cannot decode {} record: {}: {} (at byte {})", kind_, what, why, pos_));
    }
    return false;
  }

  Status status() const { return status_; }

 private:
  std::string_view kind_;
  std::string_view data_;
  std::size_t pos_ = 0;
  Status status_;
};

}  // namespace

std::string_view RecordTypeName(RecordType type) {
  switch (type) {
    case RecordType::kSeries: return "series";
    case RecordType::kSamples: return "samples";
    case RecordType::kTombstones: return "tombstones";
  }
  return "unknown";
}

void AppendSeriesRecord(std::span<const RefSeries> series, std::string* out) {
  out->push_back(static_cast<char>(RecordType::kSeries));
  for (const RefSeries& s : series) {
    PutUvarint(out, s.ref);
    PutUvarint(out, s.labels.size());
    for (const model::Label& l : s.labels) {
      PutUvarint(out, l.name.size());
      out->append(l.name);
      PutUvarint(out, l.value.size());
      out->append(l.value);
    }
  }
}

void AppendSamplesRecord(std::span<const RefSample> samples, std::string* out) {
  out->push_back(static_cast<char>(RecordType::kSamples));
  if (samples.empty()) return;
  const RefSample& base = samples.front();
  PutUvarint(out, base.ref);
  PutVarint(out, base.t);
  for (const RefSample& s : samples) {
    PutVarint(out, WrapSub(s.ref, base.ref));
    PutVarint(out, WrapSub(static_cast<std::uint64_t>(s.t), static_cast<std::uint64_t>(base.t)));
    PutFixed64(out, std::bit_cast<std::uint64_t>(s.v));
  }
}

void AppendTombstonesRecord(std::span<const Tombstone> tombstones, std::string* out) {
  out->push_back(static_cast<char>(RecordType::kTombstones));
  for (const Tombstone& s : tombstones) {
    PutUvarint(out, s.ref);
    PutVarint(out, s.mint);
    PutVarint(out, WrapSub(static_cast<std::uint64_t>(s.maxt), static_cast<std::uint64_t>(s.mint)));
  }
}

std::string EncodeSeries(std::span<const RefSeries> series) {
  std::string out;
  AppendSeriesRecord(series, &out);
  return out;
}

std::string EncodeSamples(std::span<const RefSample> samples) {
  std::string out;
  out.reserve(1 + 20 + samples.size() * 11);
  AppendSamplesRecord(samples, &out);
  return out;
}

std::string EncodeTombstones(std::span<const Tombstone> tombstones) {
  std::string out;
  AppendTombstonesRecord(tombstones, &out);
  return out;
}

Status DecodeSeries(std::string_view payload, std::vector<RefSeries>* out) {
  Decoder d("series", payload);
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  while (!d.done()) {
    std::uint64_t ref, n;
    if (!d.Uvarint("series ref", &ref) || !d.Uvarint("label count", &n)) return d.status();
    // Each label takes at least 3 bytes (two lengths and a non-empty value), so a
    // count beyond that is corrupt; checking first keeps reserve() bounded.
    if (n > d.remaining() / 3) {
      d.Fail("label count", fmt::format("{} labels cannot fit", n));
      return d.status();
    }
    pairs.clear();
    pairs.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) {
      std::string_view name, value;
      if (!d.Bytes("label name", &name) || !d.Bytes("label value", &value)) return d.status();
      // The encoder writes a Labels: names sorted and unique, values non-empty.
      if (!pairs.empty() && name <= pairs.back().first) {
        d.Fail("label name", "unsorted or duplicate");
        return d.status();
      }
      if (value.empty()) {
        d.Fail("label value", "empty");
        return d.status();
      }
      pairs.emplace_back(name, value);
    }
    out->push_back({ref, model::Labels::FromPairs(pairs)});
  }
  return Status::Ok();
}

Status DecodeSamples(std::string_view payload, std::vector<RefSample>* out) {
  Decoder d("samples", payload);
  if (d.done()) return Status::Ok();
  std::uint64_t base_ref;
  std::int64_t base_t;
  if (!d.Uvarint("base ref", &base_ref) || !d.Varint("base timestamp", &base_t)) {
    return d.status();
  }
  // A sample takes at least 10 bytes (two 1-byte varints and the value).
  out->reserve(out->size() + d.remaining() / 10);
  while (!d.done()) {
    std::int64_t dref, dt;
    std::uint64_t bits;
    if (!d.Varint("ref delta", &dref) || !d.Varint("timestamp delta", &dt) ||
        !d.Fixed64("value", &bits)) {
      return d.status();
    }
    out->push_back({base_ref + static_cast<std::uint64_t>(dref),
                    static_cast<std::int64_t>(static_cast<std::uint64_t>(base_t) +
                                              static_cast<std::uint64_t>(dt)),
                    std::bit_cast<double>(bits)});
  }
  return Status::Ok();
}

Status DecodeTombstones(std::string_view payload, std::vector<Tombstone>* out) {
  Decoder d("tombstones", payload);
  while (!d.done()) {
    std::uint64_t ref;
    std::int64_t mint, span;
    if (!d.Uvarint("series ref", &ref) || !d.Varint("mint", &mint) ||
        !d.Varint("interval length", &span)) {
      return d.status();
    }
    out->push_back({ref, mint,
                    static_cast<std::int64_t>(static_cast<std::uint64_t>(mint) +
                                              static_cast<std::uint64_t>(span))});
  }
  return Status::Ok();
}

}  // namespace hw::tsdb
