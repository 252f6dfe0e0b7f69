// Entry points shared between the codec's source files (codec.cc decodes kColumnar,
// codec_zstd.cc unwraps kZstd and kBatch and dispatches). Internal to hw_tsdb_codec;
// stateless and thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/status.h"
#include "model/sample.h"

namespace hw::tsdb::codec_internal {

// Decodes a kColumnar payload (id byte included) into *out, replacing its contents.
Status DecodeColumnar(std::span<const std::uint8_t> payload, std::vector<model::Sample>* out);

}  // namespace hw::tsdb::codec_internal
