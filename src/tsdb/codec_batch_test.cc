// kZstd payloads and kBatch frames: round trips, random access, corruption.
#include <random>

#include <gtest/gtest.h>

#include "tsdb/codec.h"
#include "tsdb/codec_test_util.h"

namespace hw::tsdb {
namespace {

std::vector<Samples> SomeSeries(int count) {
  std::mt19937_64 rng(8);
  std::vector<Samples> out(count);
  for (int s = 0; s < count; ++s) {
    double v = s * 10.0;
    for (int i = 0; i < 240; ++i) {
      v += static_cast<double>(rng() % (s + 2)) / 100;
      out[s].push_back({1'700'000'000'000 + i * 15'000 + static_cast<std::int64_t>(rng() % 3), v});
    }
  }
  out[0].clear();  // an empty series in the batch
  return out;
}

TEST(CodecBatchTest, RoundTripsEverySeriesWithRandomAccess) {
  std::vector<Samples> series = SomeSeries(50);
  std::vector<std::vector<std::uint8_t>> payloads;
  std::size_t separate = 0;
  for (const Samples& s : series) {
    payloads.push_back(EncodeColumnar(s));
    separate += payloads.back().size();
  }
  std::vector<std::uint8_t> batch = EncodeBatch(payloads);
  EXPECT_EQ(batch[0], static_cast<std::uint8_t>(CodecId::kBatch));
  EXPECT_LT(batch.size(), separate);  // the shared timestamps compress away

  Result<BatchReader> r = BatchReader::Open(batch);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->Count(), series.size());
  for (std::size_t i : {std::size_t{49}, std::size_t{0}, std::size_t{17}}) {
    auto p = r->Payload(i);
    EXPECT_TRUE(std::equal(p.begin(), p.end(), payloads[i].begin(), payloads[i].end()));
    Result<Samples> got = r->Decode(i);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ExpectBitExact(series[i], *got);
  }
}

TEST(CodecBatchTest, BuilderTracksSizeAndResets) {
  BatchBuilder b;
  std::vector<std::uint8_t> p = EncodeColumnar(Samples{{1, 2}});
  EXPECT_EQ(b.Add(p), 0u);
  EXPECT_EQ(b.Add(p), 1u);
  EXPECT_EQ(b.Count(), 2u);
  EXPECT_EQ(b.RawBytes(), 2 * p.size());
  std::vector<std::uint8_t> batch = b.Finish();
  EXPECT_EQ(b.Count(), 0u);
  EXPECT_EQ(b.RawBytes(), 0u);
  Result<BatchReader> r = BatchReader::Open(batch);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Count(), 2u);
}

TEST(CodecBatchTest, EmptyAndIncompressibleBatches) {
  Result<BatchReader> empty = BatchReader::Open(EncodeBatch({}));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->Count(), 0u);

  std::mt19937_64 rng(2);
  std::vector<std::uint8_t> noise(300);
  for (std::uint8_t& b : noise) b = static_cast<std::uint8_t>(rng());
  std::vector<std::vector<std::uint8_t>> payloads = {noise, {}};
  std::vector<std::uint8_t> batch = EncodeBatch(payloads);
  EXPECT_EQ(batch[2], 0);  // stored uncompressed: id, count, compression byte
  Result<BatchReader> r = BatchReader::Open(batch);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Payload(0).size(), 300u);
  EXPECT_TRUE(r->Payload(1).empty());
  Result<Samples> bad = r->Decode(0);  // noise is not a payload
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("series 0 of batch"), std::string::npos);
}

TEST(CodecBatchTest, ZstdSeriesPayloadsFallBackWhenNotSmaller) {
  std::vector<std::uint8_t> tiny = EncodeColumnarZstd(Samples{{1, 1}});
  EXPECT_EQ(tiny[0], static_cast<std::uint8_t>(CodecId::kColumnar));
  Samples big;
  for (int i = 0; i < 5000; ++i) big.push_back({i * 1000, static_cast<double>(i % 10)});
  std::vector<std::uint8_t> z = EncodeColumnarZstd(big);
  EXPECT_EQ(z[0], static_cast<std::uint8_t>(CodecId::kZstd));
  EXPECT_LT(z.size(), EncodeColumnar(big).size());
  Result<Samples> got = DecodeColumnar(z);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectBitExact(big, *got);
}

TEST(CodecBatchTest, CorruptBatchesAreErrors) {
  std::vector<std::vector<std::uint8_t>> payloads;
  for (const Samples& s : SomeSeries(10)) payloads.push_back(EncodeColumnar(s));
  std::vector<std::uint8_t> batch = EncodeBatch(payloads);
  for (std::size_t len = 0; len < batch.size(); ++len) {
    std::vector<std::uint8_t> prefix(batch.begin(), batch.begin() + len);
    EXPECT_FALSE(BatchReader::Open(prefix).ok()) << "prefix of " << len;
  }
  std::mt19937_64 rng(6);
  for (int iter = 0; iter < 5000; ++iter) {
    std::vector<std::uint8_t> b = batch;
    b[rng() % b.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
    Result<BatchReader> r = BatchReader::Open(b);
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kBadData);
      continue;
    }
    for (std::size_t i = 0; i < r->Count(); ++i) (void)r->Decode(i);
  }
  EXPECT_FALSE(BatchReader::Open(std::vector<std::uint8_t>{4, 200, 1}).ok());  // count > input
  EXPECT_FALSE(BatchReader::Open(std::vector<std::uint8_t>{4, 1, 2, 0}).ok());  // compression 2
  EXPECT_FALSE(BatchReader::Open(std::vector<std::uint8_t>{4, 1, 0, 3, 1}).ok());  // short body
}

}  // namespace
}  // namespace hw::tsdb
