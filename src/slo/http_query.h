// A QuerySource (slo/budget.h) answered by a running hastewatch or Prometheus over
// its HTTP query API: GET /api/v1/query and /api/v1/query_range, with a bearer token
// when one is given. Used by `hastewatch slo report`.
//
// Thread-safety: the const methods may be called from any thread (each request owns
// its connection).
#pragma once

#include <functional>
#include <optional>
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
// GET /api/v1/slos/report does, with the server's horizon (its answer's tsdbMinTime).
// An answer that is not hastewatch's JSON envelope (Prometheus' or
// VictoriaMetrics' unknown path, a proxy's HTML login page) or a 404 means no stored
// history for that SLO: no days, and `warn` is called once with a line saying so. The
// next SLO asks again. A transport error (no connection) stays an error.
class HttpDayStore : public DayStore {
 public:
  HttpDayStore(std::string base_url, std::string token,
               std::function<void(const std::string&)> warn = {});

  Result<std::map<std::int64_t, StoredDay>> DaysOf(const std::string& service,
                                                   const std::string& name, const std::string& sli,
                                                   std::int64_t from_ms,
                                                   std::int64_t to_ms) const override;
  // The tsdbMinTime of the last answer; nullopt without one (an older server).
  std::optional<std::int64_t> TsdbMinTime() const override { return tsdb_min_time_; }

 private:
  std::string base_url_;
  std::string token_;
  std::function<void(const std::string&)> warn_;
  mutable std::optional<std::int64_t> tsdb_min_time_;
};

}  // namespace hw::slo
