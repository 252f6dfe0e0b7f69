// Clock: the one source of wall-clock time. Components take a Clock& so that tests
// can step time by minutes in microseconds (FakeClock); production uses RealClock().
// Durations of work (latencies) use std::chrono::steady_clock directly.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace hw {

using SysTime = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual SysTime Now() const = 0;
  // Milliseconds since the Unix epoch, the timestamp unit of samples.
  std::int64_t NowMillis() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Now().time_since_epoch())
        .count();
  }
};

// The process-wide system clock.
Clock& RealClock();

// A clock that moves only when told. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(std::int64_t start_millis = 0) : millis_(start_millis) {}
  SysTime Now() const override {
    return SysTime(std::chrono::milliseconds(millis_.load(std::memory_order_acquire)));
  }
  void Set(std::int64_t millis) { millis_.store(millis, std::memory_order_release); }
  void Advance(std::chrono::milliseconds d) { millis_.fetch_add(d.count()); }

 private:
  std::atomic<std::int64_t> millis_;
};

}  // namespace hw
