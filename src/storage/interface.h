// The storage boundary: how samples get in (Appender) and how series come out
// (Querier). Scrape, remote write, OTLP and recording rules see only Appendable;
// PromQL, the API and rule lint see only Queryable. tsdb implements both. This header
// holds interfaces and nothing else (docs/STYLE.md).
//
// Thread-safety:
//   - Appendable and Queryable are thread-safe: any thread may create appenders and
//     queriers at any time.
//   - An Appender is used by one thread at a time and ends in exactly one Commit() or
//     Rollback(); after that it must not be used again. Samples become visible to new
//     queriers only when Commit() returns OK, all at once. Destroying an appender that
//     was not committed rolls it back.
//   - A Querier sees a consistent snapshot as of its creation: samples committed later
//     may or may not appear, but a commit is never seen in part. A Querier and the
//     SeriesSets and iterators it returns are used by one thread at a time; they stay
//     valid until the Querier is closed or destroyed, whichever comes first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "model/matcher.h"
#include "model/sample.h"

namespace hw::model {
// Not yet supported; declared so AppendOptions keeps room for them.
struct Exemplar;
struct NativeHistogram;
}  // namespace hw::model

namespace hw::storage {

// Identifies a series inside one storage for the lifetime of that storage. 0 is never
// a valid reference. Opaque to callers: only pass back what Append returned.
using SeriesRef = std::uint64_t;

// What else comes with a sample. Every sample kind goes through the one Append (no
// side interfaces): fields are added here as kinds are supported.
struct AppendOptions {
  // Reserved: must be null until exemplars are supported.
  const model::Exemplar* exemplar = nullptr;
  // Reserved: when set (once supported), the sample is this histogram and `v` is ignored.
  const model::NativeHistogram* histogram = nullptr;
};

// Buffers samples for one atomic commit. Not thread-safe; ends in Commit or Rollback.
//
// Append errors are returned at once and leave the rest of the batch intact (the
// caller may skip the bad sample and go on):
//   - a timestamp older than the series' newest committed or appended sample: kBadData,
//     "cannot append sample to up{job=\"api\"}: out of order sample (t=..., last t=...)"
//   - the same timestamp as the newest sample with a different value (bit-compared, so
//     a stale marker differs from every number): kBadData, "cannot append sample to
//     up{...}: duplicate sample for timestamp (t=..., value ..., last value ...)"
//   - the same timestamp with a bit-identical value is accepted and ignored.
//   - an empty label set: kBadData.
// Timestamps outside what the storage accepts (e.g. older than the head's window)
// are rejected with kBadData naming the bound.
class Appender {
 public:
  virtual ~Appender();

  // Adds a sample. Returns the series' reference, which may be passed to AppendRef
  // for later samples of the same series (the fast path: no label hashing or lookup).
  // Implementations should not redeclare the default argument.
  virtual Result<SeriesRef> Append(const model::Labels& labels, std::int64_t t, double v,
                                   const AppendOptions& opts = {}) = 0;
  // Adds a sample to the series with these labels, given as name/value pairs in
  // canonical form (sorted by name, unique, no empty values; model::Labels::IsCanonical).
  // The same as Append(Labels::FromPairs(pairs), ...), but an implementation may find
  // an existing series without building a Labels (remote write's hot path).
  virtual Result<SeriesRef> AppendPairs(
      std::span<const std::pair<std::string_view, std::string_view>> pairs, std::int64_t t,
      double v);
  // Adds a sample to a series by reference. kNotFound when the reference is unknown
  // (e.g. the series was garbage-collected): the caller falls back to Append.
  virtual Status AppendRef(SeriesRef ref, std::int64_t t, double v) = 0;

  // Makes every sample appended so far visible, atomically and durably (once Commit
  // returns OK the samples survive a crash). On error nothing is committed.
  virtual Status Commit() = 0;
  // Discards every sample appended so far.
  virtual void Rollback() = 0;
};

// A source of Appenders. Thread-safe.
class Appendable {
 public:
  virtual ~Appendable();
  virtual std::unique_ptr<Appender> NewAppender() = 0;
};

// Iterates the samples of one series in increasing timestamp order. Not thread-safe.
// Before the first Next or Seek it is positioned before the first sample.
class SampleIterator {
 public:
  virtual ~SampleIterator();

  // Moves to the next sample; false when there is none (or on error, see Err).
  virtual bool Next() = 0;
  // Moves to the first sample with timestamp >= t. If the current sample already
  // satisfies that, stays where it is (Seek never moves backwards). False when no such
  // sample exists; the iterator is then exhausted.
  virtual bool Seek(std::int64_t t) = 0;
  // The current sample; only after Next or Seek returned true.
  virtual model::Sample At() const = 0;
  // The error that ended iteration early, if any (corrupt data, I/O).
  virtual Status Err() const = 0;
  // Moves over up to buf.size() samples (buf not empty) as that many Next calls would,
  // copying each into buf; returns how many (0: at the end or on error, see Err).
  // Afterwards Next and Seek go on from the last sample copied, but At() is unspecified
  // (an implementation may have hit the end of its range within the batch). Readers of
  // whole series (PromQL's selectors) use it to avoid a virtual call per sample; the
  // default loops over Next.
  virtual std::size_t NextBatch(std::span<model::Sample> buf) {
    std::size_t n = 0;
    while (n < buf.size() && Next()) buf[n++] = At();
    return n;
  }
};

// One series of a Select result.
class Series {
 public:
  virtual ~Series();
  virtual const model::Labels& labels() const = 0;
  // A fresh iterator over the series' samples within the Select's [mint, maxt].
  virtual std::unique_ptr<SampleIterator> Iterator() const = 0;
};

// The result of Select: series sorted by labels (model::Labels ordering), each once.
class SeriesSet {
 public:
  virtual ~SeriesSet();
  // Moves to the next series; false at the end or on error.
  virtual bool Next() = 0;
  // The current series; valid until the next call to Next.
  virtual const Series& At() const = 0;
  virtual Status Err() const = 0;
  // Non-fatal problems (e.g. a partial result), reported beside the data.
  virtual std::vector<std::string> Warnings() const = 0;
};

// Optional information about how the data will be used; storage may use it to read
// less. Ignoring it is always correct.
struct SelectHints {
  std::int64_t start_ms = 0;  // the query's evaluation range,
  std::int64_t end_ms = 0;    // before the range/lookback extension
  std::int64_t step_ms = 0;   // 0 for instant queries
  std::int64_t range_ms = 0;  // range of a range selector, 0 otherwise
  std::string func;           // the function wrapping the selector, e.g. "rate"
  std::vector<std::string> grouping;  // labels of an enclosing aggregation
  bool by = false;                    // grouping is `by` (true) or `without`
};

// Reads a consistent snapshot of the storage. See the file comment for thread-safety.
class Querier {
 public:
  virtual ~Querier();

  // Series matching every matcher (Prometheus semantics: a matcher that matches ""
  // also selects series without the label), with samples in [mint, maxt] (inclusive).
  // Series with no samples in range may be omitted. Errors travel in SeriesSet::Err.
  virtual std::unique_ptr<SeriesSet> Select(const std::vector<model::Matcher>& matchers,
                                            std::int64_t mint, std::int64_t maxt,
                                            const SelectHints* hints = nullptr) = 0;
  // Sorted, unique label names of the series matching `matchers` (all series if empty).
  virtual Result<std::vector<std::string>> LabelNames(
      const std::vector<model::Matcher>& matchers) = 0;
  // Sorted, unique non-empty values of `name` among series matching `matchers`.
  virtual Result<std::vector<std::string>> LabelValues(
      const std::string& name, const std::vector<model::Matcher>& matchers) = 0;
  // Releases the snapshot; everything returned by this querier becomes invalid.
  virtual Status Close() = 0;
};

// A source of Queriers. Thread-safe.
class Queryable {
 public:
  virtual ~Queryable();
  // A querier over data in [mint, maxt] (milliseconds, inclusive).
  virtual Result<std::unique_ptr<Querier>> NewQuerier(std::int64_t mint, std::int64_t maxt) = 0;
};

}  // namespace hw::storage
