#include "tsdb/ulid.h"

#include <chrono>

#include <fmt/format.h>

namespace hw::tsdb {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// The 5-bit value of a base32 character, or -1.
int DecodeChar(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'I' || c == 'L') return 1;
  if (c == 'O') return 0;
  for (int i = 0; i < 32; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

}  // namespace

Ulid Ulid::Generate(std::int64_t unix_ms, std::mt19937_64& rng) {
  std::array<std::uint8_t, 16> b{};
  auto ms = static_cast<std::uint64_t>(unix_ms);
  for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(ms >> (8 * (5 - i)));
  std::uint64_t r1 = rng();
  std::uint64_t r2 = rng();
  for (int i = 0; i < 8; ++i) b[6 + i] = static_cast<std::uint8_t>(r1 >> (8 * i));
  b[14] = static_cast<std::uint8_t>(r2);
  b[15] = static_cast<std::uint8_t>(r2 >> 8);
  return Ulid(b);
}

std::string Ulid::ToString() const {
  // 128 bits as 26 groups of 5 bits, the first group holding only 3 bits (2 leading 0s).
  std::string out(kStringSize, '0');
  for (std::size_t i = 0; i < kStringSize; ++i) {
    int bit = static_cast<int>(i) * 5 - 2;  // position of the group's top bit
    int v = 0;
    for (int k = 0; k < 5; ++k, ++bit) {
      v <<= 1;
      if (bit >= 0) v |= (bytes_[bit / 8] >> (7 - bit % 8)) & 1;
    }
    out[i] = kAlphabet[v];
  }
  return out;
}

Result<Ulid> Ulid::Parse(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Status::BadData(fmt::format("cannot parse ULID \"{}\": {}", text, why));
  };
  if (text.size() != kStringSize) return bad(fmt::format("want 26 characters, got {}", text.size()));
  std::array<std::uint8_t, 16> b{};
  for (std::size_t i = 0; i < kStringSize; ++i) {
    int v = DecodeChar(text[i]);
    if (v < 0) return bad(fmt::format("invalid character at position {}", i));
    if (i == 0 && v > 7) return bad("value exceeds 128 bits");
    int bit = static_cast<int>(i) * 5 - 2;
    for (int k = 4; k >= 0; --k, ++bit) {
      if (bit < 0) continue;
      if ((v >> k) & 1) b[bit / 8] |= static_cast<std::uint8_t>(1 << (7 - bit % 8));
    }
  }
  return Ulid(b);
}

std::int64_t Ulid::UnixMillis() const {
  std::uint64_t ms = 0;
  for (int i = 0; i < 6; ++i) ms = ms << 8 | bytes_[i];
  return static_cast<std::int64_t>(ms);
}

Ulid NewUlid() {
  thread_local std::mt19937_64 rng([] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }());
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return Ulid::Generate(now.count(), rng);
}

}  // namespace hw::tsdb
