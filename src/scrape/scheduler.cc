#include "scrape/scheduler.h"

namespace hw::scrape {

Scheduler::Scheduler(int workers, const Clock& clock, metrics::Counter* skipped_ticks)
    : workers_(std::max(1, workers)), clock_(clock), skipped_ticks_(skipped_ticks) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start() {
  std::lock_guard lock(mu_);
  if (started_ || stopping_) return;
  started_ = true;
  threads_.emplace_back([this] { SchedulerMain(); });
  for (int i = 0; i < workers_; ++i) threads_.emplace_back([this] { WorkerMain(); });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  schedule_cv_.notify_all();
  work_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  // Posted tasks that no worker reached (or all of them, if never started).
  std::deque<Task> rest;
  {
    std::lock_guard lock(mu_);
    rest.swap(queue_);
    stopped_ = true;
  }
  for (Task& t : rest) {
    if (t.fn) t.fn();
  }
}

void Scheduler::Add(std::shared_ptr<ScrapeLoop> loop, std::uint64_t offset_ms) {
  auto interval = static_cast<std::uint64_t>(std::max<std::int64_t>(1, loop->target().interval.count()));
  auto now_ms = static_cast<std::uint64_t>(clock_.NowMillis());
  std::uint64_t delay = (offset_ms % interval + interval - now_ms % interval) % interval;
  {
    std::lock_guard lock(mu_);
    heap_.push(Due{std::chrono::steady_clock::now() + std::chrono::milliseconds(delay), loop});
  }
  schedule_cv_.notify_all();
}

void Scheduler::Post(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    if (!stopped_) {
      queue_.push_back(Task{nullptr, std::move(fn)});
      fn = nullptr;
    }
  }
  if (fn) {
    fn();  // already stopped: run here
    return;
  }
  work_cv_.notify_one();
}

void Scheduler::SetTick(std::chrono::milliseconds every, std::function<void()> fn) {
  std::lock_guard lock(mu_);
  tick_every_ = every;
  tick_ = std::move(fn);
}

std::uint64_t Scheduler::skipped() const {
  std::lock_guard lock(mu_);
  return skipped_;
}

void Scheduler::SchedulerMain() {
  SteadyTime next_tick = std::chrono::steady_clock::now() + tick_every_;
  std::unique_lock lock(mu_);
  while (!stopping_) {
    SteadyTime now = std::chrono::steady_clock::now();
    if (tick_ && now >= next_tick) {
      next_tick = now + tick_every_;
      lock.unlock();
      tick_();
      lock.lock();
      continue;
    }
    while (!heap_.empty() && heap_.top().when <= now) {
      Due d = heap_.top();
      heap_.pop();
      std::shared_ptr<ScrapeLoop> loop = d.loop.lock();
      if (!loop || loop->stopped()) continue;  // removed: leaves the schedule
      if (loop->busy.exchange(true)) {
        ++skipped_;
        if (skipped_ticks_) skipped_ticks_->Inc();
      } else {
        queue_.push_back(Task{loop, nullptr});
        work_cv_.notify_one();
      }
      // The next slot after now (catching up never bursts).
      auto interval = std::chrono::milliseconds(std::max<std::int64_t>(1, loop->target().interval.count()));
      SteadyTime next = d.when + interval;
      while (next <= now) next += interval;
      heap_.push(Due{next, d.loop});
    }
    SteadyTime wake = heap_.empty() ? now + std::chrono::hours(1) : heap_.top().when;
    if (tick_) wake = std::min(wake, next_tick);
    schedule_cv_.wait_until(lock, wake);
  }
}

void Scheduler::WorkerMain() {
  std::unique_lock lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;  // Stop() runs the posted tasks left
    Task task = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    if (task.scrape) {
      task.scrape->ScrapeOnce();
      task.scrape->busy.store(false);
    } else {
      task.fn();
    }
    lock.lock();
  }
}

}  // namespace hw::scrape
