// On-call schedules: who is on call in a schedule at an instant.
//
// A schedule has layers of rotations and a list of overrides. A layer hands off from
// one user to the next at a wall-clock time in the schedule's IANA zone — every day
// ("09:00") or every week ("Mon 09:00") — starting with its first user at the first
// handoff on or after its start date. The handoff follows the wall clock across DST
// changes (09:00 Berlin stays 09:00). Later layers win where they have someone (a
// layer is empty before its start); an override active at the instant wins over all
// layers (the last listed when several are).
//
// Thread-safety: immutable after Compile; safe to share.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "alerting/time_zone.h"
#include "base/status.h"
#include "config/incidents.h"

namespace hw::incidents {

class Schedule {
 public:
  // Fails on an unknown time zone.
  static Result<Schedule> Compile(const config::ScheduleConfig& cfg);

  const std::string& name() const { return cfg_.name; }
  // The user on call at t_ms; "" when nobody is (every layer starts later).
  std::string OnCallAt(std::int64_t t_ms) const;
  // The user a layer has on call at t_ms ("" before its first handoff).
  std::string LayerOnCallAt(std::size_t layer, std::int64_t t_ms) const;

 private:
  Schedule(config::ScheduleConfig cfg, alerting::TimeZone tz)
      : cfg_(std::move(cfg)), tz_(std::move(tz)) {}
  config::ScheduleConfig cfg_;
  alerting::TimeZone tz_;
};

// When the person on call changes: at `at_ms`, `user` takes over ("" = nobody).
struct Handoff {
  std::int64_t at_ms = 0;
  std::string user;
  bool operator==(const Handoff&) const = default;
};
// The next `max` handoffs of `s` in (from_ms, until_ms], found by sampling every 15
// minutes and narrowing each change to the millisecond (an override shorter than the
// step between two samples can be missed).
std::vector<Handoff> NextHandoffs(const Schedule& s, std::int64_t from_ms, std::int64_t until_ms,
                                  std::size_t max);

// Every schedule of the config by name.
class Schedules {
 public:
  static Result<Schedules> Compile(const config::IncidentsConfig& cfg);
  // nullptr when there is no such schedule.
  const Schedule* Find(const std::string& name) const;

 private:
  std::map<std::string, Schedule, std::less<>> by_name_;
};

}  // namespace hw::incidents
