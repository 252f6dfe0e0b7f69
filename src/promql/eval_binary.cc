// Binary operators: scalar/scalar, vector/scalar and vector/vector with label
// matching (one-to-one, group_left/right, and/or/unless).
#include <cmath>
#include <unordered_map>

#include "model/hash.h"
#include "promql/binary_ops.h"
#include "promql/eval.h"
#include "promql/str_cat.h"

namespace hw::promql {
namespace {

bool InList(const std::vector<std::string>& names, std::string_view n) {
  for (const std::string& s : names) {
    if (s == n) return true;
  }
  return false;
}

// The labels two series are matched on.
model::Labels MatchLabels(const model::Labels& l, const VectorMatching& m) {
  model::LabelsBuilder b;
  for (const model::Label& lab : l) {
    bool listed = InList(m.matching_labels, lab.name);
    bool keep = m.on ? listed : !listed && lab.name != model::kMetricName;
    if (keep) b.Set(lab.name, lab.value);
  }
  return b.Build();
}

std::uint64_t Signature(const model::Labels& l, const VectorMatching& m) {
  std::string buf;
  for (const model::Label& lab : l) {
    bool listed = InList(m.matching_labels, lab.name);
    bool keep = m.on ? listed : !listed && lab.name != model::kMetricName;
    if (!keep) continue;
    buf.append(lab.name);
    buf.push_back('\xff');
    buf.append(lab.value);
    buf.push_back('\xff');
  }
  return model::XxHash64(buf);
}

// Dense ids for the signatures of both sides.
struct SigIndex {
  std::unordered_map<std::uint64_t, std::size_t> ids;
  std::vector<std::size_t> lhs, rhs;
  std::size_t Id(std::uint64_t h) { return ids.emplace(h, ids.size()).first->second; }
};

SigIndex BuildSigs(const std::vector<StepSeries>& l, const std::vector<StepSeries>& r,
                   const VectorMatching& m) {
  SigIndex s;
  for (const StepSeries& x : l) s.lhs.push_back(s.Id(Signature(x.metric, m)));
  for (const StepSeries& x : r) s.rhs.push_back(s.Id(Signature(x.metric, m)));
  return s;
}

Value SetOp(Evaluator& ev, BinaryOp op, Value l, Value r, const VectorMatching& m) {
  SigIndex sigs = BuildSigs(l.series, r.series, m);
  std::vector<std::size_t> mark(sigs.ids.size(), SIZE_MAX);
  Value out;
  out.type = ValueType::kVector;
  const std::size_t n = ev.steps();
  for (std::size_t i = 0; i < n; ++i) {
    // Mark the signatures present on the side that filters.
    const auto& filter = op == BinaryOp::kOr ? l.series : r.series;
    const auto& ids = op == BinaryOp::kOr ? sigs.lhs : sigs.rhs;
    for (std::size_t k = 0; k < filter.size(); ++k) {
      if (IsPresent(filter[k].v[i])) mark[ids[k]] = i;
    }
    if (op == BinaryOp::kOr) {
      for (std::size_t k = 0; k < r.series.size(); ++k) {
        if (mark[sigs.rhs[k]] == i) r.series[k].v[i] = kAbsent;
      }
    } else {
      bool want = op == BinaryOp::kAnd;
      for (std::size_t k = 0; k < l.series.size(); ++k) {
        if ((mark[sigs.lhs[k]] == i) != want) l.series[k].v[i] = kAbsent;
      }
    }
  }
  out.series = std::move(l.series);
  if (op == BinaryOp::kOr) {
    for (StepSeries& s : r.series) out.series.push_back(std::move(s));
  }
  Evaluator::RemoveEmpty(&out.series);
  return out;
}

model::Labels ResultMetric(const model::Labels& many, const model::Labels& one,
                           const BinaryExpr& b, bool drop_name) {
  const VectorMatching& m = *b.matching;
  model::LabelsBuilder lb(many);
  if (drop_name) lb.Del(model::kMetricName);
  if (m.card == Cardinality::kOneToOne) {
    if (m.on) {
      for (const model::Label& lab : many) {
        if (!InList(m.matching_labels, lab.name)) lb.Del(lab.name);
      }
    } else {
      for (const std::string& n : m.matching_labels) lb.Del(n);
    }
  }
  for (const std::string& n : m.include) lb.Set(n, one.Get(n));
  return lb.Build();
}

Value VectorVector(Evaluator& ev, const BinaryExpr& b, Value l, Value r) {
  const VectorMatching& m = *b.matching;
  const bool swap = m.card == Cardinality::kOneToMany;
  const auto& many = swap ? r.series : l.series;
  const auto& one = swap ? l.series : r.series;
  SigIndex sigs = BuildSigs(many, one, m);
  const auto& many_ids = sigs.lhs;
  const auto& one_ids = sigs.rhs;
  const bool comparison = IsComparisonOp(b.op);
  const bool drop = !comparison || b.return_bool;
  // Result series per (many, one) pair, and per result label set.
  std::unordered_map<std::uint64_t, std::size_t> pair_out;
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_labels;
  Value out;
  out.type = ValueType::kVector;
  std::vector<std::size_t> one_at(sigs.ids.size(), SIZE_MAX), one_step(sigs.ids.size(), SIZE_MAX);
  std::vector<std::size_t> matched(sigs.ids.size(), SIZE_MAX);
  for (std::size_t i = 0; i < ev.steps(); ++i) {
    for (std::size_t k = 0; k < one.size(); ++k) {
      if (IsAbsent(one[k].v[i])) continue;
      std::size_t id = one_ids[k];
      if (one_step[id] == i) {
        const StepSeries& other = one[one_at[id]];
        ThrowExec(StrCat("found duplicate series for the match group ",
                         MatchLabels(one[k].metric, m).ToString(), " on the ",
                         swap ? "left" : "right", " hand-side of the operation: [",
                         other.metric.ToString(), ", ", one[k].metric.ToString(),
                         "];many-to-many matching not allowed: matching labels must be unique "
                         "on one side"));
      }
      one_step[id] = i;
      one_at[id] = k;
    }
    for (std::size_t k = 0; k < many.size(); ++k) {
      double mv = many[k].v[i];
      if (IsAbsent(mv)) continue;
      std::size_t id = many_ids[k];
      if (one_step[id] != i) continue;
      std::size_t o = one_at[id];
      if (m.card == Cardinality::kOneToOne) {
        if (matched[id] == i) {
          ThrowExec("multiple matches for labels: many-to-one matching must be explicit "
                    "(group_left/group_right)");
        }
        matched[id] = i;
      }
      double lv = swap ? one[o].v[i] : mv;
      double rv = swap ? mv : one[o].v[i];
      double val;
      bool keep = true;
      if (comparison) {
        keep = Compare(b.op, lv, rv);
        val = b.return_bool ? (keep ? 1.0 : 0.0) : lv;
        if (b.return_bool) keep = true;
      } else {
        val = Arith(b.op, lv, rv);
      }
      if (!keep) continue;
      std::uint64_t key = (static_cast<std::uint64_t>(k) << 32) | o;
      auto [it, fresh] = pair_out.emplace(key, 0);
      if (fresh) {
        model::Labels lab = ResultMetric(many[k].metric, one[o].metric, b,
                                         drop && !ev.delayed());
        auto& cands = by_labels[lab.Hash()];
        std::size_t idx = SIZE_MAX;
        for (std::size_t c : cands) {
          if (out.series[c].metric == lab) idx = c;
        }
        if (idx == SIZE_MAX) {
          idx = out.series.size();
          cands.push_back(idx);
          out.series.push_back(ev.NewSeries(std::move(lab)));
        }
        out.series[idx].drop_name = out.series[idx].drop_name || many[k].drop_name ||
                                    (drop && ev.delayed());
        it->second = idx;
      }
      StepSeries& dst = out.series[it->second];
      if (IsPresent(dst.v[i])) {
        ThrowExec("multiple matches for labels: grouping labels must ensure unique matches");
      }
      dst.v[i] = val;
    }
  }
  return out;
}

Value VectorScalar(Evaluator& ev, const BinaryExpr& b, Value vec, const Value& sc,
                   bool scalar_left) {
  const bool comparison = IsComparisonOp(b.op);
  const std::vector<double>& s = sc.series[0].v;
  for (StepSeries& ser : vec.series) {
    for (std::size_t i = 0; i < ser.v.size(); ++i) {
      double x = ser.v[i];
      if (IsAbsent(x)) continue;
      double lv = scalar_left ? s[i] : x;
      double rv = scalar_left ? x : s[i];
      if (comparison) {
        bool keep = Compare(b.op, lv, rv);
        ser.v[i] = b.return_bool ? (keep ? 1.0 : 0.0) : (keep ? x : kAbsent);
      } else {
        ser.v[i] = Arith(b.op, lv, rv);
      }
    }
    if (!comparison || b.return_bool) ev.DropName(ser);
  }
  if (comparison && !b.return_bool) Evaluator::RemoveEmpty(&vec.series);
  if (!ev.delayed()) Evaluator::MergeSameLabels(&vec.series);
  return vec;
}

}  // namespace

Value Evaluator::EvalBinary(const BinaryExpr& b) {
  Value l = Eval(*b.lhs);
  Value r = Eval(*b.rhs);
  if (b.op == BinaryOp::kTrimUpper || b.op == BinaryOp::kTrimLower) {
    ThrowExec("trim operators apply to native histograms, which are not supported");
  }
  if (l.type == ValueType::kScalar && r.type == ValueType::kScalar) {
    std::vector<double>& lv = l.series[0].v;
    const std::vector<double>& rv = r.series[0].v;
    for (std::size_t i = 0; i < lv.size(); ++i) {
      lv[i] = IsComparisonOp(b.op) ? (Compare(b.op, lv[i], rv[i]) ? 1.0 : 0.0)
                                   : Arith(b.op, lv[i], rv[i]);
    }
    return l;
  }
  if (l.type == ValueType::kVector && r.type == ValueType::kVector) {
    VectorMatching def;
    def.card = IsSetOp(b.op) ? Cardinality::kManyToMany : Cardinality::kOneToOne;
    const VectorMatching& m = b.matching ? *b.matching : def;
    if (IsSetOp(b.op)) return SetOp(*this, b.op, std::move(l), std::move(r), m);
    if (!b.matching) {
      BinaryExpr copy;
      copy.op = b.op;
      copy.return_bool = b.return_bool;
      copy.matching = def;
      return VectorVector(*this, copy, std::move(l), std::move(r));
    }
    return VectorVector(*this, b, std::move(l), std::move(r));
  }
  if (l.type == ValueType::kVector) return VectorScalar(*this, b, std::move(l), r, false);
  return VectorScalar(*this, b, std::move(r), l, true);
}

}  // namespace hw::promql
