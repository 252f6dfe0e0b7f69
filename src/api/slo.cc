#include "api/slo.h"

#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "api/json.h"
#include "base/units.h"
#include "slo/budget.h"
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
  const SloDeps& deps_;
};

void Fraction(JsonWriter& w, double v) {
  if (std::isfinite(v)) {
    w.Double(v);
  } else {
    w.Null();
  }
}

void WriteStatus(JsonWriter& w, const slo::Spec& spec, const slo::CurrentStatus& st) {
  const bool events = st.budget.total > 0;
  w.StartObject();
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
  w.Key("windowStart");
  WriteString(w, FormatRfc3339Millis(st.window_start_ms));
  w.Key("goodEvents");
  w.Double(st.budget.good);
  w.Key("totalEvents");
  w.Double(st.budget.total);
  w.Key("achieved");
  Fraction(w, st.budget.achieved);
  w.Key("budgetUsed");
  Fraction(w, events ? st.budget.used : NAN);
  w.Key("budgetRemaining");
  Fraction(w, events ? st.budget.remaining : NAN);
  w.Key("errorRatio1h");
  Fraction(w, st.error_ratio_1h);
  w.Key("burnRate1h");
  Fraction(w, st.burn_rate_1h);
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
  w.EndObject();
}

}  // namespace

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
    for (const slo::Spec& spec : *specs) {
      Result<slo::CurrentStatus> st = slo::ComputeStatus(spec, source, now);
      if (!st.ok()) {
        warnings.push_back(fmt::format("cannot compute SLO {}: {}", spec.Id(), st.status().message()));
        continue;
      }
      WriteStatus(w, spec, *st);
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
    Result<slo::MonthReport> report = slo::BuildMonthReport(*specs, ym->first, ym->second, source, now);
    if (!report.ok()) return http::Response::Error(report.status());
    const std::string json = slo::FormatJson(*report);
    JsonBody body;
    body.writer().RawValue(json.data(), json.size(), rapidjson::kObjectType);
    return body.Finish();
  });
}

}  // namespace hw::api
