// A QuerySource (slo/budget.h) answered by a running hastewatch or Prometheus over
// its HTTP query API: GET /api/v1/query and /api/v1/query_range, with a bearer token
// when one is given. Used by `hastewatch slo report`.
//
// Thread-safety: the const methods may be called from any thread (each request owns
// its connection).
#pragma once

#include <string>

#include "slo/budget.h"

namespace hw::slo {

class HttpQuerySource : public QuerySource {
 public:
  // `base_url` is the server's root, e.g. http://127.0.0.1:9190 (a trailing / is fine).
  HttpQuerySource(std::string base_url, std::string token);

  Result<std::optional<double>> Instant(const std::string& expr, std::int64_t t_ms) const override;
  Result<std::vector<std::pair<std::int64_t, double>>> Range(const std::string& expr,
                                                             std::int64_t start_ms,
                                                             std::int64_t end_ms,
                                                             std::int64_t step_ms) const override;

 private:
  std::string base_url_;
  std::string token_;
};

}  // namespace hw::slo
