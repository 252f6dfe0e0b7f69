// The JSON bodies of Prometheus' /api/v1/targets and /api/v1/metadata `data` fields,
// so the API routes are one-liners. Written with RapidJSON's streaming writer.
//
// TargetsJson(manager, state, scrape_pool):
//   {"activeTargets":[{"discoveredLabels":{...},"labels":{...},"scrapePool":"...",
//     "scrapeUrl":"...","globalUrl":"...","lastError":"","lastScrape":"<RFC 3339>",
//     "lastScrapeDuration":0.0123,"health":"up","scrapeInterval":"15s",
//     "scrapeTimeout":"10s"}, ...],
//    "droppedTargets":[{"discoveredLabels":{...},"scrapePool":"..."}, ...],
//    "droppedTargetCounts":{"<pool>":N, ...}}
// `state` is Prometheus' parameter (case-insensitive, trimmed): "" or "any" gives
// both lists, "active" or "dropped" one of them (the other is []); anything else
// gives two empty lists, as Prometheus does. A non-empty scrape_pool keeps that pool
// only. A target never scraped shows lastScrape "0001-01-01T00:00:00Z" (Go's zero
// time) and health "unknown".
//
// MetadataJson(manager, metric, limit, limit_per_metric):
//   {"<metric>":[{"type":"counter","help":"...","unit":""}, ...], ...}
//
// Thread-safe (reads the manager through its thread-safe accessors).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scrape/manager.h"

namespace hw::scrape {

std::string TargetsJson(const Manager& manager, std::string_view state,
                        std::string_view scrape_pool = {});

std::string MetadataJson(const Manager& manager, std::string_view metric, int limit = -1,
                         int limit_per_metric = -1);

}  // namespace hw::scrape
