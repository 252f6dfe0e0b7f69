#include "rules/group.h"

#include <gtest/gtest.h>

#include "promql/engine.h"
#include "tsdb/head.h"

namespace hw::rules {
namespace {

constexpr std::int64_t kMin = 60'000;

model::Labels L(std::initializer_list<std::pair<std::string_view, std::string_view>> p) {
  return model::Labels::FromPairs(p);
}

// A query function over a scripted value of one series: `values[t / kMin]`, absent
// when below the threshold (the rule's expression is "x > 10").
QueryFunc Scripted(const std::vector<double>* values) {
  return [values](std::string_view, std::int64_t t) -> Result<Vector> {
    Vector out;
    std::size_t i = static_cast<std::size_t>(t / kMin);
    if (i < values->size() && (*values)[i] > 10) {
      out.push_back({L({{"__name__", "x"}, {"job", "api"}}), t, (*values)[i]});
    }
    return out;
  };
}

Rule AlertRule(Millis for_d, Millis keep = Millis(0)) {
  Rule r;
  r.kind = Rule::Kind::kAlerting;
  r.name = "XHigh";
  r.expr = "x > 10";
  r.for_duration = for_d;
  r.keep_firing_for = keep;
  r.labels = {{"severity", "page"}};
  r.annotations = {{"summary", "{{ $labels.job }} is {{ $value }}"}};
  return r;
}

TEST(AlertingRule, StateMachine) {
  std::vector<double> v = {5, 5, 20, 30, 40, 5, 5};
  auto rule = AlertingRule::Create(AlertRule(Millis(2 * kMin)), {{"team", "core"}}, {});
  ASSERT_TRUE(rule.ok()) << rule.status().message();
  QueryFunc q = Scripted(&v);
  std::vector<AlertState> states;
  for (std::int64_t i = 0; i < 7; ++i) {
    auto out = rule->Eval(i * kMin, q);
    ASSERT_TRUE(out.ok()) << out.status().message();
    states.push_back(rule->State());
    if (i < 2) {
      EXPECT_TRUE(out->empty()) << i;  // quiet below the threshold
    }
  }
  EXPECT_EQ(states, (std::vector<AlertState>{AlertState::kInactive, AlertState::kInactive,
                                             AlertState::kPending, AlertState::kPending,
                                             AlertState::kFiring, AlertState::kInactive,
                                             AlertState::kInactive}));
  auto alerts = rule->ActiveAlerts();
  ASSERT_EQ(alerts.size(), 1u);  // resolved, kept for notification
  const ActiveAlert& a = alerts[0];
  EXPECT_EQ(a.labels, L({{"alertname", "XHigh"}, {"job", "api"}, {"severity", "page"}, {"team", "core"}}));
  EXPECT_EQ(a.annotations.at("summary"), "api is 40");
  EXPECT_EQ(a.active_at, 2 * kMin);
  EXPECT_EQ(a.fired_at, 4 * kMin);
  EXPECT_EQ(a.resolved_at, 5 * kMin);
  // Dropped once the retention has passed.
  ASSERT_TRUE(rule->Eval(5 * kMin + kResolvedRetentionMs + 1, q).ok());
  EXPECT_TRUE(rule->ActiveAlerts().empty());
}

TEST(AlertingRule, AlertsSeriesAndPendingDrop) {
  std::vector<double> v = {20, 5, 20, 20};
  auto rule = AlertingRule::Create(AlertRule(Millis(kMin)), {}, {});
  ASSERT_TRUE(rule.ok());
  QueryFunc q = Scripted(&v);
  auto out = rule->Eval(0, q);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->size(), 2u);
  EXPECT_EQ((*out)[0].metric, L({{"__name__", "ALERTS"}, {"alertname", "XHigh"}, {"alertstate", "pending"}, {"job", "api"}, {"severity", "page"}}));
  EXPECT_EQ((*out)[0].v, 1);
  EXPECT_EQ((*out)[1].metric.MetricName(), "ALERTS_FOR_STATE");
  EXPECT_EQ((*out)[1].v, 0);
  out = rule->Eval(kMin, q);  // pending and gone: dropped, not resolved
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->empty());
  EXPECT_TRUE(rule->ActiveAlerts().empty());
  ASSERT_TRUE(rule->Eval(2 * kMin, q).ok());
  out = rule->Eval(3 * kMin, q);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0].metric.Get("alertstate"), "firing");
  EXPECT_EQ((*out)[1].v, 120);  // activeAt in seconds
}

TEST(AlertingRule, ForZeroFiresAtOnce) {
  std::vector<double> v = {20};
  auto rule = AlertingRule::Create(AlertRule(Millis(0)), {}, {});
  ASSERT_TRUE(rule.ok());
  ASSERT_TRUE(rule->Eval(0, Scripted(&v)).ok());
  EXPECT_EQ(rule->State(), AlertState::kFiring);
}

TEST(AlertingRule, KeepFiringFor) {
  std::vector<double> v = {20, 5, 5, 5, 20};
  auto rule = AlertingRule::Create(AlertRule(Millis(0), Millis(2 * kMin)), {}, {});
  ASSERT_TRUE(rule.ok());
  QueryFunc q = Scripted(&v);
  std::vector<AlertState> states;
  for (std::int64_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(rule->Eval(i * kMin, q).ok());
    states.push_back(rule->State());
  }
  EXPECT_EQ(states, (std::vector<AlertState>{AlertState::kFiring, AlertState::kFiring,
                                             AlertState::kFiring, AlertState::kInactive}));
}

TEST(AlertingRule, LimitAndQueryError) {
  std::vector<double> v = {20};
  auto rule = AlertingRule::Create(AlertRule(Millis(0)), {}, {});
  ASSERT_TRUE(rule.ok());
  QueryFunc two = [](std::string_view, std::int64_t t) -> Result<Vector> {
    return Vector{{L({{"a", "1"}}), t, 1}, {L({{"a", "2"}}), t, 1}};
  };
  auto out = rule->Eval(0, two, 1);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("exceeded limit of 1 with 2 alerts"), std::string::npos);
  QueryFunc bad = [](std::string_view, std::int64_t) -> Result<Vector> {
    return Status::Execution("boom");
  };
  out = rule->Eval(0, bad);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "cannot evaluate alerting rule \"XHigh\": boom");
}

// A real head and engine behind the query function, as the server wires them.
struct Fixture {
  tsdb::Head head;
  promql::Engine engine;
  QueryFunc query = [this](std::string_view expr, std::int64_t t) -> Result<Vector> {
    auto r = engine.Instant(head, expr, t);
    if (!r.ok()) return r.status();
    if (r->value.type == promql::ValueType::kScalar) {
      return Vector{{model::Labels(), t, r->value.scalar}};
    }
    return r->value.vector;
  };
  void Add(const model::Labels& l, std::int64_t t, double v) {
    auto app = head.NewAppender();
    ASSERT_TRUE(app->Append(l, t, v).ok());
    ASSERT_TRUE(app->Commit().ok());
  }
};

TEST(Group, RecordingVisibleInOrderAndAlertsWritten) {
  Fixture f;
  auto file = ParseRuleFile("g.yml", R"(groups:
  - name: g
    interval: 1m
    rules:
      - record: job:x:sum
        expr: sum by (job) (x)
      - record: job:x:double
        expr: job:x:sum * 2
      - alert: Big
        expr: job:x:double > 10
        annotations: {summary: "{{ $value }}"}
)");
  ASSERT_TRUE(file.ok()) << file.status().message();
  GroupOptions opts;
  opts.query = f.query;
  opts.appendable = &f.head;
  auto g = Group::Create(file->groups[0], opts);
  ASSERT_TRUE(g.ok()) << g.status().message();
  for (std::int64_t i = 0; i <= 2; ++i) {
    f.Add(L({{"__name__", "x"}, {"job", "a"}, {"i", "1"}}), i * kMin, 3);
    f.Add(L({{"__name__", "x"}, {"job", "a"}, {"i", "2"}}), i * kMin, 4);
  }
  ASSERT_TRUE((*g)->EvalAt(0).ok());
  auto r = f.query("job:x:double", 0);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].v, 14);  // the second rule saw the first one's output
  auto alerts = f.query("ALERTS", 0);
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].metric.Get("alertstate"), "firing");
  EXPECT_EQ((*g)->AlertingRules()[0]->ActiveAlerts()[0].annotations.at("summary"), "14");
  EXPECT_EQ((*g)->health()[2].samples, 2);
}

TEST(Group, AlignedTimestampsAndMissedIterations) {
  Fixture f;
  RuleGroup spec;
  spec.name = "g";
  spec.file = "f.yml";
  spec.interval = Millis(kMin);
  Rule r;
  r.kind = Rule::Kind::kRecording;
  r.name = "one";
  r.expr = "vector(1)";
  spec.rules.push_back(r);
  GroupOptions opts;
  opts.query = f.query;
  opts.appendable = &f.head;
  auto g = Group::Create(spec, opts);
  ASSERT_TRUE(g.ok());
  std::int64_t t0 = (*g)->EvalTimestamp(10 * kMin);
  EXPECT_LE(t0, 10 * kMin);
  EXPECT_GT(t0, 9 * kMin);
  EXPECT_EQ((*g)->EvalTimestamp(t0 + kMin - 1), t0);
  EXPECT_EQ((*g)->EvalTimestamp(t0 + kMin), t0 + kMin);
  ASSERT_TRUE((*g)->Iterate(t0 + 5).ok());
  ASSERT_TRUE((*g)->Iterate(t0 + 10).ok());  // same slot: not evaluated again
  EXPECT_EQ((*g)->iterations(), 1);
  ASSERT_TRUE((*g)->Iterate(t0 + 4 * kMin).ok());
  EXPECT_EQ((*g)->iterations(), 2);
  EXPECT_EQ((*g)->missed_iterations(), 3);
}

}  // namespace
}  // namespace hw::rules
