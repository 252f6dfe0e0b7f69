// The SLO endpoints (role read), answered with the server's own PromQL engine:
//
//   GET /api/v1/slos                  {"status":"success","data":{"slos":[...]}}: each
//       SLO of the config's `slos` files now: service, slo, description, sli
//       ("events" or "latency"), objective, criticalObjective (null when none),
//       window ("30d", "calendar month"), windowStart, goodEvents, totalEvents,
//       achieved, budgetUsed, budgetRemaining (fractions; null without events),
//       errorRatio1h, burnRate1h, burnRateWindow (the window's error ratio over the
//       allowed one), exhaustionTime (RFC 3339, projected at the 1h burn rate; null
//       when not burning), exhausted, belowCritical, ruleGroup ("slo:<service>:<name>",
//       its generated rules in /api/v1/rules) and alerts: the group's pending and
//       firing alerts, each {alert, state, severity, activeAt}.
//   GET /api/v1/slos/report?month=YYYY-MM    the monthly compliance review
//       (slo/report.h FormatJson) as data; month defaults to the current one.
//   GET /api/v1/slos/<service>/<name>/history[?month=YYYY-MM | start=&end=][&step=1d]
//       one SLO over a span step by step (slo/history.h): by default its budget
//       window up to now, or a calendar month (up to now while in progress), or
//       [start, end]; step defaults to 1d. data: service, slo, description, objective,
//       criticalObjective, window, start, end, step (seconds), span {goodEvents,
//       totalEvents, achieved, budgetUsed, budgetRemaining, burnRate} (the whole span
//       at once), points [{start, end, goodEvents, totalEvents, sli, achievedSoFar,
//       budgetRemaining}] (sli null without events; the last two from the span's
//       start, null before any event), and current: the SLO's entry of /api/v1/slos.
//       An unknown SLO is not_found; bad parameters are bad_data naming them.
//
//   GET /api/v1/slos/<service>/<name>/days[?sli=&start=&end=]  the SLO's days stored
//       in state.db: data {service, slo, sli, tsdbMinTime, days [{date, start (unix
//       seconds), goodEvents, totalEvents}]}; tsdbMinTime is the TSDB's oldest sample
//       (unix seconds; null while empty): stored days stand in only for days starting
//       before it (slo/days.h). sli defaults to the loaded SLO's (slo::SliKey), start
//       to 1970, end to now.
//
// With the SLO history (slo/history_store.h), days the TSDB no longer holds come from
// data/state.db (slo/days.h) and the answers say so: each report day and history
// point has "source" ("tsdb", "stored"; a history point without events "none"), each
// report SLO "storedDays" and "noDataDays" (the month's whole days without events
// anywhere), each status "storedDays" and "noDataDays" (counts over the window's whole
// days), the history "storedPoints".
//
// Thread-safety: handlers may run concurrently; the spec files are read per request.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/router.h"
#include "promql/engine.h"
#include "rules/manager.h"
#include "slo/budget.h"
#include "slo/days.h"
#include "storage/interface.h"

namespace hw::api {

struct SloDeps {
  storage::Queryable* storage = nullptr;         // required; outlives the router
  std::shared_ptr<const promql::Engine> engine;  // required
  // The config's `slos` patterns in force (they change with reloads).
  std::function<std::vector<std::string>()> spec_files;
  // The rule groups running now, for the SLOs' alert states; may be null (no alerts).
  std::function<std::vector<rules::GroupSnapshot>()> rule_groups;
  // The SLO history in state.db; may be null (TSDB only). Outlives the router.
  const slo::DayStore* history = nullptr;
};

void RegisterSloRoutes(http::Router& router, SloDeps deps);

// slo::QuerySource over the server's engine and storage (both must outlive it).
std::unique_ptr<slo::QuerySource> MakeEngineSource(storage::Queryable* storage,
                                                   std::shared_ptr<const promql::Engine> engine);

}  // namespace hw::api
