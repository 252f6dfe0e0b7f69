// Entry points shared between the codec's source files (codec.cc decodes kColumnar,
// codec_zstd.cc unwraps kZstd and kBatch and dispatches). Internal to hw_tsdb_codec;
// stateless and thread-safe.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "base/status.h"
#include "model/sample.h"

namespace hw::tsdb::codec_internal {

// Which samples a decode materializes: those with mint <= t <= maxt when the payload's
// timestamps are in order, all of them otherwise. The whole payload is still parsed
// and checked, so a corrupt payload fails whatever the range.
struct DecodeRange {
  std::int64_t mint = std::numeric_limits<std::int64_t>::min();
  std::int64_t maxt = std::numeric_limits<std::int64_t>::max();
};

// Decodes a kColumnar payload (id byte included) into *out, replacing its contents.
// *sorted (may be null) is set to whether the timestamps are non-decreasing.
Status DecodeColumnar(std::span<const std::uint8_t> payload, const DecodeRange& range,
                      std::vector<model::Sample>* out, bool* sorted);

}  // namespace hw::tsdb::codec_internal
