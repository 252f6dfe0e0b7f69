// Alert and AlertSink: the vocabulary between whatever raises alerts (alerting rules,
// `hastewatch test-alert`, clients of the Alertmanager API v2) and whatever delivers
// them (the local notification dispatcher, external Alertmanagers).
//
// An Alert is Alertmanager's "postable alert": a label set that identifies it, its
// annotations, when it started, when it ends (for a firing alert: the time after which
// it counts as resolved unless re-sent; for a resolved one: when it resolved), and a
// link back to the expression that produced it.
//
// Plain values; AlertSink implementations are thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/labels.h"

namespace hw::model {

struct Alert {
  Labels labels;  // includes alertname
  std::map<std::string, std::string> annotations;
  std::int64_t starts_at_ms = 0;  // 0: unknown (the receiver uses its arrival time)
  std::int64_t ends_at_ms = 0;    // 0: unknown
  std::string generator_url;

  // Resolved at `now_ms`: it has an end and the end is not in the future.
  bool ResolvedAt(std::int64_t now_ms) const { return ends_at_ms != 0 && ends_at_ms <= now_ms; }
};

// Prometheus' model.LabelSet.Fingerprint(): FNV-1a 64 over the sorted names and
// values, each followed by the byte 0xff. Alertmanager identifies alerts by it (the
// webhook's and API v2's "fingerprint", printed as 16 hex digits).
std::uint64_t AlertFingerprint(const Labels& labels);
// The fingerprint as Alertmanager prints it: 16 lower-case hex digits.
std::string FingerprintHex(std::uint64_t fingerprint);

// Receives batches of alerts. Send must not block on delivery: implementations queue
// and deliver on their own threads. Thread-safe.
class AlertSink {
 public:
  virtual ~AlertSink() = default;
  virtual void Send(std::vector<Alert> alerts) = 0;
};

}  // namespace hw::model
