// Content negotiation for scrapes: the Accept header a scrape sends and the parser a
// response's Content-Type selects.
//
// Thread-safe (constants and pure functions).
#pragma once

#include <optional>
#include <string_view>

#include "base/status.h"
#include "scrape/metadata.h"

namespace hw::scrape {

// The Accept header Prometheus 3.x sends with its default scrape_protocols
// (OpenMetricsText1.0.0, OpenMetricsText0.0.1, PrometheusText1.0.0,
// PrometheusText0.0.4; scrape/scrape.go acceptHeader()), so exporters answer us
// exactly as they answer Prometheus. `escaping=allow-utf-8` asks for UTF-8 names
// unescaped (quoted where needed), which both parsers read. Protobuf is not offered:
// there is no protobuf parser.
inline constexpr std::string_view kAcceptHeader =
    "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,"
    "application/openmetrics-text;version=0.0.1;q=0.4,"
    "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,"
    "text/plain;version=0.0.4;q=0.2,"
    "*/*;q=0.1";

// What Prometheus 2.x (before scrape_protocols, 2.0–2.48) sends; for targets that
// mishandle the 3.x header.
inline constexpr std::string_view kAcceptHeaderPrometheus2 =
    "application/openmetrics-text;version=1.0.0,"
    "application/openmetrics-text;version=0.0.1;q=0.75,"
    "text/plain;version=0.0.4;q=0.5,"
    "*/*;q=0.1";

// The format of a response from its Content-Type header value ("" when absent):
//   missing, text/plain (version absent, 0.0.4 or 1.0.0)      -> kPrometheusText
//   application/openmetrics-text (version absent, 0.0.1, 1.0.0) -> kOpenMetrics
// Media types and parameter names are case-insensitive; charset and escaping are
// ignored. Anything else (protobuf, text/html, an unknown version) is a kBadData
// error naming the content type, unless `fallback` is given (Prometheus 3's
// fallback_scrape_protocol), which is then used for unknown media types.
Result<Format> FormatForContentType(std::string_view content_type,
                                    std::optional<Format> fallback = std::nullopt);

// The Content-Type a server answers with for `format` (for our own /metrics).
std::string_view ContentTypeFor(Format format);

}  // namespace hw::scrape
