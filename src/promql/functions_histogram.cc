// Classic-histogram functions over `le` buckets: histogram_quantile and
// histogram_fraction. The native-histogram functions (histogram_count, _sum, _avg,
// _stddev, _stdvar) see no native histograms here and return nothing.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <unordered_map>

#include "promql/functions_impl.h"
#include "promql/histogram_buckets.h"
#include "promql/printer.h"
#include "promql/str_cat.h"

namespace hw::promql {
namespace {

bool ParseLe(std::string_view s, double* out) {
  if (s.empty()) return false;
  std::string str(s);
  char* end = nullptr;
  *out = std::strtod(str.c_str(), &end);
  return end == str.c_str() + str.size();
}

struct BucketGroups {
  std::vector<model::Labels> labels;
  std::vector<std::string> names;  // a metric name per group, for annotations
  std::vector<std::vector<std::pair<std::size_t, double>>> members;  // (series, le)
};

BucketGroups GroupBuckets(Evaluator& ev, const std::vector<StepSeries>& in, PosRange pos) {
  BucketGroups g;
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_hash;
  for (std::size_t k = 0; k < in.size(); ++k) {
    const model::Labels& m = in[k].metric;
    double le;
    if (!ParseLe(m.Get("le"), &le)) {
      ev.q().Warn(StrCat("bucket label \"le\" is missing or has a malformed value of \"",
                         m.Get("le"), "\" for metric name \"", m.MetricName(), "\""),
                  pos);
      continue;
    }
    model::Labels key = model::LabelsBuilder(m).Del("le").Build();
    auto& cands = by_hash[key.Hash()];
    std::size_t id = SIZE_MAX;
    for (std::size_t c : cands) {
      if (g.labels[c] == key) id = c;
    }
    if (id == SIZE_MAX) {
      id = g.labels.size();
      cands.push_back(id);
      g.labels.push_back(std::move(key));
      g.names.emplace_back(m.MetricName());
      g.members.emplace_back();
    }
    g.members[id].push_back({k, le});
  }
  return g;
}

template <typename F>
Value PerBucketGroup(Evaluator& ev, const Call& c, const std::vector<StepSeries>& in, F&& f) {
  BucketGroups g = GroupBuckets(ev, in, c.args.back()->pos);
  Value out;
  out.type = ValueType::kVector;
  std::vector<Bucket> buckets;
  for (std::size_t id = 0; id < g.labels.size(); ++id) {
    StepSeries s = ev.NewSeries(g.labels[id]);
    ev.DropName(s);
    for (std::size_t i = 0; i < ev.steps(); ++i) {
      buckets.clear();
      for (auto [k, le] : g.members[id]) {
        if (IsPresent(in[k].v[i])) buckets.push_back({le, in[k].v[i]});
      }
      if (!buckets.empty()) s.v[i] = f(buckets, i, g.names[id]);
    }
    out.series.push_back(std::move(s));
  }
  Evaluator::RemoveEmpty(&out.series);
  if (!ev.delayed()) Evaluator::MergeSameLabels(&out.series);
  return out;
}

Value HistogramQuantile(Evaluator& ev, const Call& c, std::vector<Value>& a) {
  const std::vector<double>& phi = a[0].series[0].v;
  for (double p : phi) {
    if (!(p >= 0 && p <= 1)) {
      ev.q().Warn(StrCat("quantile value should be between 0 and 1, got ", FormatNumber(p)),
                  c.args[0]->pos);
      break;
    }
  }
  return PerBucketGroup(ev, c, a[1].series, [&](std::vector<Bucket>& b, std::size_t i,
                                                const std::string& name) {
    bool forced = false;
    double r = BucketQuantile(phi[i], &b, &forced);
    if (forced) {
      ev.q().Info(StrCat("input to histogram_quantile needed to be fixed for monotonicity (see "
                         "https://prometheus.io/docs/prometheus/latest/querying/functions/"
                         "#histogram_quantile) for metric name \"",
                         name, "\""),
                  c.args[1]->pos);
    }
    return r;
  });
}

Value HistogramFraction(Evaluator& ev, const Call& c, std::vector<Value>& a) {
  const std::vector<double>& lo = a[0].series[0].v;
  const std::vector<double>& hi = a[1].series[0].v;
  return PerBucketGroup(ev, c, a[2].series, [&](std::vector<Bucket>& b, std::size_t i,
                                                const std::string&) {
    return BucketFraction(lo[i], hi[i], &b);
  });
}

Value NativeOnly(Evaluator&, const Call&, std::vector<Value>&) {
  Value v;
  v.type = ValueType::kVector;
  return v;
}

}  // namespace

void RegisterHistogramFunctions(FuncMap& m) {
  m["histogram_quantile"] = HistogramQuantile;
  m["histogram_fraction"] = HistogramFraction;
  for (std::string_view n : {"histogram_count", "histogram_sum", "histogram_avg",
                             "histogram_stddev", "histogram_stdvar"}) {
    m[n] = NativeOnly;
  }
}

}  // namespace hw::promql
