#include "model/alert.h"

#include <fmt/format.h>

namespace hw::model {

std::uint64_t AlertFingerprint(const Labels& labels) {
  constexpr std::uint64_t kOffset = 14695981039346656037ULL;
  constexpr std::uint64_t kPrime = 1099511628211ULL;
  std::uint64_t h = kOffset;
  auto add = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= kPrime;
    }
  };
  auto separator = [&h] {
    h ^= 0xff;
    h *= kPrime;
  };
  // Labels are kept sorted by name, as the fingerprint needs.
  for (const Label& l : labels) {
    add(l.name);
    separator();
    add(l.value);
    separator();
  }
  return h;
}

std::string FingerprintHex(std::uint64_t fingerprint) { return fmt::format("{:016x}", fingerprint); }

}  // namespace hw::model
