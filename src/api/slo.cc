#include "api/slo.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "api/json.h"
#include "api/params.h"
#include "base/units.h"
#include "slo/budget.h"
#include "slo/history.h"
#include "slo/report.h"
#include "slo/spec.h"

namespace hw::api {
namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// slo::QuerySource over the server's engine and storage.
class EngineSource : public slo::QuerySource {
 public:
  explicit EngineSource(const SloDeps& deps) : deps_(deps) {}
  EngineSource(storage::Queryable* storage, std::shared_ptr<const promql::Engine> engine)
      : deps_(own_) {
    own_.storage = storage;
    own_.engine = std::move(engine);
  }

  Result<std::optional<double>> Instant(const std::string& expr, std::int64_t t) const override {
    Result<promql::QueryResult> r = deps_.engine->Instant(*deps_.storage, expr, t);
    if (!r.ok()) return r.status();
    if (r->value.type == promql::ValueType::kScalar) return std::optional<double>(r->value.scalar);
    if (r->value.type != promql::ValueType::kVector || r->value.vector.empty()) {
      return std::optional<double>();
    }
    return std::optional<double>(r->value.vector.front().v);
  }

  Result<std::vector<std::pair<std::int64_t, double>>> Range(const std::string& expr,
                                                             std::int64_t start, std::int64_t end,
                                                             std::int64_t step) const override {
    Result<promql::QueryResult> r = deps_.engine->Range(*deps_.storage, expr, start, end, step);
    if (!r.ok()) return r.status();
    std::vector<std::pair<std::int64_t, double>> out;
    if (r->value.matrix.empty()) return out;
    for (const auto& p : r->value.matrix.front().points) out.emplace_back(p.t, p.v);
    return out;
  }

 private:
  SloDeps own_;  // when built from a storage and engine alone
  const SloDeps& deps_;
};

void Fraction(JsonWriter& w, double v) {
  if (std::isfinite(v)) {
    w.Double(v);
  } else {
    w.Null();
  }
}

std::string RuleGroupName(const slo::Spec& spec) {
  return fmt::format("slo:{}:{}", spec.service, spec.name);  // as slo/rules.h names it
}

// The pending and firing alerts of the SLO's generated group.
void WriteAlerts(JsonWriter& w, const slo::Spec& spec,
                 const std::vector<rules::GroupSnapshot>& groups) {
  const std::string name = RuleGroupName(spec);
  w.StartArray();
  for (const rules::GroupSnapshot& g : groups) {
    if (g.name != name) continue;
    for (const rules::RuleSnapshot& r : g.rules) {
      for (const rules::ActiveAlert& a : r.alerts) {
        if (a.state == rules::AlertState::kInactive) continue;
        w.StartObject();
        w.Key("alert");
        WriteString(w, r.spec.name);
        w.Key("state");
        WriteString(w, rules::AlertStateName(a.state));
        w.Key("severity");
        WriteString(w, a.labels.Get("severity"));
        w.Key("activeAt");
        WriteString(w, FormatRfc3339Millis(a.active_at));
        w.EndObject();
      }
    }
  }
  w.EndArray();
}

// The fields of an SLO's entry that say what it is.
// goodEvents, totalEvents, achieved, budgetUsed, budgetRemaining (null without events).
void WriteBudget(JsonWriter& w, const slo::BudgetFigures& b) {
  const bool events = b.total > 0;
  w.Key("goodEvents");
  w.Double(b.good);
  w.Key("totalEvents");
  w.Double(b.total);
  w.Key("achieved");
  Fraction(w, b.achieved);
  w.Key("budgetUsed");
  Fraction(w, events ? b.used : NAN);
  w.Key("budgetRemaining");
  Fraction(w, events ? b.remaining : NAN);
}

void WriteIdentity(JsonWriter& w, const slo::Spec& spec) {
  w.Key("service");
  WriteString(w, spec.service);
  w.Key("slo");
  WriteString(w, spec.name);
  w.Key("description");
  WriteString(w, spec.description);
  w.Key("sli");
  WriteString(w, spec.kind == slo::Spec::SliKind::kEvents ? "events" : "latency");
  w.Key("objective");
  w.Double(spec.objective);
  w.Key("criticalObjective");
  Fraction(w, spec.critical_objective > 0 ? spec.critical_objective : NAN);
  w.Key("window");
  WriteString(w, spec.WindowName());
}

void WriteStatus(JsonWriter& w, const slo::Spec& spec, const slo::CurrentStatus& st,
                 const std::vector<rules::GroupSnapshot>& groups) {
  w.StartObject();
  WriteIdentity(w, spec);
  w.Key("windowStart");
  WriteString(w, FormatRfc3339Millis(st.window_start_ms));
  WriteBudget(w, st.budget);
  w.Key("errorRatio1h");
  Fraction(w, st.error_ratio_1h);
  w.Key("burnRate1h");
  Fraction(w, st.burn_rate_1h);
  w.Key("burnRateWindow");
  Fraction(w, st.burn_rate_window);
  w.Key("exhaustionTime");
  if (st.exhaustion_ms) {
    WriteString(w, FormatRfc3339Millis(*st.exhaustion_ms));
  } else {
    w.Null();
  }
  w.Key("exhausted");
  w.Bool(st.exhausted);
  w.Key("belowCritical");
  w.Bool(st.below_critical);
  w.Key("storedDays");
  w.Int(st.stored_days);
  w.Key("noDataDays");
  if (st.no_data_days) {
    w.Int(*st.no_data_days);
  } else {
    w.Null();
  }
  w.Key("ruleGroup");
  WriteString(w, RuleGroupName(spec));
  w.Key("alerts");
  WriteAlerts(w, spec, groups);
  w.EndObject();
}

std::vector<rules::GroupSnapshot> RuleGroups(const SloDeps& deps) {
  return deps.rule_groups ? deps.rule_groups() : std::vector<rules::GroupSnapshot>{};
}

struct Span {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::int64_t step_ms = 0;
};

// The history's span from month=, or start= and end= (each defaulting to the SLO's
// budget window up to now), and step= (default 1d).
Result<Span> HistorySpan(const http::Request& req, const slo::Spec& spec, std::int64_t now) {
  Span span;
  span.step_ms = 24LL * 3600 * 1000;
  if (std::optional<std::string> step = req.Param("step")) {
    Result<std::int64_t> ms = ParseDurationParam("step", *step);
    if (!ms.ok()) return ms.status();
    span.step_ms = *ms;
  }
  const std::optional<std::string> month = req.Param("month");
  if (month && (req.Param("start") || req.Param("end"))) {
    return Status::BadData("invalid parameters: give month or start and end, not both");
  }
  if (month) {
    Result<std::pair<int, int>> ym = slo::ParseMonth(*month);
    if (!ym.ok()) {
      return Status::BadData(fmt::format("invalid parameter \"month\": {}", ym.status().message()));
    }
    span.start_ms = slo::MonthStartMs(ym->first, ym->second);
    if (span.start_ms > now) {
      return Status::BadData(fmt::format("invalid parameter \"month\": {} has not begun", *month));
    }
    span.end_ms = std::min(now, slo::MonthStartMs(ym->first, ym->second + 1));
    return span;
  }
  Result<std::int64_t> start = TimeParamOr(req, "start", slo::BudgetSpanAt(spec, now).start_ms);
  if (!start.ok()) return start.status();
  Result<std::int64_t> end = TimeParamOr(req, "end", now);
  if (!end.ok()) return end.status();
  span.start_ms = *start;
  span.end_ms = *end;
  return span;
}

// The history's own fields (the caller writes the SLO's identity and current state).
void WriteHistory(JsonWriter& w, const slo::History& h) {
  w.Key("start");
  WriteString(w, FormatRfc3339Millis(h.start_ms));
  w.Key("end");
  WriteString(w, FormatRfc3339Millis(h.end_ms));
  w.Key("step");
  w.Double(h.step_ms / 1000.0);
  w.Key("span");
  w.StartObject();
  WriteBudget(w, h.span);
  w.Key("burnRate");
  Fraction(w, h.burn_rate);
  w.EndObject();
  w.Key("storedPoints");
  w.Int(h.stored_points);
  w.Key("points");
  w.StartArray();
  for (const slo::HistoryPoint& p : h.points) {
    const bool so_far = p.so_far.total > 0;
    w.StartObject();
    w.Key("start");
    WriteString(w, FormatRfc3339Millis(p.start_ms));
    w.Key("end");
    WriteString(w, FormatRfc3339Millis(p.end_ms));
    w.Key("goodEvents");
    w.Double(p.good);
    w.Key("totalEvents");
    w.Double(p.total);
    w.Key("sli");
    Fraction(w, p.sli);
    w.Key("achievedSoFar");
    Fraction(w, p.so_far.achieved);
    w.Key("budgetRemaining");
    Fraction(w, so_far ? p.so_far.remaining : NAN);
    w.Key("source");
    WriteString(w, std::string(slo::DaySourceName(p.source)));
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

std::unique_ptr<slo::QuerySource> MakeEngineSource(storage::Queryable* storage,
                                                   std::shared_ptr<const promql::Engine> engine) {
  return std::make_unique<EngineSource>(storage, std::move(engine));
}

void RegisterSloRoutes(http::Router& router, SloDeps deps) {
  auto shared = std::make_shared<const SloDeps>(std::move(deps));

  router.Get("/api/v1/slos", config::Role::kRead, [shared](http::Request&) {
    Result<std::vector<slo::Spec>> specs = slo::LoadSpecFiles(shared->spec_files());
    if (!specs.ok()) return http::Response::Error(specs.status());
    EngineSource source(*shared);
    const std::int64_t now = NowMs();
    JsonBody body;
    JsonWriter& w = body.writer();
    w.StartObject();
    w.Key("slos");
    w.StartArray();
    std::vector<std::string> warnings;
    const std::vector<rules::GroupSnapshot> groups = RuleGroups(*shared);
    for (const slo::Spec& spec : *specs) {
      Result<slo::CurrentStatus> st = slo::ComputeStatus(spec, source, now, shared->history);
      if (!st.ok()) {
        warnings.push_back(fmt::format("cannot compute SLO {}: {}", spec.Id(), st.status().message()));
        continue;
      }
      WriteStatus(w, spec, *st, groups);
    }
    w.EndArray();
    w.EndObject();
    return body.Finish(warnings);
  });

  router.Get("/api/v1/slos/report", config::Role::kRead, [shared](http::Request& req) {
    const std::int64_t now = NowMs();
    std::string month = req.Param("month").value_or("");
    if (month.empty()) month = slo::MonthOf(now);
    Result<std::pair<int, int>> ym = slo::ParseMonth(month);
    if (!ym.ok()) {
      return http::Response::Error(
          Status::BadData(fmt::format("invalid parameter \"month\": {}", ym.status().message())));
    }
    Result<std::vector<slo::Spec>> specs = slo::LoadSpecFiles(shared->spec_files());
    if (!specs.ok()) return http::Response::Error(specs.status());
    EngineSource source(*shared);
    Result<slo::MonthReport> report =
        slo::BuildMonthReport(*specs, ym->first, ym->second, source, now, shared->history);
    if (!report.ok()) return http::Response::Error(report.status());
    const std::string json = slo::FormatJson(*report);
    JsonBody body;
    body.writer().RawValue(json.data(), json.size(), rapidjson::kObjectType);
    return body.Finish();
  });

  // The stored days of one SLO (the CLI's report reads them to reach past retention).
  router.Get("/api/v1/slos/:service/:name/days", config::Role::kRead, [shared](http::Request& req) {
    const std::string service(req.RouteParam("service"));
    const std::string name(req.RouteParam("name"));
    std::string sli = req.Param("sli").value_or("");
    if (sli.empty()) {
      Result<std::vector<slo::Spec>> specs = slo::LoadSpecFiles(shared->spec_files());
      if (!specs.ok()) return http::Response::Error(specs.status());
      auto spec = std::find_if(specs->begin(), specs->end(), [&](const slo::Spec& s) {
        return s.service == service && s.name == name;
      });
      if (spec == specs->end()) {
        return http::Response::Error(Status::NotFound(fmt::format(
            "no SLO \"{}\" of service \"{}\" in the slos files: give its sli", name, service)));
      }
      sli = slo::SliKey(*spec);
    }
    Result<std::int64_t> start = TimeParamOr(req, "start", 0);
    if (!start.ok()) return http::Response::Error(start.status());
    Result<std::int64_t> end = TimeParamOr(req, "end", NowMs());
    if (!end.ok()) return http::Response::Error(end.status());
    if (*start < 0) {
      return http::Response::Error(Status::BadData("invalid parameter \"start\": before 1970"));
    }
    if (*end <= *start) {
      return http::Response::Error(Status::BadData(fmt::format(
          "invalid parameter \"end\": {} is not after the start {}", FormatRfc3339Millis(*end),
          FormatRfc3339Millis(*start))));
    }
    std::map<std::int64_t, slo::StoredDay> days;
    std::optional<std::int64_t> tsdb_min_time;
    if (shared->history != nullptr) {
      Result<std::map<std::int64_t, slo::StoredDay>> got =
          shared->history->DaysOf(service, name, sli, *start, *end);
      if (!got.ok()) return http::Response::Error(got.status());
      days = std::move(got).value();
      tsdb_min_time = shared->history->TsdbMinTime();
    }
    JsonBody body;
    JsonWriter& w = body.writer();
    w.StartObject();
    w.Key("service");
    WriteString(w, service);
    w.Key("slo");
    WriteString(w, name);
    w.Key("sli");
    WriteString(w, sli);
    // The CLI lets stored days stand in only before this edge, as the server does.
    w.Key("tsdbMinTime");
    if (tsdb_min_time) {
      w.Double(static_cast<double>(*tsdb_min_time) / 1000);
    } else {
      w.Null();
    }
    w.Key("days");
    w.StartArray();
    for (const auto& [day, d] : days) {
      w.StartObject();
      w.Key("date");
      WriteString(w, FormatRfc3339Millis(day).substr(0, 10));
      w.Key("start");
      w.Int64(day / 1000);
      w.Key("goodEvents");
      w.Double(d.good);
      w.Key("totalEvents");
      w.Double(d.total);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return body.Finish();
  });

  router.Get("/api/v1/slos/:service/:name/history", config::Role::kRead,
             [shared](http::Request& req) {
    const std::string service(req.RouteParam("service"));
    const std::string name(req.RouteParam("name"));
    Result<std::vector<slo::Spec>> specs = slo::LoadSpecFiles(shared->spec_files());
    if (!specs.ok()) return http::Response::Error(specs.status());
    auto spec = std::find_if(specs->begin(), specs->end(), [&](const slo::Spec& s) {
      return s.service == service && s.name == name;
    });
    if (spec == specs->end()) {
      return http::Response::Error(Status::NotFound(
          fmt::format("no SLO \"{}\" of service \"{}\" in the slos files", name, service)));
    }
    const std::int64_t now = NowMs();
    Result<Span> span = HistorySpan(req, *spec, now);
    if (!span.ok()) return http::Response::Error(span.status());
    EngineSource source(*shared);
    Result<slo::History> history =
        slo::BuildHistory(*spec, source, span->start_ms, span->end_ms, span->step_ms,
                          shared->history);
    if (!history.ok()) {
      return http::Response::Error(Status(history.status().code(),
          fmt::format("cannot build the history of SLO {}: {}", spec->Id(), history.status().message())));
    }
    Result<slo::CurrentStatus> st = slo::ComputeStatus(*spec, source, now, shared->history);
    if (!st.ok()) return http::Response::Error(st.status());
    JsonBody body;
    JsonWriter& w = body.writer();
    w.StartObject();
    WriteIdentity(w, *spec);
    WriteHistory(w, *history);
    w.Key("current");
    WriteStatus(w, *spec, *st, RuleGroups(*shared));
    w.EndObject();
    return body.Finish();
  });
}

}  // namespace hw::api
