// Corrupt and truncated payloads must yield a kBadData Status: never a crash, a hang
// or an out-of-bounds read (run under ASan to check the last). A fuzz-style loop
// mutates valid encodings of every shape with a fixed seed.
#include <random>

#include <gtest/gtest.h>

#include "tsdb/codec.h"
#include "tsdb/codec_test_util.h"

namespace hw::tsdb {
namespace {

// Valid payloads covering every section kind: grid/delta/raw timestamps, decimal
// values with patches, XOR values, empty and single-sample series.
std::vector<std::vector<std::uint8_t>> Seeds() {
  std::mt19937_64 rng(21);
  Samples counter, xor_values, patched, unordered;
  double c = 0;
  for (int i = 0; i < 300; ++i) {
    std::int64_t t = 1'700'000'000'000 + i * 15'000 + static_cast<std::int64_t>(rng() % 5);
    c += static_cast<double>(rng() % 7) / 4;
    counter.push_back({t, c});
    xor_values.push_back({t, std::bit_cast<double>(rng())});
    patched.push_back({t, i % 50 == 0 ? model::kStaleNaN : -c});
    unordered.push_back({static_cast<std::int64_t>(rng()), static_cast<double>(i)});
  }
  std::vector<std::vector<std::uint8_t>> seeds;
  for (const Samples& s : {counter, xor_values, patched, unordered, Samples{},
                           Samples{{5, 0.5}}, Samples{{5, -0.0}, {6, 1e300}}}) {
    seeds.push_back(EncodeColumnar(s));
    seeds.push_back(EncodeColumnarZstd(s));
  }
  return seeds;
}

// Decodes through every entry point; each must fail cleanly or succeed consistently.
void DecodeAll(std::span<const std::uint8_t> bytes) {
  std::vector<model::Sample> out = {{1, 1}};
  Status s = DecodeColumnarInto(bytes, &out);
  if (s.ok()) {
    ColumnarIterator it(bytes);
    std::size_t n = 0;
    while (it.Next()) ++n;
    EXPECT_EQ(n, out.size());
    EXPECT_TRUE(it.Err().ok());
  } else {
    EXPECT_EQ(s.code(), StatusCode::kBadData) << s.ToString();
    EXPECT_TRUE(out.empty());
    ColumnarIterator it(bytes);
    EXPECT_FALSE(it.Next());
    EXPECT_FALSE(it.Err().ok());
  }
}

TEST(CodecCorruptTest, EveryTruncationIsAnError) {
  for (const std::vector<std::uint8_t>& seed : Seeds()) {
    for (std::size_t len = 0; len < seed.size(); ++len) {
      // A copy, so ASan sees reads past the prefix.
      std::vector<std::uint8_t> prefix(seed.begin(), seed.begin() + len);
      Result<Samples> r = DecodeColumnar(prefix);
      EXPECT_FALSE(r.ok()) << "prefix of " << len << " of " << seed.size();
    }
  }
}

TEST(CodecCorruptTest, TrailingBytesAreAnError) {
  for (std::vector<std::uint8_t> seed : Seeds()) {
    if (seed[0] != static_cast<std::uint8_t>(CodecId::kColumnar)) continue;
    seed.push_back(0);
    EXPECT_FALSE(DecodeColumnar(seed).ok());
  }
}

TEST(CodecCorruptTest, HeaderErrorsNameTheCause) {
  struct Case {
    std::vector<std::uint8_t> bytes;
    std::string want;
  };
  std::vector<Case> cases = {
      {{}, "empty"},
      {{7}, "unknown encoding id 7"},
      {{4, 0, 0}, "unknown encoding id 4"},
      {{2}, "truncated sample count"},
      {{2, 0x80, 0x80, 0x80, 0x80, 0x08}, "over the limit"},
      {{2, 1, 1, 0, 9}, "unknown value mode 9"},
      {{3, 0x80}, "truncated raw length"},
      {{3, 5, 1, 2, 3}, "zstd frame header"},
  };
  for (const Case& c : cases) {
    Result<Samples> r = DecodeColumnar(c.bytes);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kBadData);
    EXPECT_NE(r.status().message().find(c.want), std::string::npos) << r.status().message();
  }
}

TEST(CodecCorruptTest, RandomMutationsNeverCrash) {
  std::mt19937_64 rng(1234);
  std::vector<std::vector<std::uint8_t>> seeds = Seeds();
  for (int iter = 0; iter < 20000; ++iter) {
    std::vector<std::uint8_t> bytes = seeds[rng() % seeds.size()];
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !bytes.empty(); ++e) {
      std::size_t at = rng() % bytes.size();
      switch (rng() % 4) {
        case 0: bytes[at] ^= static_cast<std::uint8_t>(1u << (rng() % 8)); break;
        case 1: bytes[at] = static_cast<std::uint8_t>(rng()); break;
        case 2: bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(at)); break;
        default: bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                              static_cast<std::uint8_t>(rng()));
      }
    }
    DecodeAll(bytes);
  }
}

TEST(CodecCorruptTest, RandomBytesNeverCrash) {
  std::mt19937_64 rng(99);
  for (int iter = 0; iter < 20000; ++iter) {
    std::vector<std::uint8_t> bytes(rng() % 64);
    for (std::uint8_t& b : bytes) b = static_cast<std::uint8_t>(rng());
    if (!bytes.empty()) bytes[0] = static_cast<std::uint8_t>(2 + rng() % 3);
    DecodeAll(bytes);
    (void)BatchReader::Open(bytes);
  }
}

}  // namespace
}  // namespace hw::tsdb
