// The rate family: rate, increase, delta (extrapolated), irate, idelta, deriv,
// predict_linear, changes, resets.
#include <cmath>
#include <limits>

#include "promql/aggregate_internal.h"
#include "promql/functions_impl.h"
#include "promql/str_cat.h"

namespace hw::promql {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Prometheus' extrapolation: the increase between the first and last sample of the
// window (counter resets added back for counters), extrapolated towards the window
// edges by at most half the average sample interval when the series seems to start
// or end inside the window, and never below zero for counters.
// `resets`: whether the series may have a counter reset anywhere (false skips the scan).
double ExtrapolatedRate(const model::Sample* d, std::size_t n, const WindowInfo& w, bool counter,
                        bool rate, bool resets = true) {
  if (n < 2) return kAbsent;
  double result = d[n - 1].v - d[0].v;
  if (counter && resets) {
    for (std::size_t i = 1; i < n; ++i) {
      if (d[i].v < d[i - 1].v) result += d[i - 1].v;
    }
  }
  double to_start = static_cast<double>(d[0].t - w.start) / 1000.0;
  double to_end = static_cast<double>(w.end - d[n - 1].t) / 1000.0;
  double sampled = static_cast<double>(d[n - 1].t - d[0].t) / 1000.0;
  double avg_gap = sampled / static_cast<double>(n - 1);
  double threshold = avg_gap * 1.1;
  if (to_start >= threshold) to_start = avg_gap / 2;
  if (counter && result > 0 && d[0].v >= 0) {
    double to_zero = sampled * (d[0].v / result);
    if (to_zero < to_start) to_start = to_zero;
  }
  if (to_end >= threshold) to_end = avg_gap / 2;
  double factor = (sampled + to_start + to_end) / sampled;
  if (rate) factor /= static_cast<double>(w.range_ms) / 1000.0;
  return result * factor;
}

double InstantDelta(const model::Sample* d, std::size_t n, bool rate) {
  if (n < 2) return kAbsent;
  const model::Sample& last = d[n - 1];
  const model::Sample& prev = d[n - 2];
  double r = (rate && last.v < prev.v) ? last.v : last.v - prev.v;
  std::int64_t dt = last.t - prev.t;
  if (dt == 0) return kAbsent;
  if (rate) r /= static_cast<double>(dt) / 1000.0;
  return r;
}

}  // namespace

void LinearRegression(const model::Sample* d, std::size_t n, std::int64_t intercept_t,
                      double* slope, double* intercept) {
  double sx = 0, cx = 0, sy = 0, cy = 0, sxy = 0, cxy = 0, sx2 = 0, cx2 = 0;
  bool const_y = true;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && d[i].v != d[0].v) const_y = false;
    double x = static_cast<double>(d[i].t - intercept_t) / 1000.0;
    KahanAdd(x, &sx, &cx);
    KahanAdd(d[i].v, &sy, &cy);
    KahanAdd(x * d[i].v, &sxy, &cxy);
    KahanAdd(x * x, &sx2, &cx2);
  }
  if (const_y) {
    if (std::isinf(d[0].v)) {
      *slope = *intercept = std::numeric_limits<double>::quiet_NaN();
    } else {
      *slope = 0;
      *intercept = d[0].v;
    }
    return;
  }
  double nn = static_cast<double>(n);
  sx += cx;
  sy += cy;
  sxy += cxy;
  sx2 += cx2;
  double cov = sxy - sx * sy / nn;
  double var = sx2 - sx * sx / nn;
  *slope = cov / var;
  *intercept = sy / nn - *slope * sx / nn;
}

namespace {

Value RateLike(Evaluator& ev, const Call& c, std::vector<Value>& args, bool counter, bool rate) {
  // Most counters never reset in a query's range: find those once, not per window.
  std::vector<char> resets(args[0].range.series.size(), 1);
  if (counter) {
    for (std::size_t k = 0; k < resets.size(); ++k) {
      const std::vector<model::Sample>& s = args[0].range.series[k].s;
      bool any = false;
      for (std::size_t i = 1; i < s.size(); ++i) any |= s[i].v < s[i - 1].v;
      resets[k] = any;
    }
  }
  auto out = ev.MapWindows(args[0].range, [&](const model::Sample* d, std::size_t n,
                                              const WindowInfo& w) {
    return ExtrapolatedRate(d, n, w, counter, rate, resets[w.series] != 0);
  });
  if (counter) {
    for (const StepSeries& s : out) {
      std::string_view name = s.metric.MetricName();
      if (!EndsWith(name, "_total") && !EndsWith(name, "_sum") && !EndsWith(name, "_count") &&
          !EndsWith(name, "_bucket")) {
        ev.q().Info(StrCat("metric might not be a counter, name does not end in "
                           "_total/_sum/_count/_bucket: \"",
                           name, "\""),
                    c.args[0]->pos);
      }
    }
  }
  return VectorOf(ev, std::move(out), true);
}

Value Rate(Evaluator& ev, const Call& c, std::vector<Value>& a) { return RateLike(ev, c, a, true, true); }
Value Increase(Evaluator& ev, const Call& c, std::vector<Value>& a) { return RateLike(ev, c, a, true, false); }
Value Delta(Evaluator& ev, const Call& c, std::vector<Value>& a) { return RateLike(ev, c, a, false, false); }

// irate and idelta: MapWindows for functions that read only a window's last two
// samples. One index follows the windows' end; the start only decides whether the
// sample before the last is inside, so it is never walked.
std::vector<StepSeries> MapLastTwo(Evaluator& ev, const RangeValue& rv, bool rate) {
  std::vector<StepSeries> out;
  out.reserve(rv.series.size());
  const bool closed = ev.q().opts->v2_semantics;
  for (const RangeSeries& rs : rv.series) {
    ev.q().Check();
    StepSeries s = ev.NewSeries(rs.metric);
    s.drop_name = rs.drop_name;
    const model::Sample* d = rs.s.data();
    const std::size_t n = rs.s.size(), steps = s.v.size();
    std::size_t hi = 0;  // first sample after the current window's end
    bool any = false;
    for (std::size_t i = 0; i < steps; ++i) {
      // With @ every window is the same, so hi never needs to move back.
      std::int64_t end = (rv.has_at ? rv.at_ms : ev.Ts(i)) - rv.offset_ms;
      std::int64_t start = end - rv.range_ms;
      while (hi < n && d[hi].t <= end) ++hi;
      if (hi < 2) continue;
      std::int64_t t = d[hi - 2].t;
      if (t < start || (!closed && t == start)) continue;
      double r = InstantDelta(d + hi - 2, 2, rate);
      s.v[i] = r;
      any = any || IsPresent(r);
    }
    if (any) out.push_back(std::move(s));
  }
  return out;
}

Value Irate(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return VectorOf(ev, MapLastTwo(ev, a[0].range, true), true);
}

Value Idelta(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return VectorOf(ev, MapLastTwo(ev, a[0].range, false), true);
}

Value Deriv(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return VectorOf(ev, ev.MapWindows(a[0].range, [](const model::Sample* d, std::size_t n, const WindowInfo&) {
    if (n < 2) return kAbsent;
    double slope, intercept;
    LinearRegression(d, n, d[0].t, &slope, &intercept);
    return slope;
  }), true);
}

Value PredictLinear(Evaluator& ev, const Call&, std::vector<Value>& a) {
  const std::vector<double>& dur = a[1].series[0].v;
  return VectorOf(ev, ev.MapWindows(a[0].range, [&](const model::Sample* d, std::size_t n, const WindowInfo& w) {
    if (n < 2) return kAbsent;
    double slope, intercept;
    LinearRegression(d, n, w.ts, &slope, &intercept);
    return slope * dur[w.step] + intercept;
  }), true);
}

Value Changes(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return VectorOf(ev, ev.MapWindows(a[0].range, [](const model::Sample* d, std::size_t n, const WindowInfo&) {
    if (n == 0) return kAbsent;
    double changes = 0;
    for (std::size_t i = 1; i < n; ++i) {
      double cur = d[i].v, prev = d[i - 1].v;
      if (cur != prev && !(std::isnan(cur) && std::isnan(prev))) changes += 1;
    }
    return changes;
  }), true);
}

Value Resets(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return VectorOf(ev, ev.MapWindows(a[0].range, [](const model::Sample* d, std::size_t n, const WindowInfo&) {
    if (n == 0) return kAbsent;
    double resets = 0;
    for (std::size_t i = 1; i < n; ++i) resets += d[i].v < d[i - 1].v ? 1 : 0;
    return resets;
  }), true);
}

}  // namespace

void RegisterRateFunctions(FuncMap& m) {
  m["rate"] = Rate;
  m["increase"] = Increase;
  m["delta"] = Delta;
  m["irate"] = Irate;
  m["idelta"] = Idelta;
  m["deriv"] = Deriv;
  m["predict_linear"] = PredictLinear;
  m["changes"] = Changes;
  m["resets"] = Resets;
}

}  // namespace hw::promql
