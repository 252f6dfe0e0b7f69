#include "incidents/schedule.h"

#include <fmt/format.h>

#include <algorithm>

namespace hw::incidents {
namespace {

constexpr std::int64_t kDay = 86400;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// 0 = Sunday; 1970-01-01 was a Thursday.
int WeekdayOfDay(std::int64_t day) { return static_cast<int>(((day % 7) + 11) % 7); }

}  // namespace

Result<Schedule> Schedule::Compile(const config::ScheduleConfig& cfg) {
  Result<alerting::TimeZone> tz = alerting::TimeZone::Load(cfg.time_zone);
  if (!tz.ok()) return tz.status().Wrap(fmt::format("cannot compile schedule {}", cfg.name));
  return Schedule(cfg, std::move(tz).value());
}

std::string Schedule::LayerOnCallAt(std::size_t layer, std::int64_t t_ms) const {
  const config::RotationLayerConfig& l = cfg_.layers[layer];
  if (l.users.empty()) return "";
  // Work in wall-clock seconds of the zone, so handoffs stay at their local time
  // whatever the UTC offset does in between.
  std::int64_t t_s = FloorDiv(t_ms, 1000);
  std::int64_t local = t_s + tz_.OffsetAt(t_s);
  bool weekly = l.rotation == "weekly";
  std::int64_t first_day = l.start_day;
  if (weekly) first_day += ((l.handoff_weekday - WeekdayOfDay(l.start_day)) % 7 + 7) % 7;
  std::int64_t epoch = first_day * kDay + l.handoff_minute * 60;
  if (local < epoch) return "";
  std::int64_t period = weekly ? 7 * kDay : kDay;
  std::int64_t shift = (local - epoch) / period;
  return l.users[static_cast<std::size_t>(shift % static_cast<std::int64_t>(l.users.size()))];
}

std::string Schedule::OnCallAt(std::int64_t t_ms) const {
  for (auto it = cfg_.overrides.rbegin(); it != cfg_.overrides.rend(); ++it) {
    if (t_ms >= it->start_ms && t_ms < it->end_ms) return it->user;
  }
  for (std::size_t i = cfg_.layers.size(); i-- > 0;) {
    std::string user = LayerOnCallAt(i, t_ms);
    if (!user.empty()) return user;
  }
  return "";
}

Result<Schedules> Schedules::Compile(const config::IncidentsConfig& cfg) {
  Schedules out;
  for (const config::ScheduleConfig& s : cfg.schedules) {
    Result<Schedule> compiled = Schedule::Compile(s);
    if (!compiled.ok()) return compiled.status();
    out.by_name_.emplace(s.name, std::move(compiled).value());
  }
  return out;
}

const Schedule* Schedules::Find(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &it->second;
}

std::vector<Handoff> NextHandoffs(const Schedule& s, std::int64_t from_ms, std::int64_t until_ms,
                                  std::size_t max) {
  constexpr std::int64_t kStep = 15 * 60'000;
  std::vector<Handoff> out;
  std::string current = s.OnCallAt(from_ms);
  for (std::int64_t t = from_ms; t < until_ms && out.size() < max;) {
    const std::int64_t next = std::min(t + kStep, until_ms);
    std::string later = s.OnCallAt(next);
    if (later == current) {
      t = next;
      continue;
    }
    // OnCallAt(lo) == current, OnCallAt(hi) != current: narrow to the first change.
    std::int64_t lo = t, hi = next;
    while (hi - lo > 1) {
      const std::int64_t mid = lo + (hi - lo) / 2;
      (s.OnCallAt(mid) == current ? lo : hi) = mid;
    }
    current = s.OnCallAt(hi);
    out.push_back({hi, current});
    t = hi;
  }
  return out;
}

}  // namespace hw::incidents
