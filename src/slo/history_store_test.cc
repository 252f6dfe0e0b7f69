// The SLO history in state.db: recorded from the TSDB, read back once the TSDB has
// forgotten the days, with the same figures.
#include "slo/history_store.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "slo/fake_source.h"
#include "slo/history.h"
#include "slo/recorder.h"
#include "slo/report.h"

namespace hw::slo {
namespace {

constexpr std::int64_t kHour = 3600LL * 1000;
const std::int64_t kFeb = MonthStartMs(2024, 2);
// Feb 6, 06:00: five whole days of February are over.
const std::int64_t kNow = kFeb + 5 * kDayMs + 6 * kHour;

Spec Availability() {
  Spec s;
  s.service = "api";
  s.name = "api-availability";
  s.bad = "errs_total";
  s.total = "reqs_total";
  s.objective = 0.999;
  s.window = Millis(30 * kDayMs);
  return s;
}

// The TSDB's per-day counts for February 1-5 (10,000 requests a day; 10 failed on
// Feb 2, 30 on Feb 4), keeping only the days from `first_day` (1-based) on, with a
// partially dropped day before it holding `partial` requests.
FakeSource Tsdb(int first_day, double partial = 0) {
  FakeSource src;
  auto& reqs = src.range["sum(increase(reqs_total[1d]))"];
  auto& errs = src.range["sum(increase(errs_total[1d]))"];
  const std::map<int, double> failed = {{2, 10}, {4, 30}};
  for (int day = 1; day <= 5; ++day) {
    const std::int64_t end = kFeb + day * kDayMs;
    if (day == first_day - 1 && partial > 0) reqs.push_back({end, partial});
    if (day < first_day) continue;
    reqs.push_back({end, 10'000});
    if (failed.count(day)) errs.push_back({end, failed.at(day)});
  }
  // The day in progress (Feb 6 00:00-06:00): 2,500 requests, none failed.
  src.instant[{"sum(increase(reqs_total[21600s]))", kNow}] = 2'500;
  if (first_day == 1) {  // the whole month so far at once (5d 6h = 453,600s)
    src.instant[{"sum(increase(reqs_total[453600s]))", kNow}] = 52'500;
    src.instant[{"sum(increase(errs_total[453600s]))", kNow}] = 40;
  }
  return src;
}

class HistoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hw-slo-history-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Open();
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Opens state.db (again: a restart).
  void Open() {
    store_.reset();
    db_.reset();
    db_ = std::move(alerting::StateDb::Open((dir_ / "state.db").string())).value();
    store_ = std::move(HistoryStore::Open(*db_, [this] { return horizon_; })).value();
  }
  // Records every completed day the TSDB holds, as the server's recorder does.
  int Record(const FakeSource& tsdb, const std::vector<Spec>& specs) {
    RecorderOptions o;
    o.store = store_.get();
    o.source = &tsdb;
    o.specs = [specs]() -> Result<std::vector<Spec>> { return specs; };
    o.tsdb_oldest_ms = []() -> std::optional<std::int64_t> { return kFeb + 15'000; };
    o.retention_ms = 15 * kDayMs;
    o.log = &log_;
    Recorder r(std::move(o));
    Result<int> n = r.RecordOnce(kNow);
    EXPECT_TRUE(n.ok()) << n.status().message();
    return n.ok() ? *n : -1;
  }

  std::filesystem::path dir_;
  std::shared_ptr<MemoryLogSink> sink_ = std::make_shared<MemoryLogSink>();
  Logger log_{"test", LogLevel::kInfo, sink_};
  std::unique_ptr<alerting::StateDb> db_;
  std::unique_ptr<HistoryStore> store_;
  // The TSDB's oldest sample the store reports (nullopt: no horizon, the old rule).
  std::optional<std::int64_t> horizon_;
  FakeSource tsdb_;  // for tests that change it between checks
};

TEST_F(HistoryStoreTest, ARecordedMonthKeepsItsFiguresAfterTheTsdbForgetsIt) {
  const std::vector<Spec> specs = {Availability()};
  const FakeSource full = Tsdb(1);
  Result<MonthReport> before = BuildMonthReport(specs, 2024, 2, full, kNow, store_.get());
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_EQ(Record(full, specs), 5);  // Feb 1-5
  EXPECT_EQ(Record(full, specs), 0);  // nothing new: not rewritten

  // Both hold every day: the TSDB's figures, as before recording.
  Result<MonthReport> both = BuildMonthReport(specs, 2024, 2, full, kNow, store_.get());
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->slos[0].stored_days, 0);
  EXPECT_DOUBLE_EQ(both->slos[0].budget.total, 52'500);

  // Restart; then the TSDB drops Feb 1-3, keeping 4,000 requests of Feb 3.
  Open();
  const FakeSource forgetful = Tsdb(4, 4'000);
  Result<MonthReport> after = BuildMonthReport(specs, 2024, 2, forgetful, kNow, store_.get());
  ASSERT_TRUE(after.ok()) << after.status().message();
  const SloMonth& b = before->slos[0];
  const SloMonth& a = after->slos[0];
  EXPECT_EQ(a.stored_days, 3);
  ASSERT_EQ(a.days.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(a.days[i].start_ms, b.days[i].start_ms);
    EXPECT_DOUBLE_EQ(a.days[i].good, b.days[i].good) << "Feb " << i + 1;
    EXPECT_DOUBLE_EQ(a.days[i].total, b.days[i].total) << "Feb " << i + 1;
    EXPECT_EQ(a.days[i].source, i < 3 ? DaySource::kStored : DaySource::kTsdb) << "Feb " << i + 1;
  }
  // The month: 5 stored-or-TSDB days and the 6h in progress, as the whole-month query said.
  EXPECT_DOUBLE_EQ(a.budget.total, b.budget.total);
  EXPECT_DOUBLE_EQ(a.budget.good, b.budget.good);
  EXPECT_NEAR(a.budget.used, 40.0 / 52.5, 1e-12);
  EXPECT_EQ(a.breach_days, b.breach_days);
  EXPECT_TRUE(a.no_data_days.empty());
  const std::string json = FormatJson(*after);
  EXPECT_NE(json.find(R"("date":"2024-02-01","achieved":1.0,"goodEvents":10000.0,"totalEvents":10000.0,"source":"stored")"),
            std::string::npos) << json;
  EXPECT_NE(FormatTable(*after).find("api / api-availability: 3 days from the SLO history in state.db"),
            std::string::npos);
}

TEST_F(HistoryStoreTest, ADayInNeitherIsNoDataNotMet) {
  const std::vector<Spec> specs = {Availability()};
  // Only Feb 3-5 were ever recorded; then the TSDB keeps Feb 5 alone.
  EXPECT_EQ(Record(Tsdb(3), specs), 3);
  Result<MonthReport> r = BuildMonthReport(specs, 2024, 2, Tsdb(5), kNow, store_.get());
  ASSERT_TRUE(r.ok()) << r.status().message();
  const SloMonth& m = r->slos[0];
  EXPECT_EQ(m.no_data_days, (std::vector<std::int64_t>{kFeb, kFeb + kDayMs}));
  ASSERT_EQ(m.days.size(), 3u);
  EXPECT_DOUBLE_EQ(m.budget.total, 32'500);  // Feb 3-5 and the 6h in progress
  EXPECT_DOUBLE_EQ(m.budget.good, 32'500 - 30);
  const std::string json = FormatJson(*r);
  EXPECT_NE(json.find(R"("noDataDays":["2024-02-01","2024-02-02"])"), std::string::npos) << json;
  EXPECT_NE(FormatMarkdown(*r).find("no data on 2024-02-01 2024-02-02"), std::string::npos);
}

TEST_F(HistoryStoreTest, AStoredDayIsReplacedOnlyByACountWithMoreEvents) {
  const Spec s = Availability();
  ASSERT_TRUE(store_->Record(s, kFeb, 9'990, 10'000, kNow).value());
  // Part of the day dropped by retention: fewer events, kept as stored.
  EXPECT_FALSE(store_->Record(s, kFeb, 3'000, 3'000, kNow).value());
  // The same count again: nothing to write.
  EXPECT_FALSE(store_->Record(s, kFeb, 9'990, 10'000, kNow).value());
  // Late samples: more events, or the same total with a late bad sample.
  EXPECT_TRUE(store_->Record(s, kFeb, 10'490, 10'500, kNow).value());
  EXPECT_TRUE(store_->Record(s, kFeb, 10'480, 10'500, kNow).value());
  // A day without events is not stored.
  EXPECT_FALSE(store_->Record(s, kFeb + kDayMs, 0, 0, kNow).value());
  auto days = store_->Days(s, kFeb, kFeb + 2 * kDayMs);
  ASSERT_TRUE(days.ok());
  ASSERT_EQ(days->size(), 1u);
  EXPECT_DOUBLE_EQ(days->at(kFeb).good, 10'480);
  EXPECT_DOUBLE_EQ(days->at(kFeb).total, 10'500);
  // Another SLI (changed selectors) starts its own history.
  Spec other = s;
  other.bad = "errors_5xx_total";
  EXPECT_TRUE(store_->Days(other, kFeb, kFeb + 2 * kDayMs)->empty());
  EXPECT_FALSE(store_->HasHistory(other).value());
  EXPECT_TRUE(store_->HasHistory(s).value());
}

TEST_F(HistoryStoreTest, ARollingWindowsDroppedFirstDayCountsItsStoredDayProRata) {
  Spec s = Availability();
  s.window = Millis(3 * kDayMs);  // from Feb 3, 06:00: 18 h of Feb 3
  EXPECT_EQ(Record(Tsdb(1), {s}), 5);
  const std::int64_t window_start = kNow - 3 * kDayMs;
  const std::pair<std::string, std::int64_t> first_day_reqs = {
      "sum(increase(reqs_total[64800s]))", kFeb + 3 * kDayMs};
  // Status and the 1d history over the same window agree, point by point.
  auto check = [&](double total, double good, int stored) {
    Result<CurrentStatus> st = ComputeStatus(s, tsdb_, kNow, store_.get());
    ASSERT_TRUE(st.ok()) << st.status().message();
    EXPECT_EQ(st->stored_days, stored);
    EXPECT_DOUBLE_EQ(st->budget.total, total);
    EXPECT_DOUBLE_EQ(st->budget.good, good);
    Result<History> h = BuildHistory(s, tsdb_, window_start, kNow, kDayMs, store_.get());
    ASSERT_TRUE(h.ok()) << h.status().message();
    EXPECT_EQ(h->stored_points, stored);
    EXPECT_DOUBLE_EQ(h->span.total, total);
    EXPECT_DOUBLE_EQ(h->span.good, good);
  };

  // Retention dropped Feb 1-4: Feb 3's 18 h are 3/4 of its stored 10,000; Feb 4 is
  // stored (30 failed); Feb 5 and the 6 h of Feb 6 (2,500) from the TSDB.
  horizon_ = kFeb + 4 * kDayMs;
  tsdb_ = Tsdb(5);
  tsdb_.instant[first_day_reqs] = 0;
  check(7'500 + 10'000 + 10'000 + 2'500, 7'500 + 9'970 + 10'000 + 2'500, 2);
  Result<History> h = BuildHistory(s, tsdb_, window_start, kNow, kDayMs, store_.get());
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->points.size(), 4u);
  EXPECT_EQ(h->points[0].source, DaySource::kStored);
  EXPECT_DOUBLE_EQ(h->points[0].total, 7'500);

  // The TSDB still counting more of those 18 h than the share (a busy evening): it wins.
  tsdb_.instant[first_day_reqs] = 8'000;
  check(8'000 + 10'000 + 10'000 + 2'500, 8'000 + 9'970 + 10'000 + 2'500, 1);

  // Only the first day is past the horizon (Feb 3, 12:00), every whole day is in the
  // TSDB: the share still stands in for the 6 h the TSDB lost.
  horizon_ = kFeb + 2 * kDayMs + 12 * kHour;
  tsdb_ = Tsdb(4);
  tsdb_.instant[first_day_reqs] = 5'000;
  check(7'500 + 10'000 + 10'000 + 2'500, 7'500 + 9'970 + 10'000 + 2'500, 1);
}

TEST_F(HistoryStoreTest, BudgetAndHistoryReachPastTheTsdb) {
  const Spec s = Availability();
  EXPECT_EQ(Record(Tsdb(1), {s}), 5);
  FakeSource tsdb = Tsdb(4);
  // The rolling 30d window (from Jan 7, 06:00): its partial first day and the day in
  // progress from the TSDB (none / 2,500), Feb 1-3 stored, Feb 4-5 from the TSDB.
  tsdb.instant[{"sum(increase(reqs_total[64800s]))", kFeb - 24 * kDayMs}] = 0;
  Result<CurrentStatus> st = ComputeStatus(s, tsdb, kNow, store_.get());
  ASSERT_TRUE(st.ok()) << st.status().message();
  EXPECT_EQ(st->stored_days, 3);
  EXPECT_EQ(st->no_data_days, 24);  // Jan 8-31
  EXPECT_DOUBLE_EQ(st->budget.total, 52'500);
  EXPECT_DOUBLE_EQ(st->budget.good, 52'460);

  Result<History> h = BuildHistory(s, tsdb, kFeb, kNow, kDayMs, store_.get());
  ASSERT_TRUE(h.ok()) << h.status().message();
  ASSERT_EQ(h->points.size(), 6u);
  EXPECT_EQ(h->stored_points, 3);
  EXPECT_EQ(h->points[1].source, DaySource::kStored);
  EXPECT_DOUBLE_EQ(h->points[1].sli, 0.999);
  EXPECT_EQ(h->points[3].source, DaySource::kTsdb);
  EXPECT_DOUBLE_EQ(h->points[3].sli, 0.997);
  EXPECT_EQ(h->points[5].source, DaySource::kTsdb);  // the 6h in progress
  EXPECT_DOUBLE_EQ(h->span.total, 52'500);
  EXPECT_DOUBLE_EQ(h->span.good, 52'460);
}

TEST_F(HistoryStoreTest, RecorderNotesSlosLongerThanRetentionOnceUntilHistoryExists) {
  Spec s = Availability();
  EXPECT_EQ(RetentionNote(s, 15 * kDayMs),
            "slo api/api-availability: window 30d is longer than storage retention 15d: days "
            "older than 15d come from the SLO history in state.db, recorded from now on");
  EXPECT_EQ(RetentionNote(s, 60 * kDayMs), "");
  Spec weekly = s;
  weekly.window = Millis(7 * kDayMs);
  EXPECT_NE(RetentionNote(weekly, 15 * kDayMs).find("the monthly review (up to 31d) is longer"),
            std::string::npos);
  EXPECT_EQ(RetentionNote(s, 0), "");

  auto notes = [&] {
    int n = 0;
    for (const std::string& l : sink_->Lines()) {
      n += l.find("window 30d is longer than storage retention") != std::string::npos;
    }
    return n;
  };
  // An empty TSDB: the note once, however many passes.
  RecorderOptions o;
  o.store = store_.get();
  FakeSource empty;
  o.source = &empty;
  o.specs = [s]() -> Result<std::vector<Spec>> { return std::vector<Spec>{s}; };
  o.tsdb_oldest_ms = []() -> std::optional<std::int64_t> { return std::nullopt; };
  o.retention_ms = 15 * kDayMs;
  o.log = &log_;
  Recorder r(std::move(o));
  ASSERT_EQ(r.RecordOnce(kNow).value(), 0);
  ASSERT_EQ(r.RecordOnce(kNow).value(), 0);
  EXPECT_EQ(notes(), 1);
  Record(Tsdb(1), {s});  // a restart: still no history, noted again, then recorded
  EXPECT_EQ(notes(), 2);
  Record(Tsdb(1), {s});  // the next restart: the history exists, no note
  EXPECT_EQ(notes(), 2);
}

TEST_F(HistoryStoreTest, LaterPassesRecountRecentDaysAndBackfillNewSlos) {
  const Spec a = Availability();
  Spec b = a;
  b.name = "api-availability-copy";
  std::vector<Spec> specs = {a};
  FakeSource tsdb = Tsdb(1);
  RecorderOptions o;
  o.store = store_.get();
  o.source = &tsdb;
  o.specs = [&specs]() -> Result<std::vector<Spec>> { return specs; };
  // Ten empty days before February: Feb 1 is neither recent nor at risk.
  o.tsdb_oldest_ms = []() -> std::optional<std::int64_t> { return kFeb - 10 * kDayMs; };
  o.log = &log_;
  Recorder r(std::move(o));
  EXPECT_EQ(r.RecordOnce(kNow).value(), 5);
  // Late samples land for Feb 1 and Feb 5; a reload adds SLO b.
  tsdb.range["sum(increase(reqs_total[1d]))"].front().second = 10'100;
  tsdb.range["sum(increase(reqs_total[1d]))"].back().second = 10'200;
  specs.push_back(b);
  EXPECT_EQ(r.RecordOnce(kNow).value(), 1 + 5);  // a: Feb 5 only (Feb 1 is past 3 days); b: all
  EXPECT_DOUBLE_EQ(store_->Days(a, kFeb, kFeb + kDayMs)->at(kFeb).total, 10'000);
  EXPECT_DOUBLE_EQ(store_->Days(a, kFeb + 4 * kDayMs, kFeb + 5 * kDayMs)->at(kFeb + 4 * kDayMs).total,
                   10'200);
  EXPECT_DOUBLE_EQ(store_->Days(b, kFeb, kFeb + kDayMs)->at(kFeb).total, 10'100);
}

TEST_F(HistoryStoreTest, ADeletedSeriesLowersADayTheTsdbHoldsAndItsStoredRow) {
  const std::vector<Spec> specs = {Availability()};
  horizon_ = kFeb + 15'000;  // the TSDB holds Feb 2-5 whole, Feb 1 in part
  EXPECT_EQ(Record(Tsdb(1), specs), 5);
  // The operator deletes a load test's series: Feb 4 keeps 6,000 requests, no errors.
  FakeSource deleted = Tsdb(1);
  deleted.range["sum(increase(reqs_total[1d]))"][3].second = 6'000;
  deleted.range["sum(increase(errs_total[1d]))"].pop_back();
  deleted.instant[{"sum(increase(reqs_total[453600s]))", kNow}] = 48'500;
  deleted.instant[{"sum(increase(errs_total[453600s]))", kNow}] = 10;
  // Before the recorder's next pass, the review already follows the TSDB, with the
  // month's single increase() as without a store.
  Result<MonthReport> r = BuildMonthReport(specs, 2024, 2, deleted, kNow, store_.get());
  ASSERT_TRUE(r.ok()) << r.status().message();
  const SloMonth& m = r->slos[0];
  EXPECT_EQ(m.stored_days, 0);
  ASSERT_EQ(m.days.size(), 5u);
  EXPECT_EQ(m.days[3].source, DaySource::kTsdb);
  EXPECT_DOUBLE_EQ(m.days[3].total, 6'000);
  EXPECT_DOUBLE_EQ(m.budget.total, 48'500);
  EXPECT_DOUBLE_EQ(m.budget.good, 48'490);
  // The recorder lowers the stored row to the TSDB's count.
  EXPECT_EQ(Record(deleted, specs), 1);
  const std::int64_t feb4 = kFeb + 3 * kDayMs;
  EXPECT_DOUBLE_EQ(store_->Days(specs[0], feb4, feb4 + kDayMs)->at(feb4).total, 6'000);
  // Later retention drops Feb 1-4: the stored days stand in, the deletion with them.
  horizon_ = kFeb + 4 * kDayMs;
  Result<MonthReport> later = BuildMonthReport(specs, 2024, 2, Tsdb(5), kNow, store_.get());
  ASSERT_TRUE(later.ok()) << later.status().message();
  const SloMonth& l = later->slos[0];
  EXPECT_EQ(l.stored_days, 4);
  EXPECT_EQ(l.days[3].source, DaySource::kStored);
  EXPECT_DOUBLE_EQ(l.days[3].total, 6'000);
  EXPECT_EQ(l.days[4].source, DaySource::kTsdb);
  EXPECT_DOUBLE_EQ(l.budget.total, 48'500);  // 3 x 10,000 + 6,000 + 10,000 + 2,500
  EXPECT_DOUBLE_EQ(l.budget.good, 48'490);
}

TEST_F(HistoryStoreTest, OverwritingADayTheTsdbHoldsLowersOrDeletesItsRow) {
  const Spec s = Availability();
  ASSERT_TRUE(store_->Record(s, kFeb, 9'990, 10'000, kNow).value());
  EXPECT_FALSE(store_->Record(s, kFeb, 0, 0, kNow).value());  // the edge rule keeps it
  EXPECT_TRUE(store_->Record(s, kFeb, 5'000, 5'000, kNow, RecordRule::kOverwrite).value());
  EXPECT_DOUBLE_EQ(store_->Days(s, kFeb, kFeb + kDayMs)->at(kFeb).total, 5'000);
  // Every series of the day deleted: no events, no row.
  EXPECT_TRUE(store_->Record(s, kFeb, 0, 0, kNow, RecordRule::kOverwrite).value());
  EXPECT_TRUE(store_->Days(s, kFeb, kFeb + kDayMs)->empty());
  EXPECT_FALSE(store_->Record(s, kFeb, 0, 0, kNow, RecordRule::kOverwrite).value());
}

TEST_F(HistoryStoreTest, ADayIsRecordedAfterAGracePeriodAndAnEarlyCountDoesNotStick) {
  const Spec s = Availability();
  horizon_ = kFeb;
  const FakeSource tsdb = Tsdb(1);
  auto pass = [&](std::int64_t now) {
    RecorderOptions o;
    o.store = store_.get();
    o.source = &tsdb;
    o.specs = [s]() -> Result<std::vector<Spec>> { return std::vector<Spec>{s}; };
    o.tsdb_oldest_ms = []() -> std::optional<std::int64_t> { return kFeb; };
    o.log = &log_;
    Recorder r(std::move(o));
    return r.RecordOnce(now).value();
  };
  const std::int64_t feb5 = kFeb + 4 * kDayMs, midnight = kFeb + 5 * kDayMs;
  // Five minutes after Feb 5 ended its last scrapes may still be on their way.
  EXPECT_EQ(pass(midnight + 5 * 60'000), 4);
  EXPECT_TRUE(store_->Days(s, feb5, midnight)->empty());
  EXPECT_EQ(pass(midnight + kRecordGraceMs), 1);
  // A count stored early (by an older server) is higher than the settled re-count
  // (increase() extrapolates a partial day): the TSDB, which holds the day, wins...
  ASSERT_TRUE(store_->Record(s, feb5, 10'050, 10'050, kNow).value());
  Result<std::vector<DayCount>> days = CountDays(s, tsdb, store_.get(), feb5, midnight);
  ASSERT_TRUE(days.ok()) << days.status().message();
  EXPECT_EQ(days->at(0).source, DaySource::kTsdb);
  EXPECT_DOUBLE_EQ(days->at(0).total, 10'000);
  // ...and the next pass corrects the stored row.
  EXPECT_EQ(pass(kNow), 1);
  EXPECT_DOUBLE_EQ(store_->Days(s, feb5, midnight)->at(feb5).total, 10'000);
}

TEST_F(HistoryStoreTest, AStoredDayStandsInOnlyBeforeTheTsdbsHorizon) {
  const Spec s = Availability();
  EXPECT_EQ(Record(Tsdb(1), {s}), 5);
  // The TSDB keeps 4,000 requests of Feb 3 (from 14:00) and Feb 4-5 whole.
  const FakeSource tsdb = Tsdb(4, 4'000);
  horizon_ = kFeb + 2 * kDayMs + 14 * kHour;
  Result<std::vector<DayCount>> days = CountDays(s, tsdb, store_.get(), kFeb, kFeb + 5 * kDayMs);
  ASSERT_TRUE(days.ok()) << days.status().message();
  ASSERT_EQ(days->size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(days->at(i).source, i < 3 ? DaySource::kStored : DaySource::kTsdb) << "Feb " << i + 1;
    EXPECT_DOUBLE_EQ(days->at(i).total, 10'000) << "Feb " << i + 1;
  }
}

TEST_F(HistoryStoreTest, StartUpRecordsOnlyTheDaysAtRiskAndLeavesTheRestToThePasses) {
  const Spec s = Availability();
  const FakeSource tsdb = Tsdb(1);
  auto recorder = [&](std::int64_t retention_ms) {
    RecorderOptions o;
    o.store = store_.get();
    o.source = &tsdb;
    o.specs = [s]() -> Result<std::vector<Spec>> { return std::vector<Spec>{s}; };
    o.tsdb_oldest_ms = []() -> std::optional<std::int64_t> { return kFeb + 15'000; };
    o.retention_ms = retention_ms;
    o.log = &log_;
    return std::make_unique<Recorder>(std::move(o));
  };
  // No retention by time: the two oldest days.
  EXPECT_EQ(recorder(0)->RecordAtRisk(kNow).value(), 2);
  // Retention 3d at Feb 6 06:00 may drop up to Feb 3 06:00: two days more than that.
  auto r = recorder(3 * kDayMs);
  EXPECT_EQ(r->RecordAtRisk(kNow).value(), 2);  // Feb 3-4
  EXPECT_TRUE(store_->Days(s, kFeb + 4 * kDayMs, kFeb + 5 * kDayMs)->empty());
  EXPECT_EQ(r->RecordOnce(kNow).value(), 1);  // the backfill: Feb 5
}

// Range queries that take 20 ms each, counted.
class SlowSource : public FakeSource {
 public:
  mutable std::atomic<int> calls{0};
  Result<std::vector<std::pair<std::int64_t, double>>> Range(const std::string& expr,
                                                             std::int64_t start, std::int64_t end,
                                                             std::int64_t step) const override {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ++calls;
    return FakeSource::Range(expr, start, end, step);
  }
};

TEST_F(HistoryStoreTest, TheBackfillRunsOnTheThreadAndStopInterruptsIt) {
  const Spec s = Availability();
  SlowSource tsdb;
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch()).count();
  RecorderOptions o;
  o.store = store_.get();
  o.source = &tsdb;
  o.specs = [s]() -> Result<std::vector<Spec>> { return std::vector<Spec>{s}; };
  // Ten years to backfill: about 120 chunks of two 20 ms queries, some 5 s.
  o.tsdb_oldest_ms = [now]() -> std::optional<std::int64_t> { return now - 3650 * kDayMs; };
  o.log = &log_;
  Recorder r(std::move(o));
  r.Run();  // the first pass starts at once, not after `interval` (5 minutes)
  for (int i = 0; i < 200 && tsdb.calls == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_GT(tsdb.calls.load(), 0);
  const auto t0 = std::chrono::steady_clock::now();
  r.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(500));
  EXPECT_LT(tsdb.calls.load(), 100);
}

}  // namespace
}  // namespace hw::slo
