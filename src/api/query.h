// The Prometheus HTTP query API (https://prometheus.io/docs/prometheus/latest/querying/api/),
// in Prometheus' exact JSON shapes, each endpoint on GET and on form-encoded POST
// (except label values and metadata, GET only, as in Prometheus). Role `read`.
//
//   /api/v1/query             query, time (default now), timeout, limit, stats
//                             -> {"resultType":"vector|scalar|string|matrix","result":...}
//   /api/v1/query_range       query, start, end, step, timeout, limit, stats
//                             -> {"resultType":"matrix","result":[{metric,values}]};
//                             more than 11,000 points per series is refused
//   /api/v1/format_query      query -> the prettified expression (a string)
//   /api/v1/query_exemplars   query, start, end -> [] (no exemplar storage yet)
//   /api/v1/series            match[] (required), start, end, limit -> [{labels}]
//   /api/v1/labels            match[], start, end, limit -> ["name", ...]
//   /api/v1/label/<name>/values  match[], start, end, limit -> ["value", ...];
//                             <name> may use Prometheus' U__ escaping
//   /api/v1/metadata          metric, limit, limit_per_metric
//                             -> {"<metric>":[{"type","help","unit"}]}
//
// Errors are Prometheus' {"status":"error","errorType":...,"error":...} with its
// messages: parameter errors `invalid parameter "<name>": <cause>` (bad_data, 400),
// evaluation errors execution (422), the deadline timeout (503), cancellation
// canceled (499). PromQL warnings, infos and the engine's lint hints travel in the
// envelope's "warnings" / "infos"; truncation by `limit` adds "results truncated due
// to limit".
//
// Thread-safety: the handlers are safe to run concurrently; they share only the
// (thread-safe) storage, the immutable engine and the metadata source, which must
// be thread-safe too.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http/router.h"
#include "promql/engine.h"
#include "storage/interface.h"

namespace hw::api {

// What /api/v1/metadata reports for one metric family.
struct MetricMetadata {
  std::string type;  // counter, gauge, histogram, summary, unknown, ...
  std::string help;
  std::string unit;
  bool operator==(const MetricMetadata&) const = default;
};

// Metric family name -> its distinct metadata (usually one entry; more when targets
// disagree). Ordered so the response is stable.
using MetadataMap = std::map<std::string, std::vector<MetricMetadata>>;

// Where the metadata endpoint gets its data; the scrape subsystem's metadata store is
// adapted to this by src/server. Implementations must be thread-safe.
class MetadataSource {
 public:
  virtual ~MetadataSource() = default;
  // A snapshot of every metric's metadata.
  virtual MetadataMap Metadata() const = 0;
};

struct QueryDeps {
  storage::Queryable* storage = nullptr;           // required; outlives the router
  std::shared_ptr<const promql::Engine> engine;    // required
  std::shared_ptr<const MetadataSource> metadata;  // may be null: no metadata known
};

void RegisterQueryRoutes(http::Router& router, QueryDeps deps);

// Handlers, exposed for tests. Each validates its parameters, then answers.
http::Response HandleQuery(const QueryDeps& deps, const http::Request& req);
http::Response HandleQueryRange(const QueryDeps& deps, const http::Request& req);
http::Response HandleFormatQuery(const http::Request& req);
http::Response HandleQueryExemplars(const http::Request& req);
http::Response HandleSeries(const QueryDeps& deps, const http::Request& req);
http::Response HandleLabelNames(const QueryDeps& deps, const http::Request& req);
http::Response HandleLabelValues(const QueryDeps& deps, const http::Request& req);
http::Response HandleMetadata(const QueryDeps& deps, const http::Request& req);

// Prometheus' U__ name unescaping ("U__my_2e_metric" -> "my.metric"); names that are
// not validly escaped come back unchanged.
std::string UnescapeLabelName(std::string_view name);

}  // namespace hw::api
