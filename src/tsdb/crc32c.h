// CRC-32C (Castagnoli, polynomial 0x1EDC6F41, reflected 0x82F63B78): the checksum of
// every write-ahead log record (docs/format/wal.md) and of every block file's
// sections, chunks and tombstones (docs/format/block.md, index.md). Same function as Go's
// crc32.MakeTable(crc32.Castagnoli), iSCSI and ext4: init ~0, final XOR ~0, so
// Crc32c("123456789") == 0xE3069283.
//
// Uses the SSE4.2 crc32 instruction when the CPU has it (checked once at run time),
// software slicing-by-8 otherwise; both give identical results.
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace hw::tsdb {

// Extends `crc` (the CRC of some prefix, or 0 for none) with `n` more bytes.
// Crc32cExtend(Crc32c(a), b) == Crc32c(a + b).
std::uint32_t Crc32cExtend(std::uint32_t crc, const void* data, std::size_t n);

inline std::uint32_t Crc32c(std::string_view data) {
  return Crc32cExtend(0, data.data(), data.size());
}

// Extends `crc` with `data`: Crc32c(b, Crc32c(a)) == Crc32c(a ++ b). The argument
// order of the block code, which checksums byte spans.
inline std::uint32_t Crc32c(std::span<const std::uint8_t> data, std::uint32_t crc = 0) {
  return Crc32cExtend(crc, data.data(), data.size());
}

// The software implementation, exposed so tests can compare it with the hardware one.
std::uint32_t Crc32cExtendPortable(std::uint32_t crc, const void* data, std::size_t n);
// True when Crc32cExtend uses the SSE4.2 instruction on this machine.
bool Crc32cIsHardwareAccelerated();

}  // namespace hw::tsdb
