// A QuerySource (slo/budget.h) answered by a running hastewatch or Prometheus over
// its HTTP query API: GET /api/v1/query and /api/v1/query_range, with a bearer token
// when one is given. Used by `hastewatch slo report`.
//
// Thread-safety: the const methods may be called from any thread (each request owns
// its connection).
#pragma once

#include <string>

#include "slo/budget.h"
#include "slo/days.h"

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

// The SLO history a running hastewatch has stored (GET /api/v1/slos/<service>/<name>/
// days), so `hastewatch slo report` reaches past the server's retention as
// GET /api/v1/slos/report does. A server without that endpoint (Prometheus: 404)
// has no stored history: no days, and `missing()` says so.
class HttpDayStore : public DayStore {
 public:
  HttpDayStore(std::string base_url, std::string token);

  Result<std::map<std::int64_t, StoredDay>> DaysOf(const std::string& service,
                                                   const std::string& name, const std::string& sli,
                                                   std::int64_t from_ms,
                                                   std::int64_t to_ms) const override;
  // Whether the server answered 404 (it keeps no SLO history).
  bool missing() const { return missing_; }

 private:
  std::string base_url_;
  std::string token_;
  mutable bool missing_ = false;
};

}  // namespace hw::slo
