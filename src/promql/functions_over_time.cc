// The *_over_time family and double_exponential_smoothing (holt_winters in 2.x).
#include <algorithm>
#include <cmath>
#include <limits>

#include "promql/aggregate_internal.h"
#include "promql/functions_impl.h"
#include "promql/printer.h"
#include "promql/str_cat.h"

namespace hw::promql {
namespace {

template <typename F>
Value OverTime(Evaluator& ev, std::vector<Value>& a, bool drop_name, F&& f) {
  return VectorOf(ev, ev.MapWindows(a[0].range, [&](const model::Sample* d, std::size_t n,
                                                     const WindowInfo& w) {
    return n == 0 ? kAbsent : f(d, n, w);
  }), drop_name);
}

double Mean(const model::Sample* d, std::size_t n) {
  double sum = 0, c = 0, mean = 0, mc = 0;
  bool incremental = false;
  for (std::size_t i = 0; i < n; ++i) {
    double x = d[i].v;
    double count = static_cast<double>(i + 1);
    if (!incremental) {
      double s = sum, cc = c;
      KahanAdd(x, &s, &cc);
      if (!std::isinf(s) || std::isinf(x)) {
        sum = s;
        c = cc;
        continue;
      }
      incremental = true;
      mean = sum / (count - 1);
      mc = c / (count - 1);
    }
    double q = (count - 1) / count;
    mean *= q;
    mc *= q;
    KahanAdd(x / count, &mean, &mc);
  }
  if (incremental) return mean + mc;
  return (sum + c) / static_cast<double>(n);
}

double Variance(const model::Sample* d, std::size_t n) {
  double count = 0, mean = 0, cmean = 0, aux = 0, caux = 0;
  for (std::size_t i = 0; i < n; ++i) {
    count += 1;
    double delta = d[i].v - (mean + cmean);
    KahanAdd(delta / count, &mean, &cmean);
    KahanAdd(delta * (d[i].v - (mean + cmean)), &aux, &caux);
  }
  return (aux + caux) / count;
}

Value SumOT(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return OverTime(ev, a, true, [](const model::Sample* d, std::size_t n, const WindowInfo&) {
    double s = 0, c = 0;
    for (std::size_t i = 0; i < n; ++i) KahanAdd(d[i].v, &s, &c);
    return s + c;
  });
}
Value AvgOT(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return OverTime(ev, a, true, [](const model::Sample* d, std::size_t n, const WindowInfo&) {
    return Mean(d, n);
  });
}
Value CountOT(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return OverTime(ev, a, true, [](const model::Sample*, std::size_t n, const WindowInfo&) {
    return static_cast<double>(n);
  });
}
Value MinOT(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return OverTime(ev, a, true, [](const model::Sample* d, std::size_t n, const WindowInfo&) {
    double m = d[0].v;
    for (std::size_t i = 1; i < n; ++i) {
      if (d[i].v < m || std::isnan(m)) m = d[i].v;
    }
    return m;
  });
}
Value MaxOT(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return OverTime(ev, a, true, [](const model::Sample* d, std::size_t n, const WindowInfo&) {
    double m = d[0].v;
    for (std::size_t i = 1; i < n; ++i) {
      if (d[i].v > m || std::isnan(m)) m = d[i].v;
    }
    return m;
  });
}
Value StdvarOT(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return OverTime(ev, a, true, [](const model::Sample* d, std::size_t n, const WindowInfo&) {
    return Variance(d, n);
  });
}
Value StddevOT(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return OverTime(ev, a, true, [](const model::Sample* d, std::size_t n, const WindowInfo&) {
    return std::sqrt(Variance(d, n));
  });
}
Value LastOT(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return OverTime(ev, a, false, [](const model::Sample* d, std::size_t n, const WindowInfo&) {
    return d[n - 1].v;
  });
}
Value FirstOT(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return OverTime(ev, a, false, [](const model::Sample* d, std::size_t, const WindowInfo&) {
    return d[0].v;
  });
}
Value PresentOT(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return OverTime(ev, a, true, [](const model::Sample*, std::size_t, const WindowInfo&) {
    return 1.0;
  });
}

Value QuantileOT(Evaluator& ev, const Call& c, std::vector<Value>& a) {
  const std::vector<double>& phi = a[0].series[0].v;
  for (double p : phi) {
    if (!(p >= 0 && p <= 1)) {
      ev.q().Warn(StrCat("quantile value should be between 0 and 1, got ", FormatNumber(p)),
                  c.args[0]->pos);
      break;
    }
  }
  std::vector<double> vals;
  std::vector<Value> rest;
  rest.push_back(std::move(a[1]));
  return OverTime(ev, rest, true, [&](const model::Sample* d, std::size_t n, const WindowInfo& w) {
    vals.clear();
    for (std::size_t i = 0; i < n; ++i) vals.push_back(d[i].v);
    return Quantile(phi[w.step], &vals);
  });
}

Value MadOT(Evaluator& ev, const Call&, std::vector<Value>& a) {
  std::vector<double> vals;
  return OverTime(ev, a, true, [&](const model::Sample* d, std::size_t n, const WindowInfo&) {
    vals.clear();
    for (std::size_t i = 0; i < n; ++i) vals.push_back(d[i].v);
    double median = Quantile(0.5, &vals);
    for (double& v : vals) v = std::fabs(v - median);
    return Quantile(0.5, &vals);
  });
}

template <bool kMax>
Value TsOfExtremeOT(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return OverTime(ev, a, true, [](const model::Sample* d, std::size_t n, const WindowInfo&) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < n; ++i) {
      bool better = kMax ? d[i].v >= d[best].v : d[i].v <= d[best].v;
      if (better || std::isnan(d[best].v)) best = i;
    }
    return static_cast<double>(d[best].t) / 1000.0;
  });
}
Value TsOfLastOT(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return OverTime(ev, a, true, [](const model::Sample* d, std::size_t n, const WindowInfo&) {
    return static_cast<double>(d[n - 1].t) / 1000.0;
  });
}
Value TsOfFirstOT(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return OverTime(ev, a, true, [](const model::Sample* d, std::size_t, const WindowInfo&) {
    return static_cast<double>(d[0].t) / 1000.0;
  });
}

Value Smoothing(Evaluator& ev, const Call&, std::vector<Value>& a) {
  const std::vector<double>& sf = a[1].series[0].v;
  const std::vector<double>& tf = a[2].series[0].v;
  for (std::size_t i = 0; i < sf.size(); ++i) {
    if (!(sf[i] > 0 && sf[i] < 1)) {
      ThrowExec(StrCat("invalid smoothing factor. Expected: 0 < sf < 1, got: ", FormatNumber(sf[i])));
    }
    if (!(tf[i] > 0 && tf[i] < 1)) {
      ThrowExec(StrCat("invalid trend factor. Expected: 0 < tf < 1, got: ", FormatNumber(tf[i])));
    }
  }
  return OverTime(ev, a, true, [&](const model::Sample* d, std::size_t n, const WindowInfo& w) {
    if (n < 2) return kAbsent;
    double s = sf[w.step], t = tf[w.step];
    double s0 = 0, s1 = d[0].v, b = d[1].v - d[0].v;
    for (std::size_t i = 1; i < n; ++i) {
      double x = s * d[i].v;
      if (i > 1) b = t * (s1 - s0) + (1 - t) * b;
      double y = (1 - s) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return s1;
  });
}

}  // namespace

void RegisterOverTimeFunctions(FuncMap& m) {
  m["sum_over_time"] = SumOT;
  m["avg_over_time"] = AvgOT;
  m["count_over_time"] = CountOT;
  m["min_over_time"] = MinOT;
  m["max_over_time"] = MaxOT;
  m["stddev_over_time"] = StddevOT;
  m["stdvar_over_time"] = StdvarOT;
  m["last_over_time"] = LastOT;
  m["first_over_time"] = FirstOT;
  m["present_over_time"] = PresentOT;
  m["quantile_over_time"] = QuantileOT;
  m["mad_over_time"] = MadOT;
  m["ts_of_max_over_time"] = TsOfExtremeOT<true>;
  m["ts_of_min_over_time"] = TsOfExtremeOT<false>;
  m["ts_of_last_over_time"] = TsOfLastOT;
  m["ts_of_first_over_time"] = TsOfFirstOT;
  m["double_exponential_smoothing"] = Smoothing;
  m["holt_winters"] = Smoothing;
}

}  // namespace hw::promql
