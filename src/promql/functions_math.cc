// Element-wise math on instant vectors, clamping, rounding, vector()/scalar().
#include <cmath>
#include <limits>
#include <numbers>

#include "promql/functions_impl.h"

namespace hw::promql {
namespace {

// Go's math.Max / math.Min: NaN wins.
double GoMax(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::quiet_NaN();
  return a > b ? a : b;
}
double GoMin(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::quiet_NaN();
  return a < b ? a : b;
}

template <double (*F)(double)>
Value Elementwise(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return MapValues(ev, std::move(a[0]), [](double x, std::size_t) { return F(x); });
}

double Sgn(double x) { return x < 0 ? -1.0 : (x > 0 ? 1.0 : x); }
double Deg(double x) { return x * 180 / std::numbers::pi; }
double Rad(double x) { return x * std::numbers::pi / 180; }
double Abs(double x) { return std::fabs(x); }
double Ceil(double x) { return std::ceil(x); }
double Floor(double x) { return std::floor(x); }
double Exp(double x) { return std::exp(x); }
double Sqrt(double x) { return std::sqrt(x); }
double Ln(double x) { return std::log(x); }
double Log2(double x) { return std::log2(x); }
double Log10(double x) { return std::log10(x); }
double Sin(double x) { return std::sin(x); }
double Cos(double x) { return std::cos(x); }
double Tan(double x) { return std::tan(x); }
double Asin(double x) { return std::asin(x); }
double Acos(double x) { return std::acos(x); }
double Atan(double x) { return std::atan(x); }
double Sinh(double x) { return std::sinh(x); }
double Cosh(double x) { return std::cosh(x); }
double Tanh(double x) { return std::tanh(x); }
double Asinh(double x) { return std::asinh(x); }
double Acosh(double x) { return std::acosh(x); }
double Atanh(double x) { return std::atanh(x); }

Value Clamp(Evaluator& ev, std::vector<Value>& a, const std::vector<double>* lo,
            const std::vector<double>* hi) {
  return MapValues(ev, std::move(a[0]), [&](double x, std::size_t i) {
    double mn = lo ? (*lo)[i] : -std::numeric_limits<double>::infinity();
    double mx = hi ? (*hi)[i] : std::numeric_limits<double>::infinity();
    if (lo && hi && mx < mn) return kAbsent;
    if (hi) x = GoMin(mx, x);
    if (lo) x = GoMax(mn, x);
    return x;
  });
}

Value ClampFn(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return Clamp(ev, a, &a[1].series[0].v, &a[2].series[0].v);
}
Value ClampMin(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return Clamp(ev, a, &a[1].series[0].v, nullptr);
}
Value ClampMax(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return Clamp(ev, a, nullptr, &a[1].series[0].v);
}

Value Round(Evaluator& ev, const Call&, std::vector<Value>& a) {
  std::vector<double> to(ev.steps(), 1.0);
  if (a.size() > 1) to = a[1].series[0].v;
  return MapValues(ev, std::move(a[0]), [&](double x, std::size_t i) {
    double inv = 1.0 / to[i];
    return std::floor(x * inv + 0.5) / inv;
  });
}

Value VectorFn(Evaluator& ev, const Call&, std::vector<Value>& a) {
  Value v;
  v.type = ValueType::kVector;
  v.series.push_back(StepSeries{model::Labels(), std::move(a[0].series[0].v), false});
  return v;
}

Value ScalarFn(Evaluator& ev, const Call&, std::vector<Value>& a) {
  std::vector<double> out(ev.steps(), std::numeric_limits<double>::quiet_NaN());
  std::vector<int> count(ev.steps(), 0);
  for (const StepSeries& s : a[0].series) {
    for (std::size_t i = 0; i < s.v.size(); ++i) {
      if (IsPresent(s.v[i]) && ++count[i] == 1) out[i] = s.v[i];
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (count[i] != 1) out[i] = std::numeric_limits<double>::quiet_NaN();
  }
  return ev.ScalarSeries(std::move(out));
}

Value Pi(Evaluator& ev, const Call&, std::vector<Value>&) { return ev.Scalar(std::numbers::pi); }

Value Timestamp(Evaluator& ev, const Call&, std::vector<Value>& a) {
  return MapValues(ev, std::move(a[0]), [&](double, std::size_t i) {
    return static_cast<double>(ev.Ts(i)) / 1000.0;
  });
}

}  // namespace

void RegisterMathFunctions(FuncMap& m) {
  m["abs"] = Elementwise<Abs>;
  m["ceil"] = Elementwise<Ceil>;
  m["floor"] = Elementwise<Floor>;
  m["exp"] = Elementwise<Exp>;
  m["sqrt"] = Elementwise<Sqrt>;
  m["ln"] = Elementwise<Ln>;
  m["log2"] = Elementwise<Log2>;
  m["log10"] = Elementwise<Log10>;
  m["sgn"] = Elementwise<Sgn>;
  m["deg"] = Elementwise<Deg>;
  m["rad"] = Elementwise<Rad>;
  m["sin"] = Elementwise<Sin>;
  m["cos"] = Elementwise<Cos>;
  m["tan"] = Elementwise<Tan>;
  m["asin"] = Elementwise<Asin>;
  m["acos"] = Elementwise<Acos>;
  m["atan"] = Elementwise<Atan>;
  m["sinh"] = Elementwise<Sinh>;
  m["cosh"] = Elementwise<Cosh>;
  m["tanh"] = Elementwise<Tanh>;
  m["asinh"] = Elementwise<Asinh>;
  m["acosh"] = Elementwise<Acosh>;
  m["atanh"] = Elementwise<Atanh>;
  m["clamp"] = ClampFn;
  m["clamp_min"] = ClampMin;
  m["clamp_max"] = ClampMax;
  m["round"] = Round;
  m["vector"] = VectorFn;
  m["scalar"] = ScalarFn;
  m["pi"] = Pi;
  m["timestamp"] = Timestamp;
}

}  // namespace hw::promql
