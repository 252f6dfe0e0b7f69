// Lint hints and parse-error suggestions (see parse_hints.h).
#include "promql/parse_hints.h"

#include <fmt/format.h>

#include "model/labels.h"
#include "promql/functions.h"
#include "promql/printer.h"
#include "promql/str_cat.h"

namespace hw::promql {
namespace {

constexpr std::string_view kBucketSuffix = "_bucket";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The metric name a selector selects by equality, or "".
std::string SelectorName(const VectorSelector& vs) {
  if (!vs.name.empty()) return vs.name;
  for (const model::Matcher& m : vs.matchers) {
    if (m.name() == model::kMetricName && m.type() == model::MatchType::kEqual) return m.value();
  }
  return "";
}

// `rate(<name>_bucket{...}[5m])` for a selector of a histogram's base or bucket name.
std::string RateOfBuckets(const VectorSelector& vs) {
  auto copy = Clone(vs);
  auto* sel = copy->As<VectorSelector>();
  std::string name = SelectorName(vs);
  std::string bucket = EndsWith(name, kBucketSuffix) ? name : name + std::string(kBucketSuffix);
  sel->at = AtModifier{};
  sel->offset = Duration(0);
  sel->offset_expr.reset();
  for (model::Matcher& m : sel->matchers) {
    if (m.name() == model::kMetricName && m.value() == name) {
      m = model::Matcher::Equal(model::kMetricName, bucket);
    }
  }
  if (!sel->name.empty()) sel->name = bucket;
  return StrCat("rate(", Format(*sel), "[5m])");
}

std::string JoinNames(const std::vector<std::string>& labels) {
  std::vector<std::string> out;
  for (const std::string& l : labels) out.push_back(FormatLabelName(l));
  return fmt::format("{}", fmt::join(out, ", "));
}

bool IsRateLike(const Expr& e) {
  auto* c = e.As<Call>();
  if (c == nullptr) return false;
  std::string_view n = c->func->name;
  return n == "rate" || n == "irate" || n == "increase" || n == "delta" || n == "idelta";
}

// The metric whose label set an unaggregated expression keeps, or "".
std::string LabelSetSource(const Expr& e) {
  if (auto* vs = e.As<VectorSelector>()) return SelectorName(*vs);
  if (auto* ms = e.As<MatrixSelector>()) return SelectorName(*ms->selector);
  if (auto* p = e.As<ParenExpr>()) return LabelSetSource(*p->expr);
  if (auto* s = e.As<SubqueryExpr>()) return LabelSetSource(*s->expr);
  if (auto* c = e.As<Call>()) {
    for (const ExprPtr& a : c->args) {
      if (a->type() == ValueType::kVector || a->type() == ValueType::kMatrix) {
        return LabelSetSource(*a);
      }
    }
  }
  return "";
}

void HistogramQuantileHints(const Call& c, std::vector<std::string>* out) {
  if (c.args.size() != 2) return;
  std::string phi = Format(*c.args[0]);
  const Expr& arg = *c.args[1];
  if (auto* vs = arg.As<VectorSelector>()) {
    std::string name = SelectorName(*vs);
    if (name.empty()) return;
    std::string fix =
        fmt::format("histogram_quantile({}, sum by (le) ({}))", phi, RateOfBuckets(*vs));
    if (!EndsWith(name, kBucketSuffix)) {
      out->push_back(
          fmt::format("histogram_quantile over {}, which is not a _bucket series: "
                      "did you mean {}?",
                      name, fix));
    } else {
      out->push_back(
          fmt::format("histogram_quantile over the raw counters of {} gives the "
                      "distribution since the series started: did you mean {}?",
                      name, fix));
    }
    return;
  }
  auto* agg = arg.As<AggregateExpr>();
  if (agg == nullptr || agg->param) return;
  bool has_le = false;
  for (const std::string& l : agg->grouping) has_le = has_le || l == "le";
  if (agg->without ? !has_le : has_le) return;
  std::vector<std::string> fixed = agg->grouping;
  if (agg->without) {
    std::erase(fixed, std::string("le"));
  } else {
    fixed.push_back("le");
  }
  std::string clause = fmt::format("{} ({})", agg->without ? "without" : "by", JoinNames(fixed));
  out->push_back(
      fmt::format("histogram_quantile needs the le label, but {} drops it: did you mean "
                  "histogram_quantile({}, {} {} ({}))?",
                  Format(arg), phi, AggregateOpName(agg->op), clause, Format(*agg->expr)));
}

void RatioHint(const BinaryExpr& b, std::vector<std::string>* out) {
  if (b.op != BinaryOp::kDiv || !b.matching) return;
  const VectorMatching& vm = *b.matching;
  if (vm.card != Cardinality::kOneToOne || vm.on || !vm.matching_labels.empty()) return;
  std::string l = LabelSetSource(*b.lhs), r = LabelSetSource(*b.rhs);
  if (l.empty() || r.empty() || l == r) return;
  bool counters =
      IsRateLike(*b.lhs) || IsRateLike(*b.rhs) || EndsWith(l, "_total") || EndsWith(r, "_total");
  if (!counters) return;
  out->push_back(fmt::format(
      "{} / {}: a one-to-one division between different metrics ({} and {}) without "
      "aggregation or on()/ignoring() matches only series with identical label sets; did you "
      "mean sum({}) / sum({}), or sum by (...) with the same labels on both sides?",
      Format(*b.lhs), Format(*b.rhs), l, r, Format(*b.lhs), Format(*b.rhs)));
}

}  // namespace

std::vector<std::string> LintHints(const Expr& e) {
  std::vector<std::string> out;
  Walk(e, [&out](const Expr& n) {
    if (auto* c = n.As<Call>(); c != nullptr && c->func->name == "histogram_quantile") {
      HistogramQuantileHints(*c, &out);
    } else if (auto* b = n.As<BinaryExpr>()) {
      RatioHint(*b, &out);
    }
  });
  return out;
}

std::string MisplacedGroupingHint(const Expr& operand, bool without,
                                  const std::vector<std::string>& labels) {
  std::string clause = fmt::format("{} ({})", without ? "without" : "by", JoinNames(labels));
  std::string suggestion;
  auto* c = operand.As<Call>();
  if (c != nullptr && c->func->name == "histogram_quantile" && c->args.size() == 2) {
    const Expr* inner = c->args[1].get();
    if (auto* agg = inner->As<AggregateExpr>()) inner = agg->expr.get();
    std::string inner_text = inner->As<VectorSelector>() != nullptr
                                 ? RateOfBuckets(*inner->As<VectorSelector>())
                                 : Format(*inner);
    std::vector<std::string> group = labels;
    if (!without && std::find(group.begin(), group.end(), "le") == group.end()) {
      group.push_back("le");
    }
    std::erase_if(group, [without](const std::string& l) { return without && l == "le"; });
    suggestion = fmt::format("histogram_quantile({}, sum {} ({}) ({}))", Format(*c->args[0]),
                             without ? "without" : "by", JoinNames(group), inner_text);
  } else {
    suggestion = fmt::format("sum {} ({})", clause, Format(operand));
  }
  return fmt::format("{} can only follow an aggregation; did you mean {}?", clause, suggestion);
}

}  // namespace hw::promql
