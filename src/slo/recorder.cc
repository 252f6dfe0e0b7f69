#include "slo/recorder.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/units.h"
#include "slo/days.h"

namespace hw::slo {
namespace {

constexpr std::int64_t kLongestMonthMs = 31 * kDayMs;
// Days counted per range query during a backfill: years of data stay in bounds, and
// Stop() is checked between chunks, so it waits for one month's query at most.
constexpr std::int64_t kBackfillChunkDays = 31;

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "15d" rather than "2w1d": retention is usually set in days.
std::string Days(std::int64_t ms) {
  return ms % kDayMs == 0 ? fmt::format("{}d", ms / kDayMs) : FormatDuration(Duration(ms));
}

}  // namespace

std::string RetentionNote(const Spec& spec, std::int64_t retention_ms) {
  if (retention_ms <= 0) return "";
  const std::string retention = Days(retention_ms);
  const std::string tail = fmt::format(
      "days older than {} come from the SLO history in state.db, recorded from now on", retention);
  if (spec.window_kind == Spec::WindowKind::kRolling && spec.window.count() > retention_ms) {
    return fmt::format("slo {}: window {} is longer than storage retention {}: {}", spec.Id(),
                       spec.WindowName(), retention, tail);
  }
  if (kLongestMonthMs > retention_ms) {
    const std::string what = spec.window_kind == Spec::WindowKind::kCalendarMonth
                                 ? "window calendar month"
                                 : "the monthly review (up to 31d)";
    return fmt::format("slo {}: {} is longer than storage retention {}: {}", spec.Id(), what,
                       retention, tail);
  }
  return "";
}

Result<int> Recorder::RecordSpec(const Spec& spec, std::int64_t from_ms, std::int64_t to_ms,
                                 std::int64_t oldest_ms, std::int64_t now_ms) {
  int written = 0;
  for (std::int64_t chunk = from_ms; chunk < to_ms; chunk += kBackfillChunkDays * kDayMs) {
    if (Stopping()) break;
    const std::int64_t chunk_end = std::min(to_ms, chunk + kBackfillChunkDays * kDayMs);
    // TSDB only: the store must record what the TSDB says, never its own figures.
    Result<std::vector<DayCount>> days =
        CountDays(spec, *options_.source, nullptr, chunk, chunk_end);
    if (!days.ok()) return days.status();
    for (const DayCount& d : *days) {
      // A day the TSDB fully holds is its to say, even with fewer (or no) events
      // than stored; a day at the retention edge only gains events.
      const RecordRule rule =
          d.start_ms >= oldest_ms ? RecordRule::kOverwrite : RecordRule::kKeepMoreEvents;
      if (d.source != DaySource::kTsdb && rule != RecordRule::kOverwrite) continue;
      Result<bool> w = options_.store->Record(spec, d.start_ms, d.good, d.total, now_ms, rule);
      if (!w.ok()) return w.status();
      written += *w;
    }
  }
  return written;
}

bool Recorder::RecordSpan(const Spec& spec, std::int64_t from_ms, std::int64_t to_ms,
                          std::int64_t oldest_ms, std::int64_t now_ms, int& written) {
  Result<int> n = RecordSpec(spec, from_ms, to_ms, oldest_ms, now_ms);
  if (!n.ok()) {
    // The others still record; this one backfills again next pass.
    options_.log->Error("cannot record the SLO history",
                        {{"slo", spec.Id()}, {"error", n.status().message()}});
    return false;
  }
  written += *n;
  return true;
}

std::int64_t Recorder::AtRiskEnd(std::int64_t oldest_ms, std::int64_t now_ms) const {
  std::int64_t edge = oldest_ms;
  if (options_.retention_ms > 0) edge = std::max(edge, now_ms - options_.retention_ms);
  return DayFloor(edge) + kAtRiskDays * kDayMs;
}

bool Recorder::Stopping() {
  std::lock_guard lock(mu_);
  return stop_;
}

void Recorder::NoteOnce(const Spec& spec, const std::string& key) {
  if (!noted_.insert(key).second) return;
  const std::string note = RetentionNote(spec, options_.retention_ms);
  Result<bool> has = note.empty() ? Result<bool>(true) : options_.store->HasHistory(spec);
  if (has.ok() && !*has) options_.log->Warn(note, {{"file", spec.file}});
}

Result<int> Recorder::RecordOnce(std::int64_t now_ms) {
  Result<std::vector<Spec>> specs = options_.specs();
  if (!specs.ok()) return specs.status();
  const std::optional<std::int64_t> oldest = options_.tsdb_oldest_ms();
  const std::int64_t end = DayFloor(now_ms - kRecordGraceMs);  // completed days, settled
  int written = 0;
  std::set<std::string> backfilled;
  for (const Spec& spec : *specs) {
    if (Stopping()) break;
    const std::string key = spec.Id() + "\n" + SliKey(spec);
    NoteOnce(spec, key);
    if (!oldest) continue;  // an empty TSDB: nothing to record yet
    const std::int64_t first = DayFloor(*oldest);
    bool ok;
    if (backfilled_.count(key) == 0) {
      ok = RecordSpan(spec, first, end, *oldest, now_ms, written);
    } else {
      // The days at risk, then the recent days (never the same day twice).
      const std::int64_t risk_end = std::min(end, AtRiskEnd(*oldest, now_ms));
      const std::int64_t recent = std::max(risk_end, end - kRecentDays * kDayMs);
      ok = RecordSpan(spec, first, risk_end, *oldest, now_ms, written) &&
           RecordSpan(spec, recent, end, *oldest, now_ms, written);
    }
    if (ok) backfilled.insert(key);
  }
  backfilled_ = std::move(backfilled);
  return written;
}

Result<int> Recorder::RecordAtRisk(std::int64_t now_ms) {
  Result<std::vector<Spec>> specs = options_.specs();
  if (!specs.ok()) return specs.status();
  const std::optional<std::int64_t> oldest = options_.tsdb_oldest_ms();
  const std::int64_t end = DayFloor(now_ms - kRecordGraceMs);
  int written = 0;
  for (const Spec& spec : *specs) {
    if (Stopping()) break;
    NoteOnce(spec, spec.Id() + "\n" + SliKey(spec));
    if (!oldest) continue;
    RecordSpan(spec, DayFloor(*oldest), std::min(end, AtRiskEnd(*oldest, now_ms)), *oldest,
               now_ms, written);
  }
  return written;
}

void Recorder::Run() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    wake_ = true;  // the first pass (the backfill after RecordAtRisk) at once
  }
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, options_.interval, [this] { return stop_ || wake_; });
      if (stop_) break;
      wake_ = false;
      lock.unlock();
      Result<int> n = RecordOnce(NowMs());
      if (!n.ok()) {
        options_.log->Error("cannot record the SLO history", {{"error", n.status().message()}});
      } else if (*n > 0) {
        options_.log->Info("SLO history recorded", {{"days", *n}});
      }
      lock.lock();
    }
  });
}

void Recorder::Wake() {
  {
    std::lock_guard lock(mu_);
    wake_ = true;
  }
  cv_.notify_all();
}

void Recorder::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace hw::slo
