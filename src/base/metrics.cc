#include "base/metrics.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace hw::metrics {
namespace {

void AppendEscaped(std::string* out, std::string_view s, bool escape_quotes) {
  for (char c : s) {
    switch (c) {
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '"':
        if (escape_quotes) {
          out->append("\\\"");
        } else {
          out->push_back(c);
        }
        break;
      default: out->push_back(c);
    }
  }
}

}  // namespace

std::string FormatFloat(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}

Histogram::Histogram(const std::vector<double>* bounds)
    : bounds_(bounds), buckets_(new std::atomic<std::uint64_t>[bounds->size() + 1]) {
  for (size_t i = 0; i <= bounds_->size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double v) {
  // Buckets are upper-inclusive (le); the first bound >= v takes the observation.
  size_t i = static_cast<size_t>(std::lower_bound(bounds_->begin(), bounds_->end(), v) -
                                 bounds_->begin());
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::CumulativeCounts() const {
  std::vector<std::uint64_t> out(bounds_->size() + 1);
  std::uint64_t acc = 0;
  for (size_t i = 0; i <= bounds_->size(); ++i) {
    acc += buckets_[i].load(std::memory_order_relaxed);
    out[i] = acc;
  }
  return out;
}

void TextWriter::Family(std::string_view name, std::string_view type, std::string_view help) {
  out_->append("# HELP ").append(name).push_back(' ');
  AppendEscaped(out_, help, false);
  out_->append("\n# TYPE ").append(name).append(" ").append(type).push_back('\n');
}

void TextWriter::Sample(std::string_view name, const std::vector<std::string>& label_names,
                        const LabelValues& values, double value, std::string_view extra_name,
                        std::string_view extra_value) {
  out_->append(name);
  if (!label_names.empty() || !extra_name.empty()) {
    out_->push_back('{');
    bool first = true;
    for (size_t i = 0; i < label_names.size() && i < values.size(); ++i) {
      if (!first) out_->push_back(',');
      first = false;
      out_->append(label_names[i]).append("=\"");
      AppendEscaped(out_, values[i], true);
      out_->push_back('"');
    }
    if (!extra_name.empty()) {
      if (!first) out_->push_back(',');
      out_->append(extra_name).append("=\"");
      AppendEscaped(out_, extra_value, true);
      out_->push_back('"');
    }
    out_->push_back('}');
  }
  out_->push_back(' ');
  out_->append(FormatFloat(value)).push_back('\n');
}

void CounterFamily::Render(TextWriter& w) const {
  w.Family(name_, "counter", help_);
  std::lock_guard lock(mu_);
  for (const auto& [values, c] : children_) w.Sample(name_, label_names_, values, c->Value());
}

void GaugeFamily::Render(TextWriter& w) const {
  w.Family(name_, "gauge", help_);
  std::lock_guard lock(mu_);
  for (const auto& [values, g] : children_) w.Sample(name_, label_names_, values, g->Value());
}

void HistogramFamily::Render(TextWriter& w) const {
  w.Family(name_, "histogram", help_);
  std::lock_guard lock(mu_);
  const std::string bucket = name_ + "_bucket";
  for (const auto& [values, h] : children_) {
    std::vector<std::uint64_t> counts = h->CumulativeCounts();
    for (size_t i = 0; i < bounds_.size(); ++i) {
      w.Sample(bucket, label_names_, values, static_cast<double>(counts[i]), "le",
               FormatFloat(bounds_[i]));
    }
    w.Sample(bucket, label_names_, values, static_cast<double>(counts.back()), "le", "+Inf");
    w.Sample(name_ + "_sum", label_names_, values, h->Sum());
    w.Sample(name_ + "_count", label_names_, values, static_cast<double>(h->Count()));
  }
}

template <typename F, typename... A>
F& Registry::Register(std::string name, A&&... args) {
  std::lock_guard lock(mu_);
  for (const auto& f : families_) {
    if (f->name() == name) {
      if (auto* same = dynamic_cast<F*>(f.get())) return *same;
    }
  }
  auto f = std::make_unique<F>(std::move(name), std::forward<A>(args)...);
  F& ref = *f;
  families_.push_back(std::move(f));
  return ref;
}

CounterFamily& Registry::Counter(std::string name, std::string help,
                                 std::vector<std::string> label_names) {
  return Register<CounterFamily>(std::move(name), std::move(help), std::move(label_names));
}

GaugeFamily& Registry::Gauge(std::string name, std::string help,
                             std::vector<std::string> label_names) {
  return Register<GaugeFamily>(std::move(name), std::move(help), std::move(label_names));
}

HistogramFamily& Registry::Histogram(std::string name, std::string help,
                                     std::vector<std::string> label_names,
                                     std::vector<double> bounds) {
  std::sort(bounds.begin(), bounds.end());
  return Register<HistogramFamily>(std::move(name), std::move(help), std::move(label_names),
                                   std::move(bounds));
}

void Registry::AddCollector(std::function<void(TextWriter&)> fn) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(fn));
}

std::string Registry::Render() const {
  std::string out;
  TextWriter w(&out);
  std::lock_guard lock(mu_);
  for (const auto& f : families_) f->Render(w);
  for (const auto& c : collectors_) c(w);
  return out;
}

}  // namespace hw::metrics
