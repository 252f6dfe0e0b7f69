#include "ingest/remote_write.h"

#include <span>
#include <vector>

#include <fmt/format.h>
#include <protozero/pbf_reader.hpp>
#include <snappy.h>

#include "model/labels.h"

namespace hw::ingest {
namespace {

// WriteRequest field numbers (prometheus/prompb/remote.proto, types.proto).
constexpr protozero::pbf_tag_type kWriteTimeseries = 1;
constexpr protozero::pbf_tag_type kSeriesLabels = 1;
constexpr protozero::pbf_tag_type kSeriesSamples = 2;
constexpr protozero::pbf_tag_type kSeriesExemplars = 3;
constexpr protozero::pbf_tag_type kSeriesHistograms = 4;
constexpr protozero::pbf_tag_type kLabelName = 1;
constexpr protozero::pbf_tag_type kLabelValue = 2;
constexpr protozero::pbf_tag_type kSampleValue = 1;
constexpr protozero::pbf_tag_type kSampleTimestamp = 2;

using LabelPair = std::pair<std::string_view, std::string_view>;
using RawSample = std::pair<std::int64_t, double>;

// One decoded TimeSeries: ranges into the request's shared label and sample arrays,
// so a request costs a few allocations however many series it carries.
struct DecodedSeries {
  std::uint32_t labels_begin = 0, labels_end = 0;
  std::uint32_t samples_begin = 0, samples_end = 0;
  int exemplars = 0;
  int histograms = 0;
};

struct DecodedRequest {
  std::vector<DecodedSeries> series;
  std::vector<LabelPair> labels;
  std::vector<RawSample> samples;
  void Clear() {
    series.clear();
    labels.clear();
    samples.clear();
  }
};

void DecodeSeries(protozero::pbf_reader ts, DecodedRequest* req) {
  DecodedSeries out;
  out.labels_begin = out.labels_end = static_cast<std::uint32_t>(req->labels.size());
  out.samples_begin = static_cast<std::uint32_t>(req->samples.size());
  while (ts.next()) {
    switch (ts.tag()) {
      case kSeriesLabels: {
        protozero::pbf_reader l = ts.get_message();
        std::string_view name, value;
        while (l.next()) {
          if (l.tag() == kLabelName) {
            protozero::data_view d = l.get_view();
            name = std::string_view(d.data(), d.size());
          } else if (l.tag() == kLabelValue) {
            protozero::data_view d = l.get_view();
            value = std::string_view(d.data(), d.size());
          } else {
            l.skip();
          }
        }
        req->labels.emplace_back(name, value);
        break;
      }
      case kSeriesSamples: {
        protozero::pbf_reader s = ts.get_message();
        double v = 0;
        std::int64_t t = 0;
        while (s.next()) {
          if (s.tag() == kSampleValue) {
            v = s.get_double();
          } else if (s.tag() == kSampleTimestamp) {
            t = s.get_int64();
          } else {
            s.skip();
          }
        }
        req->samples.emplace_back(t, v);
        break;
      }
      case kSeriesExemplars:
        ++out.exemplars;
        ts.skip();
        break;
      case kSeriesHistograms:
        ++out.histograms;
        ts.skip();
        break;
      default:
        ts.skip();
    }
  }
  out.labels_end = static_cast<std::uint32_t>(req->labels.size());
  out.samples_end = static_cast<std::uint32_t>(req->samples.size());
  req->series.push_back(out);
}

// Checks a series' labels as Prometheus does: valid names, no duplicates, a metric name.
std::string LabelProblem(std::span<const LabelPair> labels) {
  bool has_name = false;
  for (size_t i = 0; i < labels.size(); ++i) {
    const auto& [name, value] = labels[i];
    if (name == model::kMetricName) {
      has_name = !value.empty();
    } else if (!model::IsValidLabelName(name)) {
      return fmt::format("invalid label name \"{}\"", name);
    }
    for (size_t j = 0; j < i; ++j) {
      if (labels[j].first == name) return fmt::format("duplicate label name \"{}\"", name);
    }
  }
  if (!has_name) return "series has no metric name (__name__)";
  return "";
}

}  // namespace

Result<WriteResult> IngestRemoteWrite(std::string_view body, storage::Appendable& storage) {
  // Decompress into a per-thread buffer: requests are ~0.5 MB raw, and a fresh
  // zero-filled string per request showed up in profiles.
  thread_local std::string raw;
  size_t raw_size = 0;
  if (!snappy::GetUncompressedLength(body.data(), body.size(), &raw_size) ||
      raw_size > (256u << 20)) {
    return Status::BadData("cannot decode remote write request: body is not snappy-compressed "
                           "(block format) or decompresses to more than 256 MiB");
  }
  if (raw.size() < raw_size) raw.resize(raw_size);
  if (!snappy::RawUncompress(body.data(), body.size(), raw.data())) {
    return Status::BadData("cannot decode remote write request: body is not snappy-compressed "
                           "(block format)");
  }
  std::string_view raw_view(raw.data(), raw_size);
  // Decode everything first: a malformed message must not leave half a batch behind.
  thread_local DecodedRequest decoded;
  decoded.Clear();
  try {
    protozero::pbf_reader req(raw_view.data(), raw_view.size());
    while (req.next()) {
      if (req.tag() == kWriteTimeseries) {
        DecodeSeries(req.get_message(), &decoded);
      } else {
        req.skip();  // metadata (field 3) is accepted and ignored for now
      }
    }
  } catch (const protozero::exception& e) {
    return Status::BadData(
        fmt::format("cannot decode remote write request: malformed protobuf: {}", e.what()));
  }

  WriteResult result;
  std::unique_ptr<storage::Appender> app = storage.NewAppender();
  auto reject = [&result](std::string why, std::uint64_t n) {
    if (result.first_error.empty()) result.first_error = std::move(why);
    result.rejected += n;
  };
  for (const DecodedSeries& s : decoded.series) {
    ++result.series;
    result.exemplars_skipped += s.exemplars;
    result.histograms_skipped += s.histograms;
    std::span<const LabelPair> pairs(decoded.labels.data() + s.labels_begin,
                                     s.labels_end - s.labels_begin);
    std::span<const RawSample> samples(decoded.samples.data() + s.samples_begin,
                                       s.samples_end - s.samples_begin);
    if (std::string problem = LabelProblem(pairs); !problem.empty()) {
      reject(fmt::format("invalid series: {}", problem), samples.size());
      continue;
    }
    // Senders (Prometheus among them) send labels sorted: then an existing series is
    // found without building a Labels. Anything else is normalised first.
    model::Labels labels;
    bool canonical = model::Labels::IsCanonical(pairs);
    if (!canonical) labels = model::Labels::FromPairs({pairs.begin(), pairs.end()});
    storage::SeriesRef ref = 0;
    for (const auto& [t, v] : samples) {
      if (ref != 0) {
        Status st = app->AppendRef(ref, t, v);
        if (st.ok()) {
          ++result.samples;
        } else {
          reject(st.message(), 1);
        }
        continue;
      }
      Result<storage::SeriesRef> r =
          canonical ? app->AppendPairs(pairs, t, v) : app->Append(labels, t, v);
      if (r.ok()) {
        ref = *r;
        ++result.samples;
      } else {
        reject(r.status().message(), 1);
      }
    }
  }
  HW_RETURN_IF_ERROR(app->Commit());
  return result;
}

RemoteWriteMetrics::RemoteWriteMetrics(metrics::Registry& r)
    : requests(r.Counter("hastewatch_remote_write_requests_total",
                         "Remote write requests by result.", {"result"})),
      requests_ok(requests.With("ok")),
      requests_bad(requests.With("bad_request")),
      requests_failed(requests.With("failed")),
      samples(r.Counter("hastewatch_remote_write_samples_total", "Samples appended from remote write.")
                  .With()),
      samples_rejected(r.Counter("hastewatch_remote_write_samples_rejected_total",
                                 "Samples refused from remote write (out of order, duplicate, "
                                 "invalid labels).")
                           .With()),
      latency(r.Histogram("hastewatch_remote_write_request_duration_seconds",
                          "Time to decode and commit one remote write request.", {},
                          {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5})
                  .With()) {}

}  // namespace hw::ingest
