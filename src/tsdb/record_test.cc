#include "tsdb/record.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

#include "model/sample.h"

namespace hw::tsdb {
namespace {

using model::Labels;

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::uint64_t kMaxRef = std::numeric_limits<std::uint64_t>::max();

std::string_view Payload(const std::string& record) { return std::string_view(record).substr(1); }

std::uint64_t Bits(double v) { return std::bit_cast<std::uint64_t>(v); }

TEST(RecordTest, SeriesRoundTrip) {
  std::vector<RefSeries> in = {
      {1, Labels::FromPairs({{"__name__", "up"}, {"job", "api"}, {"instance", "a:9090"}})},
      {kMaxRef, Labels::FromPairs({{"x", std::string(300, 'v')}})},
      {0, Labels()},
      {1234567, Labels::FromPairs({{"utf8", "héllo \xff\x01"}})},
  };
  std::string rec = EncodeSeries(in);
  ASSERT_EQ(static_cast<RecordType>(rec[0]), RecordType::kSeries);
  std::vector<RefSeries> out;
  ASSERT_TRUE(DecodeSeries(Payload(rec), &out).ok());
  ASSERT_EQ(out.size(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out[i].ref, in[i].ref);
    EXPECT_EQ(out[i].labels, in[i].labels) << out[i].labels.ToString();
  }
}

TEST(RecordTest, SamplesRoundTripBitExact) {
  std::vector<RefSample> in = {
      {5, 1'700'000'000'000, 1.5},
      {3, 1'700'000'000'000, model::kStaleNaN},
      {kMaxRef, kMin, std::numeric_limits<double>::infinity()},
      {0, kMax, -std::numeric_limits<double>::infinity()},
      {1, 0, -0.0},
      {2, -1, std::bit_cast<double>(std::uint64_t{0x7ff8000000000001})},  // NaN payload
      {7, kMax, std::numeric_limits<double>::denorm_min()},
      {8, kMin, std::numeric_limits<double>::quiet_NaN()},
  };
  std::string rec = EncodeSamples(in);
  ASSERT_EQ(static_cast<RecordType>(rec[0]), RecordType::kSamples);
  std::vector<RefSample> out;
  ASSERT_TRUE(DecodeSamples(Payload(rec), &out).ok());
  ASSERT_EQ(out.size(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out[i].ref, in[i].ref) << i;
    EXPECT_EQ(out[i].t, in[i].t) << i;
    EXPECT_EQ(Bits(out[i].v), Bits(in[i].v)) << i;
  }
  EXPECT_TRUE(model::IsStaleNaN(out[1].v));
}

TEST(RecordTest, SamplesOfOneScrapeAreCompact) {
  std::vector<RefSample> in;
  for (int i = 0; i < 1000; ++i) in.push_back({100000u + i, 1'700'000'000'000, 1.0 * i});
  std::string rec = EncodeSamples(in);
  // Per sample: ref delta 1-2 bytes, t delta 1 byte, value 8 bytes.
  EXPECT_LE(rec.size(), 20 + in.size() * 11);
}

TEST(RecordTest, TombstonesRoundTrip) {
  std::vector<Tombstone> in = {{1, 0, 100}, {kMaxRef, kMin, kMax}, {2, kMax, kMin}, {3, -5, -5}};
  std::string rec = EncodeTombstones(in);
  ASSERT_EQ(static_cast<RecordType>(rec[0]), RecordType::kTombstones);
  std::vector<Tombstone> out;
  ASSERT_TRUE(DecodeTombstones(Payload(rec), &out).ok());
  ASSERT_EQ(out.size(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out[i].ref, in[i].ref);
    EXPECT_EQ(out[i].mint, in[i].mint);
    EXPECT_EQ(out[i].maxt, in[i].maxt);
  }
}

TEST(RecordTest, EmptyRecordsDecodeToNothing) {
  std::vector<RefSeries> s;
  std::vector<RefSample> m;
  std::vector<Tombstone> t;
  EXPECT_EQ(EncodeSeries({}).size(), 1u);
  EXPECT_TRUE(DecodeSeries(Payload(EncodeSeries({})), &s).ok());
  EXPECT_TRUE(DecodeSamples(Payload(EncodeSamples({})), &m).ok());
  EXPECT_TRUE(DecodeTombstones(Payload(EncodeTombstones({})), &t).ok());
  EXPECT_TRUE(s.empty() && m.empty() && t.empty());
}

struct Malformed {
  std::string name;
  RecordType type;
  std::string payload;
  std::string error;  // a substring of the message
};

Status Decode(RecordType type, std::string_view payload) {
  std::vector<RefSeries> s;
  std::vector<RefSample> m;
  std::vector<Tombstone> t;
  switch (type) {
    case RecordType::kSeries: return DecodeSeries(payload, &s);
    case RecordType::kSamples: return DecodeSamples(payload, &m);
    case RecordType::kTombstones: return DecodeTombstones(payload, &t);
  }
  return Status::Ok();
}

TEST(RecordTest, MalformedPayloadsAreErrors) {
  const Malformed cases[] = {
      {"series truncated varint", RecordType::kSeries, "\x81", "series ref: truncated varint"},
      {"series missing label count", RecordType::kSeries, "\x01", "label count"},
      {"series label count too big", RecordType::kSeries, std::string("\x01\x05\x01", 3),
       "labels cannot fit"},
      {"series name past end", RecordType::kSeries, std::string("\x01\x01\x09\x61\x01\x62", 6),
       "past the end"},
      {"series empty value", RecordType::kSeries, std::string("\x01\x01\x01\x61\x00\x00\x00", 7),
       "label value: empty"},
      {"series unsorted", RecordType::kSeries,
       std::string("\x01\x02\x01\x62\x01\x76\x01\x61\x01\x76", 10), "unsorted"},
      {"varint overflow", RecordType::kSeries, std::string(10, '\xff') + "\x01",
       "overflows 64 bits"},
      {"samples truncated header", RecordType::kSamples, "\x05", "base timestamp"},
      {"samples truncated value", RecordType::kSamples, std::string("\x05\x00\x00\x00\x01\x02", 6),
       "value: truncated"},
      {"tombstones truncated", RecordType::kTombstones, std::string("\x01\x02", 2),
       "interval length"},
  };
  for (const Malformed& c : cases) {
    Status s = Decode(c.type, c.payload);
    EXPECT_EQ(s.code(), StatusCode::kBadData) << c.name;
    EXPECT_NE(s.message().find(c.error), std::string::npos) << c.name << ": " << s.message();
  }
}

// Every prefix and every single-byte corruption of valid records either decodes or
// fails cleanly (run under ASan/UBSan to check bounds; here: no crash, no hang).
TEST(RecordTest, TruncationsAndBitFlipsNeverCrash) {
  std::vector<std::string> records = {
      EncodeSeries(std::vector<RefSeries>{{7, Labels::FromPairs({{"__name__", "m"}, {"a", "b"}})},
                                          {9, Labels::FromPairs({{"c", "d"}})}}),
      EncodeSamples(std::vector<RefSample>{{1, 10, 1.0}, {2, 20, 2.0}, {3, kMin, 3.0}}),
      EncodeTombstones(std::vector<Tombstone>{{1, 0, 10}, {2, kMin, kMax}}),
  };
  for (const std::string& rec : records) {
    auto type = static_cast<RecordType>(rec[0]);
    std::string payload(Payload(rec));
    for (std::size_t n = 0; n < payload.size(); ++n) (void)Decode(type, payload.substr(0, n));
    for (std::size_t i = 0; i < payload.size(); ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string bad = payload;
        bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
        (void)Decode(type, bad);
      }
    }
  }
  std::mt19937 rng(42);
  for (int i = 0; i < 20000; ++i) {
    std::string junk(rng() % 64, '\0');
    for (char& c : junk) c = static_cast<char>(rng());
    (void)Decode(static_cast<RecordType>(1 + rng() % 3), junk);
  }
}

}  // namespace
}  // namespace hw::tsdb
