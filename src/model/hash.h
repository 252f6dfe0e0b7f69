// Stable 64-bit hashing for series identity.
//
// XxHash64 is the xxHash64 algorithm (Yann Collet, reference spec
// https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md), written here from the
// spec so that the value depends on nothing but the input bytes: it is the same on every
// run, host and build, and may be persisted (WAL, block index) or compared with values
// computed by Prometheus, which uses xxHash64 with seed 0 for labels.Labels.Hash().
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace hw::model {

// xxHash64 of `data` with `seed`. XxHash64("") == 0xef46db3751d8e999.
std::uint64_t XxHash64(std::string_view data, std::uint64_t seed = 0);

}  // namespace hw::model
