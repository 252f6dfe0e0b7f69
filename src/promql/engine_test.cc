// Engine behaviour the .test scripts do not cover: limits, cancellation, the storage
// ranges each selector requests, errors' codes, and concurrent queries.
#include "promql/engine.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "tsdb/head.h"

namespace hw::promql {
namespace {

constexpr std::int64_t kMin = 60 * 1000;

// Fills a head with `series` counters sampled every 15 s for `minutes`.
void Fill(tsdb::Head& head, int series, int minutes) {
  auto app = head.NewAppender();
  for (int s = 0; s < series; ++s) {
    model::Labels l = model::Labels::FromPairs(
        {{"__name__", "x_total"}, {"job", s % 2 ? "a" : "b"}, {"i", std::to_string(s)}});
    for (std::int64_t t = 0; t <= minutes * kMin; t += 15000) {
      ASSERT_TRUE(app->Append(l, t, static_cast<double>(t / 1000 * (s + 1))).ok());
    }
  }
  ASSERT_TRUE(app->Commit().ok());
}

// Records the [mint, maxt] of every Select and can delay each Select.
class RecordingQueryable : public storage::Queryable {
 public:
  explicit RecordingQueryable(storage::Queryable& inner) : inner_(inner) {}
  Result<std::unique_ptr<storage::Querier>> NewQuerier(std::int64_t mint,
                                                       std::int64_t maxt) override {
    auto q = inner_.NewQuerier(mint, maxt);
    if (!q.ok()) return q.status();
    return std::unique_ptr<storage::Querier>(new Querier(this, std::move(*q)));
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> selects;
  std::chrono::milliseconds delay{0};

 private:
  class Querier : public storage::Querier {
   public:
    Querier(RecordingQueryable* owner, std::unique_ptr<storage::Querier> inner)
        : owner_(owner), inner_(std::move(inner)) {}
    std::unique_ptr<storage::SeriesSet> Select(const std::vector<model::Matcher>& m,
                                               std::int64_t mint, std::int64_t maxt,
                                               const storage::SelectHints* h) override {
      owner_->selects.emplace_back(mint, maxt);
      std::this_thread::sleep_for(owner_->delay);
      return inner_->Select(m, mint, maxt, h);
    }
    Result<std::vector<std::string>> LabelNames(const std::vector<model::Matcher>& m) override {
      return inner_->LabelNames(m);
    }
    Result<std::vector<std::string>> LabelValues(const std::string& n,
                                                 const std::vector<model::Matcher>& m) override {
      return inner_->LabelValues(n, m);
    }
    Status Close() override { return inner_->Close(); }

   private:
    RecordingQueryable* owner_;
    std::unique_ptr<storage::Querier> inner_;
  };
  storage::Queryable& inner_;
};

TEST(EngineTest, SelectorRangesFollowRangeOffsetAtLookbackAndSubqueries) {
  tsdb::Head head;
  Fill(head, 2, 60);
  RecordingQueryable rec(head);
  Engine engine;
  const std::int64_t t = 60 * kMin;
  struct Case {
    std::string query;
    std::int64_t mint, maxt;
  } cases[] = {
      {"x_total", t - 5 * kMin + 1, t},
      {"rate(x_total[10m])", t - 10 * kMin + 1, t},
      {"rate(x_total[10m] offset 1m)", t - 11 * kMin + 1, t - kMin},
      {"x_total @ 600", 600000 - 5 * kMin + 1, 600000},
      // The subquery's first step is the first minute after t - 10m; its inner
      // selector looks back 5m from there.
      {"max_over_time(x_total[10m:1m])", t - 9 * kMin - 5 * kMin + 1, t},
  };
  for (const Case& c : cases) {
    rec.selects.clear();
    auto r = engine.Instant(rec, c.query, t);
    ASSERT_TRUE(r.ok()) << c.query << ": " << r.status().message();
    ASSERT_EQ(rec.selects.size(), 1u) << c.query;
    EXPECT_EQ(rec.selects[0].first, c.mint) << c.query;
    EXPECT_EQ(rec.selects[0].second, c.maxt) << c.query;
  }
  rec.selects.clear();
  ASSERT_TRUE(engine.Range(rec, "rate(x_total[5m])", 30 * kMin, t, kMin).ok());
  ASSERT_EQ(rec.selects.size(), 1u);  // one Select for the whole range
  EXPECT_EQ(rec.selects[0].first, 25 * kMin + 1);
  EXPECT_EQ(rec.selects[0].second, t);
}

TEST(EngineTest, MaxSamplesFailsWithPrometheusMessage) {
  tsdb::Head head;
  Fill(head, 10, 60);
  EngineOptions o;
  o.max_samples = 100;
  Engine engine(o);
  auto r = engine.Instant(head, "sum(rate(x_total[30m]))", 60 * kMin);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kExecution);
  EXPECT_EQ(r.status().message(),
            "query processing would load too many samples into memory in query execution");
  o.max_samples = 100000;
  auto ok = Engine(o).Instant(head, "sum(rate(x_total[30m]))", 60 * kMin);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->stats.samples_loaded, 10 * 120);
}

TEST(EngineTest, TimeoutAndCancel) {
  tsdb::Head head;
  Fill(head, 2, 10);
  RecordingQueryable slow(head);
  slow.delay = std::chrono::milliseconds(30);
  Engine engine;
  QueryOptions qo;
  qo.timeout = std::chrono::milliseconds(5);
  auto r = engine.Instant(slow, "x_total + x_total", 10 * kMin, qo);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kTimeout);
  EXPECT_EQ(r.status().message(), "query timed out in expression evaluation");

  std::atomic<bool> cancel{true};
  QueryOptions co;
  co.cancel = &cancel;
  auto c = engine.Instant(head, "x_total", 10 * kMin, co);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kCanceled);
}

TEST(EngineTest, ErrorCodes) {
  tsdb::Head head;
  auto app = head.NewAppender();
  ASSERT_TRUE(app->Append(model::Labels::FromPairs({{"__name__", "a"}, {"x", "1"}}), 0, 1).ok());
  ASSERT_TRUE(app->Append(model::Labels::FromPairs({{"__name__", "a"}, {"x", "2"}}), 0, 1).ok());
  ASSERT_TRUE(app->Append(model::Labels::FromPairs({{"__name__", "b"}}), 0, 1).ok());
  ASSERT_TRUE(app->Commit().ok());
  Engine engine;
  auto parse = engine.Instant(head, "sum(", 0);
  ASSERT_FALSE(parse.ok());
  EXPECT_EQ(parse.status().code(), StatusCode::kBadData);
  auto m2m = engine.Instant(head, "b + on() a", 0);
  ASSERT_FALSE(m2m.ok());
  EXPECT_EQ(m2m.status().code(), StatusCode::kExecution);
  EXPECT_NE(m2m.status().message().find("many-to-many matching not allowed"), std::string::npos);
  auto range_of_matrix = engine.Range(head, "a[5m]", 0, 60000, 1000);
  EXPECT_EQ(range_of_matrix.status().code(), StatusCode::kBadData);
}

TEST(EngineTest, AnnotationsAndHints) {
  tsdb::Head head;
  auto app = head.NewAppender();
  for (std::int64_t t = 0; t <= 600000; t += 15000) {
    ASSERT_TRUE(app->Append(model::Labels::FromPairs({{"__name__", "requests"}}), t, t).ok());
  }
  ASSERT_TRUE(app->Commit().ok());
  Engine engine;
  auto r = engine.Instant(head, "rate(requests[5m])", 600000);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->infos.size(), 1u);
  EXPECT_EQ(r->infos[0],
            "PromQL info: metric might not be a counter, name does not end in "
            "_total/_sum/_count/_bucket: \"requests\" (1:6)");
  auto h = engine.Instant(head, "histogram_quantile(0.9, requests)", 600000);
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE(h->warnings.empty());  // le missing, plus the lint hint
}

TEST(EngineTest, ConcurrentQueriesAgree) {
  tsdb::Head head;
  Fill(head, 50, 120);
  Engine engine;
  const char* query = "sum by (job) (rate(x_total[5m]))";
  auto want = engine.Range(head, query, 30 * kMin, 120 * kMin, 15000);
  ASSERT_TRUE(want.ok());
  std::mutex mu;
  int mismatches = 0;
  std::vector<std::thread> threads;
  for (int k = 0; k < 8; ++k) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto got = engine.Range(head, query, 30 * kMin, 120 * kMin, 15000);
        bool same = got.ok() && got->value.matrix.size() == want->value.matrix.size();
        for (std::size_t s = 0; same && s < want->value.matrix.size(); ++s) {
          const auto& a = got->value.matrix[s].points;
          const auto& b = want->value.matrix[s].points;
          same = a.size() == b.size();
          for (std::size_t p = 0; same && p < a.size(); ++p) same = a[p].t == b[p].t && a[p].v == b[p].v;
        }
        if (!same) {
          std::lock_guard<std::mutex> l(mu);
          ++mismatches;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches, 0);
}

TEST(EngineTest, ResultShapes) {
  tsdb::Head head;
  Fill(head, 2, 10);
  Engine engine;
  auto s = engine.Instant(head, "1 + 2", 5000);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->value.type, ValueType::kScalar);
  EXPECT_EQ(s->value.scalar, 3);
  auto r = engine.Range(head, "time()", 0, 60000, 30000);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->value.type, ValueType::kMatrix);
  ASSERT_EQ(r->value.matrix.size(), 1u);
  EXPECT_EQ(r->value.matrix[0].points.size(), 3u);
  auto m = engine.Instant(head, "x_total[1m]", 10 * kMin);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->value.type, ValueType::kMatrix);
  EXPECT_EQ(m->value.matrix[0].points.size(), 4u);  // (9m, 10m]: 4 samples at 15 s
}

}  // namespace
}  // namespace hw::promql
