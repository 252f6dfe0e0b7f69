// Helpers shared by the query API's handlers (query.cc, query_series.cc). Internal
// to src/api.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "http/request.h"

namespace hw::api::internal {

// Prometheus' parseLimitParam: "" -> 0 (no limit); else a non-negative integer.
// Errors read `invalid parameter "limit": ...`.
Result<std::size_t> LimitParam(const http::Request& req);

// The warning Prometheus adds when `limit` cut a result short.
inline constexpr std::string_view kTruncatedWarning = "results truncated due to limit";

// `invalid parameter "<name>": <cause>` keeping the cause's code.
Status InvalidParam(std::string_view name, const Status& cause);

// Merges `more` into the sorted, unique `into`.
void MergeSorted(std::vector<std::string>* into, std::vector<std::string> more);

}  // namespace hw::api::internal
