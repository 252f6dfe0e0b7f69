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

TEST(AlertingRule, SendScheduleFollowsPrometheus) {
  // Pending at 0, firing at 2m, still firing through 4m, resolved at 5m.
  std::vector<double> v = {20, 20, 20, 20, 20, 5, 5, 5};
  auto rule = AlertingRule::Create(AlertRule(Millis(2 * kMin)), {}, {});
  ASSERT_TRUE(rule.ok());
  QueryFunc q = Scripted(&v);
  const SendSchedule schedule{.resend_delay_ms = 2 * kMin, .interval_ms = kMin};
  std::vector<std::size_t> sent;
  std::vector<model::Alert> last;
  for (std::int64_t i = 0; i < 8; ++i) {
    ASSERT_TRUE(rule->Eval(i * kMin, q).ok());
    std::vector<model::Alert> due = rule->AlertsToSend(i * kMin, schedule, "http://hw/graph");
    sent.push_back(due.size());
    if (!due.empty()) last = due;
    if (i == 2) {
      ASSERT_EQ(due.size(), 1u);
      EXPECT_EQ(due[0].starts_at_ms, 2 * kMin);
      EXPECT_EQ(due[0].ends_at_ms, 2 * kMin + 4 * 2 * kMin);  // 4 x max(interval, resend)
      EXPECT_EQ(due[0].labels.Get("alertname"), "XHigh");
      EXPECT_EQ(due[0].annotations.at("summary"), "api is 20");
      EXPECT_EQ(due[0].generator_url, "http://hw/graph");
    }
  }
  // Never while pending; at once when firing; again after more than resend_delay
  // (Prometheus: last_sent + delay < now); at once when resolved; then re-sent.
  EXPECT_EQ(sent, (std::vector<std::size_t>{0, 0, 1, 0, 0, 1, 0, 0}));
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].ends_at_ms, 5 * kMin);  // resolved: the end is the resolution time
  EXPECT_TRUE(last[0].ResolvedAt(5 * kMin));
  std::vector<model::Alert> again = rule->AlertsToSend(8 * kMin + 1, schedule, "");
  EXPECT_EQ(again.size(), 1u);  // resolved alerts are re-sent while retained
}

TEST(AlertingRule, RestoredStateKeepsProgressThroughFor) {
  std::vector<double> v(20, 20);
  const model::Labels labels =
      L({{"alertname", "XHigh"}, {"job", "api"}, {"severity", "page"}});
  // Pending since 1m before a restart at 10m, `for` 5m: still pending, active since 9m.
  auto pending = AlertingRule::Create(AlertRule(Millis(5 * kMin)), {}, {});
  ASSERT_TRUE(pending.ok());
  pending->SetRestoredState({{labels, 9 * kMin}});
  auto out = pending->Eval(10 * kMin, Scripted(&v));
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(pending->State(), AlertState::kPending);
  EXPECT_EQ(pending->ActiveAlerts()[0].active_at, 9 * kMin);
  EXPECT_EQ((*out)[1].v, 9 * 60);  // ALERTS_FOR_STATE carries the restored time on
  ASSERT_TRUE(pending->Eval(14 * kMin, Scripted(&v)).ok());
  EXPECT_EQ(pending->State(), AlertState::kFiring);  // 5m after 9m, not after 10m

  // Active since 2m, `for` 5m, restart at 10m: firing again at the first evaluation.
  auto firing = AlertingRule::Create(AlertRule(Millis(5 * kMin)), {}, {});
  ASSERT_TRUE(firing.ok());
  firing->SetRestoredState({{labels, 2 * kMin}});
  ASSERT_TRUE(firing->Eval(10 * kMin, Scripted(&v)).ok());
  EXPECT_EQ(firing->State(), AlertState::kFiring);

  // The restored state is used once: an alert that appears later starts afresh.
  std::vector<double> gap = {20, 5, 20};
  auto once = AlertingRule::Create(AlertRule(Millis(5 * kMin)), {}, {});
  ASSERT_TRUE(once.ok());
  once->SetRestoredState({{labels, -100 * kMin}});
  ASSERT_TRUE(once->Eval(kMin, Scripted(&gap)).ok());  // absent at 1m
  ASSERT_TRUE(once->Eval(2 * kMin, Scripted(&gap)).ok());
  EXPECT_EQ(once->ActiveAlerts()[0].active_at, 2 * kMin);
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

TEST(Group, RestoresAlertStateFromAlertsForState) {
  Fixture f;
  auto file = ParseRuleFile("g.yml", R"(groups:
  - name: g
    interval: 1m
    rules:
      - alert: Big
        expr: x > 10
        for: 10m
)");
  ASSERT_TRUE(file.ok()) << file.status().message();
  for (std::int64_t i = 0; i <= 30; ++i) f.Add(L({{"__name__", "x"}, {"job", "a"}}), i * kMin, 20);
  GroupOptions opts;
  opts.query = f.query;
  opts.appendable = &f.head;
  // Before the "restart": evaluated from 0 to 4m, pending since 0.
  auto before = Group::Create(file->groups[0], opts);
  ASSERT_TRUE(before.ok());
  for (std::int64_t i = 0; i <= 4; ++i) ASSERT_TRUE((*before)->EvalAt(i * kMin).ok());
  // After: a new group restores from ALERTS_FOR_STATE through the restore function.
  std::vector<std::int64_t> restored_at;
  opts.restore = [&](const Rule& rule, std::int64_t t) {
    restored_at.push_back(t);
    std::map<model::Labels, std::int64_t> out;
    auto r = f.query("last_over_time(ALERTS_FOR_STATE{alertname=\"" + rule.name + "\"}[1h])", t - 1);
    EXPECT_TRUE(r.ok());
    for (const auto& s : *r) {
      model::LabelsBuilder b(s.metric);
      b.Del(model::kMetricName);
      out[b.Build()] = static_cast<std::int64_t>(s.v * 1000);
    }
    return out;
  };
  auto after = Group::Create(file->groups[0], opts);
  ASSERT_TRUE(after.ok());
  (*after)->RequestRestore();
  const std::int64_t t = (*after)->EvalTimestamp(8 * kMin + 1);
  ASSERT_TRUE((*after)->Iterate(8 * kMin + 1).ok());
  ASSERT_EQ(restored_at, std::vector<std::int64_t>{t});
  EXPECT_EQ((*after)->AlertingRules()[0]->ActiveAlerts()[0].active_at, 0);
  ASSERT_TRUE((*after)->Iterate(t + 3 * kMin + 1).ok());
  EXPECT_EQ(restored_at.size(), 1u);  // only the first iteration restores
  EXPECT_EQ((*after)->AlertingRules()[0]->State(), AlertState::kFiring);  // 10m after 0
}

TEST(Group, CopyStateKeepsAlertsOfRulesThatStayed) {
  Fixture f;
  auto v1 = ParseRuleFile("g.yml", R"(groups:
  - name: g
    rules:
      - alert: Big
        expr: x > 10
        for: 5m
      - alert: Other
        expr: x > 0
)");
  auto v2 = ParseRuleFile("g.yml", R"(groups:
  - name: g
    rules:
      - alert: New
        expr: x > 1
      - alert: Big
        expr: x > 11
        for: 5m
)");
  ASSERT_TRUE(v1.ok() && v2.ok());
  for (std::int64_t i = 0; i <= 3; ++i) f.Add(L({{"__name__", "x"}, {"job", "a"}}), i * kMin, 20);
  GroupOptions opts;
  opts.query = f.query;
  opts.appendable = &f.head;
  auto old = Group::Create(v1->groups[0], opts);
  ASSERT_TRUE(old.ok());
  ASSERT_TRUE((*old)->EvalAt(0).ok());
  ASSERT_TRUE((*old)->EvalAt(kMin).ok());
  auto next = Group::Create(v2->groups[0], opts);
  ASSERT_TRUE(next.ok());
  (*next)->CopyStateFrom(**old);
  auto rules = (*next)->AlertingRules();
  EXPECT_TRUE(rules[0]->ActiveAlerts().empty());  // New: nothing to take over
  ASSERT_EQ(rules[1]->ActiveAlerts().size(), 1u);  // Big: changed expression, same rule
  EXPECT_EQ(rules[1]->ActiveAlerts()[0].active_at, 0);
}

}  // namespace
}  // namespace hw::rules
