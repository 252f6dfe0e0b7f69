// Parsing and printing of the units config files and APIs use: Prometheus durations
// ("1m30s", "5m", "2h", "1d", "1w", "1y", "250ms") and byte sizes ("512MB", "1GiB").
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace hw {

using Duration = std::chrono::milliseconds;

// Prometheus' duration grammar: one or more <number><unit> in decreasing unit order,
// units y (365d), w, d, h, m, s, ms; "0" alone is zero. Errors name the input.
Result<Duration> ParseDuration(std::string_view text);

// The shortest Prometheus form of d: 90000ms -> "1m30s", 0 -> "0s".
std::string FormatDuration(Duration d);

// Byte sizes as Prometheus' storage.tsdb.retention.size takes them: B, KB, MB, GB,
// TB, PB, EB (base 2, as Prometheus reads them) and KiB, MiB, GiB, TiB.
Result<std::uint64_t> ParseBytes(std::string_view text);

// Milliseconds since the epoch as Go's time.RFC3339Nano in UTC
// ("2026-05-25T18:00:01.12Z"; trailing fraction zeros dropped).
std::string FormatRfc3339Millis(std::int64_t ms);
// RFC 3339 ("2026-05-25T18:00:01.123456789Z", "...+02:00"; fraction optional, kept to
// the millisecond) to milliseconds since the epoch. Errors name the input.
Result<std::int64_t> ParseRfc3339Millis(std::string_view text);

}  // namespace hw
