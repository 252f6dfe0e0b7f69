// The rule lint's live checks (rules::LiveSource) answered by a running hastewatch or
// Prometheus over its HTTP API: GET /api/v1/series?match[]=...&limit=... for the
// series of a selector and GET /api/v1/metadata for metric types.
//
// Connect() fetches the metadata once (and so proves the server answers); Series()
// asks the server on each call (the lint caches per selector). A bearer token, if
// given, is sent with every request.
//
// Thread-safety: not thread-safe to Connect() concurrently with other calls; after
// that the const methods may be called from any thread.
#pragma once

#include <map>
#include <string>

#include "base/status.h"
#include "rules/lint.h"

namespace hw::cli {

class HttpLiveSource : public rules::LiveSource {
 public:
  // `base_url` is the server's root, e.g. http://localhost:9090 (a trailing / is fine).
  HttpLiveSource(std::string base_url, std::string token);

  // Loads /api/v1/metadata; fails if the server cannot be reached or answers badly.
  Status Connect();

  Result<SeriesSet> Series(const std::vector<model::Matcher>& matchers,
                           std::size_t limit) const override;
  Result<std::string> MetricType(const std::string& metric) const override;

 private:
  std::string base_url_;
  std::string token_;
  std::map<std::string, std::string> types_;  // metric family -> type, set by Connect
};

}  // namespace hw::cli
