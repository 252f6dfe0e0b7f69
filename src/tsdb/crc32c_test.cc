#include "tsdb/crc32c.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace hw::tsdb {
namespace {

struct Vector {
  std::string input;
  std::uint32_t crc;
};

// Published CRC-32C check values (RFC 3720 appendix B.4 and the common "check" value).
TEST(Crc32cTest, KnownVectors) {
  const Vector cases[] = {
      {"", 0x00000000},
      {"123456789", 0xE3069283},
      {"a", 0xC1D04330},
      {std::string(32, '\0'), 0x8A9136AA},
      {std::string(32, '\xff'), 0x62A8AB43},
  };
  for (const Vector& c : cases) {
    EXPECT_EQ(Crc32c(c.input), c.crc) << "input size " << c.input.size();
    EXPECT_EQ(Crc32cExtendPortable(0, c.input.data(), c.input.size()), c.crc);
  }
  std::string ascending, descending;
  for (int i = 0; i < 32; ++i) {
    ascending.push_back(static_cast<char>(i));
    descending.push_back(static_cast<char>(31 - i));
  }
  EXPECT_EQ(Crc32c(ascending), 0x46DD794Eu);
  EXPECT_EQ(Crc32c(descending), 0x113FDB5Cu);
}

TEST(Crc32cTest, ExtendEqualsWhole) {
  std::string data = "The quick brown fox jumps over the lazy dog, twice over.";
  for (std::size_t split = 0; split <= data.size(); ++split) {
    std::uint32_t head = Crc32c(data.substr(0, split));
    EXPECT_EQ(Crc32cExtend(head, data.data() + split, data.size() - split), Crc32c(data));
  }
}

TEST(Crc32cTest, HardwareMatchesPortableOnRandomInputs) {
  std::mt19937 rng(7);
  for (int n = 0; n < 300; ++n) {
    std::string data(n, '\0');
    for (char& c : data) c = static_cast<char>(rng());
    // Unaligned starts exercise the tails of both implementations.
    for (std::size_t off = 0; off < std::min<std::size_t>(data.size(), 9); ++off) {
      std::string_view v(data.data() + off, data.size() - off);
      ASSERT_EQ(Crc32c(v), Crc32cExtendPortable(0, v.data(), v.size()))
          << "size " << n << " offset " << off;
    }
  }
}

}  // namespace
}  // namespace hw::tsdb
