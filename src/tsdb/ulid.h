// ULID: 128-bit, lexicographically time-sortable identifiers (github.com/ulid/spec)
// naming block directories. 48 bits of Unix milliseconds (big-endian) then 80 random
// bits, written as 26 characters of Crockford base32 (0-9, A-Z without I, L, O, U),
// so sorting the names sorts blocks by creation time.
//
// Ulid is a plain value; thread-safe to read. NewUlid() is thread-safe (each thread
// has its own random engine, seeded from std::random_device).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "base/status.h"

namespace hw::tsdb {

class Ulid {
 public:
  static constexpr std::size_t kStringSize = 26;

  Ulid() = default;  // all zeros
  explicit Ulid(const std::array<std::uint8_t, 16>& bytes) : bytes_(bytes) {}

  // From a timestamp and 80 bits drawn from rng. Only the low 48 bits of unix_ms are
  // kept (enough until the year 10889).
  static Ulid Generate(std::int64_t unix_ms, std::mt19937_64& rng);
  // Parses the 26-character form (case-insensitive; also accepts Crockford's aliases
  // I/L -> 1 and O -> 0). kBadData naming the input on a wrong length, a character
  // outside the alphabet, or a value over 128 bits (first character above '7').
  static Result<Ulid> Parse(std::string_view text);

  std::string ToString() const;
  std::int64_t UnixMillis() const;
  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }

  friend auto operator<=>(const Ulid&, const Ulid&) = default;

 private:
  std::array<std::uint8_t, 16> bytes_{};
};

// A ULID for now (system clock) from a per-thread random engine.
Ulid NewUlid();

}  // namespace hw::tsdb
