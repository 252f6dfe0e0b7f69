// Parsing of the Prometheus HTTP API's parameters: times (RFC 3339 or Unix seconds
// with decimals), durations (Prometheus durations or float seconds) and match[]
// series selectors. Errors are kBadData and name the parameter, as Prometheus'
// messages do ("invalid parameter \"start\": cannot parse \"x\" to a valid timestamp").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "http/request.h"
#include "model/matcher.h"

namespace hw::api {

// Milliseconds since the epoch from "2026-11-27T05:02:35.123Z", "1764219755.123", or
// Prometheus' min/max time sentinels.
Result<std::int64_t> ParseTimeParam(std::string_view name, std::string_view value);
// The parameter if present, else `fallback`.
Result<std::int64_t> TimeParamOr(const http::Request& req, std::string_view name,
                                 std::int64_t fallback);
// Milliseconds from "5m", "1h30m" or "15" / "0.5" (seconds).
Result<std::int64_t> ParseDurationParam(std::string_view name, std::string_view value);
// Every match[] selector, each parsed; kBadData naming the bad one.
Result<std::vector<std::vector<model::Matcher>>> MatchParams(const http::Request& req);

// The bounds Prometheus uses for "no limit" (about year -292 million and +292 million
// in its own encoding); we use the int64 extremes.
inline constexpr std::int64_t kMinTime = std::numeric_limits<std::int64_t>::min() / 2;
inline constexpr std::int64_t kMaxTime = std::numeric_limits<std::int64_t>::max() / 2;

}  // namespace hw::api
