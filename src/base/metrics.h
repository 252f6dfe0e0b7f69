// Self-metrics: counters, gauges and histograms that every subsystem registers for
// hastewatch's own /metrics, rendered in the Prometheus text format 0.0.4.
//
// Registry::Counter/Gauge/Histogram create a labelled family once (at start-up);
// Family::With(values...) returns a child whose address is stable for the registry's
// lifetime, so hot paths look it up once and keep the reference. Children update with
// atomics; creating a child and rendering take the family's mutex. Callback metrics
// (process stats, queue depths) are added with AddCollector and sampled at render time.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace hw::metrics {

using LabelValues = std::vector<std::string>;

class Counter {
 public:
  void Inc(double v = 1) { value_.fetch_add(v, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Inc(double v = 1) { value_.fetch_add(v, std::memory_order_relaxed); }
  void Dec(double v = 1) { value_.fetch_sub(v, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(const std::vector<double>* bounds);
  void Observe(double v);
  // Cumulative counts per upper bound, then +Inf; the sum; the count.
  std::vector<std::uint64_t> CumulativeCounts() const;
  double Sum() const { return sum_.load(std::memory_order_relaxed); }
  std::uint64_t Count() const { return count_.load(std::memory_order_relaxed); }

 private:
  const std::vector<double>* bounds_;                   // owned by the family
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // per bound, +Inf last
  std::atomic<double> sum_{0};
  std::atomic<std::uint64_t> count_{0};
};

// Writes families in the text exposition format; used by Render and by collectors.
class TextWriter {
 public:
  explicit TextWriter(std::string* out) : out_(out) {}
  // Starts a family: its HELP and TYPE lines. type is counter, gauge, histogram, untyped.
  void Family(std::string_view name, std::string_view type, std::string_view help);
  void Sample(std::string_view name, const std::vector<std::string>& label_names,
              const LabelValues& values, double value, std::string_view extra_name = {},
              std::string_view extra_value = {});
  // A sample without labels.
  void Sample(std::string_view name, double value) { Sample(name, {}, {}, value); }

 private:
  std::string* out_;
};

// Formats a float as Prometheus does: shortest round-trip form, +Inf, -Inf, NaN.
std::string FormatFloat(double v);

class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}
  virtual ~FamilyBase() = default;
  virtual void Render(TextWriter& w) const = 0;
  const std::string& name() const { return name_; }

 protected:
  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
};

template <typename M>
class Family : public FamilyBase {
 public:
  using FamilyBase::FamilyBase;
  // The child for these label values (as many as label names); created on first use.
  template <typename... V>
  M& With(const V&... values) {
    return Get(LabelValues{std::string(values)...});
  }
  M& Get(const LabelValues& values);

 protected:
  virtual std::unique_ptr<M> Make() = 0;
  mutable std::mutex mu_;
  std::map<LabelValues, std::unique_ptr<M>> children_;  // guarded by mu_
};

class CounterFamily : public Family<Counter> {
 public:
  using Family::Family;
  void Render(TextWriter& w) const override;

 protected:
  std::unique_ptr<Counter> Make() override { return std::make_unique<Counter>(); }
};

class GaugeFamily : public Family<Gauge> {
 public:
  using Family::Family;
  void Render(TextWriter& w) const override;

 protected:
  std::unique_ptr<Gauge> Make() override { return std::make_unique<Gauge>(); }
};

class HistogramFamily : public Family<Histogram> {
 public:
  HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> bounds)
      : Family(std::move(name), std::move(help), std::move(label_names)),
        bounds_(std::move(bounds)) {}
  void Render(TextWriter& w) const override;

 protected:
  std::unique_ptr<Histogram> Make() override { return std::make_unique<Histogram>(&bounds_); }

 private:
  std::vector<double> bounds_;
};

// Registering a name twice returns the family registered first (its help, labels
// and buckets win), so independent components can share a family safely.
class Registry {
 public:
  CounterFamily& Counter(std::string name, std::string help,
                         std::vector<std::string> label_names = {});
  GaugeFamily& Gauge(std::string name, std::string help,
                     std::vector<std::string> label_names = {});
  HistogramFamily& Histogram(std::string name, std::string help,
                             std::vector<std::string> label_names, std::vector<double> bounds);
  // fn writes whole families (TextWriter::Family then Samples) each time /metrics is read.
  void AddCollector(std::function<void(TextWriter&)> fn);

  std::string Render() const;

 private:
  template <typename F, typename... A>
  F& Register(std::string name, A&&... args);

  mutable std::mutex mu_;
  std::vector<std::unique_ptr<FamilyBase>> families_;       // guarded by mu_
  std::vector<std::function<void(TextWriter&)>> collectors_;  // guarded by mu_
};

template <typename M>
M& Family<M>::Get(const LabelValues& values) {
  std::lock_guard lock(mu_);
  auto it = children_.find(values);
  if (it == children_.end()) it = children_.emplace(values, Make()).first;
  return *it->second;
}

}  // namespace hw::metrics
