// Helpers shared by the codec tests: bit-exact comparison and round-trip assertions.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "model/sample.h"
#include "tsdb/codec.h"

namespace hw::tsdb {

using Samples = std::vector<model::Sample>;

inline void ExpectBitExact(const Samples& want, const Samples& got) {
  ASSERT_EQ(want.size(), got.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    ASSERT_TRUE(model::SameBits(want[i], got[i]))
        << "sample " << i << ": want t=" << want[i].t << " bits=" << std::hex
        << std::bit_cast<std::uint64_t>(want[i].v) << " got t=" << std::dec << got[i].t
        << " bits=" << std::hex << std::bit_cast<std::uint64_t>(got[i].v);
  }
}

// Round-trips through EncodeColumnar, EncodeColumnarZstd and a ColumnarIterator; returns
// the kColumnar payload.
inline std::vector<std::uint8_t> ExpectRoundTrip(const Samples& samples) {
  std::vector<std::uint8_t> bytes = EncodeColumnar(samples);
  EXPECT_EQ(bytes[0], static_cast<std::uint8_t>(CodecId::kColumnar));
  Result<Samples> got = DecodeColumnar(bytes);
  EXPECT_TRUE(got.ok()) << got.status().ToString();
  if (got.ok()) ExpectBitExact(samples, *got);

  Result<Samples> z = DecodeColumnar(EncodeColumnarZstd(samples));
  EXPECT_TRUE(z.ok()) << z.status().ToString();
  if (z.ok()) ExpectBitExact(samples, *z);

  Samples iterated;
  ColumnarIterator it(bytes);
  while (it.Next()) iterated.push_back(it.At());
  EXPECT_TRUE(it.Err().ok()) << it.Err().ToString();
  ExpectBitExact(samples, iterated);
  return bytes;
}

}  // namespace hw::tsdb
