// Recorder: writes each SLO's completed UTC days into the SLO history
// (slo/history_store.h) while the TSDB still holds them.
//
// A pass (RecordOnce) counts days with the report's per-day queries (CountDays, TSDB
// only) and stores them (history_store.h's rules): a day the TSDB fully holds
// (starting at or after its oldest sample) is overwritten with the TSDB's count, so
// deleted series and late samples are reflected; a day at the retention edge keeps
// the stored count unless the TSDB's has more events. A day is recorded only once
// kRecordGraceMs after its end has passed, so its last scrapes have landed.
//   - an SLO seen for the first time (at start-up, or added by a reload, or with a
//     changed SLI) is backfilled: every completed day from the TSDB's oldest sample
//     (the server wakes the recorder after each reload);
//   - afterwards each pass re-counts the last kRecentDays days, so the day just over is
//     recorded and late samples still correct the days before it, and the days at
//     risk (AtRiskEnd), so what retention drops next is stored as the TSDB last had it.
// At start-up the server runs RecordAtRisk synchronously, before the TSDB's first
// retention run: the days that run could drop. Run() then backfills the rest on its
// own thread at once and repeats passes every `interval`; Stop() interrupts a pass
// between SLOs and between chunks of days.
//
// The first time it sees an SLO whose window (or monthly review) reaches past the
// retention and which has no stored history yet, it logs RetentionNote once.
//
// Thread-safety: RecordOnce and RecordAtRisk may be called from any one thread at a
// time (not while Run's thread runs); Run/Stop/Wake from the owner.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/logger.h"
#include "base/status.h"
#include "slo/budget.h"
#include "slo/history_store.h"
#include "slo/spec.h"

namespace hw::slo {

inline constexpr int kRecentDays = 3;
// A day is recorded once this long after its end: the scrapes of 23:59 and the
// remote writes behind them have landed by then, so an early, partial count of the
// day is never stored.
inline constexpr std::int64_t kRecordGraceMs = 10 * 60 * 1000;
// How far past the retention edge a day counts as at risk of the next retention run
// (blocks are dropped whole, and the edge moves while the server runs).
inline constexpr int kAtRiskDays = 2;

struct RecorderOptions {
  HistoryStore* store = nullptr;         // required
  const QuerySource* source = nullptr;   // required: the TSDB
  std::function<Result<std::vector<Spec>>()> specs;  // the SLOs in force
  // The TSDB's oldest sample (ms); nullopt while it is empty.
  std::function<std::optional<std::int64_t>()> tsdb_oldest_ms;
  std::int64_t retention_ms = 0;  // storage.tsdb.retention_time; 0: none
  Logger* log = nullptr;          // required
  std::chrono::milliseconds interval{5 * 60 * 1000};
};

class Recorder {
 public:
  explicit Recorder(RecorderOptions options) : options_(std::move(options)) {}
  ~Recorder() { Stop(); }

  // One pass at now_ms; the number of days written. An SLO that fails is logged and
  // the others still record; fails only when the SLOs cannot be loaded.
  Result<int> RecordOnce(std::int64_t now_ms);
  // Records only the days at risk of the TSDB's next retention run (AtRiskEnd), every
  // SLO; leaves the backfill of the other days to the next RecordOnce.
  Result<int> RecordAtRisk(std::int64_t now_ms);

  void Run();
  void Stop();
  // Runs the next pass now (after a reload: new SLOs are backfilled at once).
  void Wake();

 private:
  // Records [from_ms, to_ms) (midnights); an error of one SLO is logged, false then.
  bool RecordSpan(const Spec& spec, std::int64_t from_ms, std::int64_t to_ms,
                  std::int64_t oldest_ms, std::int64_t now_ms, int& written);
  Result<int> RecordSpec(const Spec& spec, std::int64_t from_ms, std::int64_t to_ms,
                         std::int64_t oldest_ms, std::int64_t now_ms);
  // The end (a midnight) of the days at risk: kAtRiskDays past the TSDB's oldest
  // sample, or past now - retention when that is later (retention counts from the
  // newest sample, which scrapes bring up to now).
  std::int64_t AtRiskEnd(std::int64_t oldest_ms, std::int64_t now_ms) const;
  bool Stopping();
  void NoteOnce(const Spec& spec, const std::string& key);

  RecorderOptions options_;
  // Keys are SLO id + SLI; touched by RecordOnce only.
  std::set<std::string> backfilled_;  // backfilled by the last pass
  std::set<std::string> noted_;       // checked for RetentionNote
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  bool wake_ = false;  // guarded by mu_
  std::thread thread_;
};

// The note for an SLO whose budget window, or the monthly review (up to 31 days),
// is longer than the TSDB's retention; "" when it is not (or retention_ms is 0):
//   slo api/api-availability: window 30d is longer than storage retention 15d: days
//   older than 15d come from the SLO history in state.db, recorded from now on
std::string RetentionNote(const Spec& spec, std::int64_t retention_ms);

}  // namespace hw::slo
