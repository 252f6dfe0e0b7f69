// SLO specs: the typed form of the files named by `slos` in hastewatch.yml.
//
// A file holds a top-level `slos:` list; each entry is one service level objective:
//
//   slos:
//     - service: api                      # required; the `service` label of its rules
//       name: api-availability            # required; the `slo` label; unique per service
//       description: API requests served without an error      # optional
//       sli:                              # exactly one of events or latency
//         events:                         # the ratio of good to total events:
//           bad: http_errors_total{service="api"}      # good: or bad: (one of them)
//           total: http_requests_total{service="api"}  # counters (series selectors)
//         # latency:                      # "p95 < 200ms": at least `objective` of the
//         #   histogram: http_request_duration_seconds{service="api"}  # requests
//         #   threshold: 200ms            # faster than this; read from the bucket
//         #   critical_threshold: 500ms   # le="0.2" against _count (the bucket must exist)
//       objective: 99.9%                  # or a fraction: 0.999
//       critical_objective: 99.5%         # optional; latency: defaults to objective
//       window: 30d                       # rolling duration, or calendar_month
//       min_events: 100                   # optional: fewer events in an alert's long
//                                         # window never alert (low-traffic protection)
//       runbook: high-error-rate.md       # optional: a runbook name ({{ $externalURL }}/
//                                         # runbooks/<name>) or an absolute URL
//       labels: {team: backend}           # optional: added to the generated alerts
//
// The selectors are PromQL series selectors (validated at load); the latency histogram
// is named without its _bucket / _count suffix. Every problem in a file is reported at
// once, each as "file:line:col: key.path: problem".
//
// Plain values: a Spec is immutable once loaded and safe to share.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/units.h"

namespace hw::slo {

using Millis = std::chrono::milliseconds;

// Events below this many in an alert's long window never alert, unless the spec
// says otherwise: one failure among fewer than 100 requests is not an incident.
inline constexpr std::int64_t kDefaultMinEvents = 100;

struct Spec {
  enum class SliKind { kEvents, kLatency };
  enum class WindowKind { kRolling, kCalendarMonth };

  std::string file;  // where it was loaded from
  int line = 0;      // of the list entry (1-based)
  int column = 0;

  std::string service;
  std::string name;
  std::string description;

  SliKind kind = SliKind::kEvents;
  // kEvents: a `total` selector and exactly one of `good` and `bad`.
  std::string good;
  std::string bad;
  std::string total;
  // kLatency: the histogram's selector without suffix, e.g. `x_seconds{service="api"}`,
  // and thresholds in seconds (critical_threshold 0: the same as threshold).
  std::string histogram;
  double threshold_seconds = 0;
  double critical_threshold_seconds = 0;

  double objective = 0;           // fraction of good events, in (0, 1)
  double critical_objective = 0;  // 0: no critical objective
  WindowKind window_kind = WindowKind::kRolling;
  Millis window{30LL * 24 * 3600 * 1000};  // kRolling only
  std::int64_t min_events = kDefaultMinEvents;
  std::string runbook;  // as written; "" : none
  std::map<std::string, std::string> labels;

  // "api/api-availability".
  std::string Id() const { return service + "/" + name; }
  // "30d" or "calendar month".
  std::string WindowName() const;
  // Whether a critical objective applies (a critical objective or threshold given).
  bool HasCritical() const;
};

// The counters that measure one SLI: `total` and either `good` or `bad` (the other
// is ""), as series selectors. `critical`: the SLI of the critical objective (for
// latency SLOs, the bucket of the critical threshold).
struct EventSelectors {
  std::string good;
  std::string bad;
  std::string total;
};
EventSelectors Selectors(const Spec& spec, bool critical = false);

// A histogram `le` matcher for a threshold: le="0.2"; a whole number matches both
// exposition spellings, le=~"2|2\\.0" (Go clients write "2", Python clients "2.0").
std::string LeMatcher(double seconds);

// Parses `content`, reporting positions against `file`. On failure the status is
// kBadData and its message holds every error, one per line.
Result<std::vector<Spec>> ParseSpecFile(std::string_view file, std::string_view content);
// Reads and parses the file at `path`.
Result<std::vector<Spec>> LoadSpecFile(const std::string& path);
// Expands the globs (as rule_files) and loads every matched file, in pattern order
// then name order. Fails with every file's errors joined by newlines, and when one
// service defines two SLOs of the same name across files.
Result<std::vector<Spec>> LoadSpecFiles(const std::vector<std::string>& patterns);

}  // namespace hw::slo
