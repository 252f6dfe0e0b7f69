// Prometheus remote_write 1.0 receiver: a snappy-compressed protobuf WriteRequest
// (https://prometheus.io/docs/specs/remote_write_spec/) decoded into one Appender
// batch.
//
// Bad samples (out of order, duplicate timestamp with another value, invalid labels)
// do not sink the batch: every valid sample is committed, the bad ones are counted and
// the result says how many and why, so the handler answers 400 (which tells the sender
// not to retry) without losing the good data. Prometheus instead rolls the whole
// request back on the first such sample; keeping the valid samples is deliberate.
//
// Thread-safe: each call uses its own Appender.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/metrics.h"
#include "base/status.h"
#include "storage/interface.h"

namespace hw::ingest {

struct WriteResult {
  std::uint64_t series = 0;
  std::uint64_t samples = 0;     // appended (duplicates of stored samples included)
  std::uint64_t rejected = 0;    // refused: out of order, duplicate timestamp, bad labels
  std::uint64_t exemplars_skipped = 0;
  std::uint64_t histograms_skipped = 0;
  std::string first_error;       // the first rejection, for the 400 body
};

// Decompresses and decodes `body`, appends and commits. Errors: kBadData for a body
// that is not snappy or not a WriteRequest (nothing appended); the commit's error
// (e.g. the WAL failed: kUnavailable) if the batch could not be made durable.
Result<WriteResult> IngestRemoteWrite(std::string_view body, storage::Appendable& storage);

// Self-metrics for remote write, registered once.
struct RemoteWriteMetrics {
  explicit RemoteWriteMetrics(metrics::Registry& r);
  metrics::CounterFamily& requests;  // by result: ok, bad_request, failed
  metrics::Counter& requests_ok;
  metrics::Counter& requests_bad;
  metrics::Counter& requests_failed;
  metrics::Counter& samples;
  metrics::Counter& samples_rejected;
  metrics::Histogram& latency;
};

}  // namespace hw::ingest
