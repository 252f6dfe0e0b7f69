// One-line canonical printing of ASTs (see printer.h).
#include "promql/printer.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "model/labels.h"
#include "promql/functions.h"
#include "promql/str_cat.h"

namespace hw::promql {
namespace {

std::string Quote(std::string_view s) {
  std::string out;
  model::AppendQuoted(&out, s);
  return out;
}

std::string JoinLabels(const std::vector<std::string>& labels) {
  std::string out;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ", ";
    out += FormatLabelName(labels[i]);
  }
  return out;
}

std::string FormatMatcher(const model::Matcher& m) {
  if (m.name() == model::kMetricName && m.type() == model::MatchType::kEqual &&
      !model::IsValidMetricName(m.value())) {
    return Quote(m.value());  // {"my.metric"}
  }
  return StrCat(FormatLabelName(m.name()), model::MatchTypeString(m.type()), Quote(m.value()));
}

std::string FormatAt(const AtModifier& at) {
  switch (at.kind) {
    case AtModifier::Kind::kTimestamp:
      return fmt::format(" @ {:.3f}", static_cast<double>(at.timestamp_ms) / 1000.0);
    case AtModifier::Kind::kStart:
      return " @ start()";
    case AtModifier::Kind::kEnd:
      return " @ end()";
    case AtModifier::Kind::kNone:
      break;
  }
  return "";
}

std::string FormatOffset(Duration offset, const ExprPtr& offset_expr) {
  if (offset_expr) return StrCat(" offset ", Format(*offset_expr));
  if (offset.count() == 0) return "";
  return StrCat(" offset ", FormatDuration(offset));
}

std::string FormatDurationPart(Duration d, const ExprPtr& expr) {
  return expr ? Format(*expr) : FormatDuration(d);
}

std::string FormatSelector(const VectorSelector& vs, const std::string& range_part) {
  std::string out = vs.name;
  std::vector<std::string> parts;
  for (size_t i = 0; i < vs.matchers.size(); ++i) {
    const model::Matcher& m = vs.matchers[i];
    bool is_name = !vs.name.empty() && i + 1 == vs.matchers.size() &&
                   m.name() == model::kMetricName && m.value() == vs.name;
    if (!is_name) parts.push_back(FormatMatcher(m));
  }
  if (!parts.empty() || vs.name.empty()) out += fmt::format("{{{}}}", fmt::join(parts, ", "));
  out += range_part;
  out += FormatAt(vs.at);
  out += FormatOffset(vs.offset, vs.offset_expr);
  if (vs.anchored) out += " anchored";
  if (vs.smoothed) out += " smoothed";
  return out;
}

std::string FormatBinaryModifiers(const BinaryExpr& b) {
  std::string out;
  if (b.return_bool) out += " bool";
  if (!b.matching) return out;
  const VectorMatching& vm = *b.matching;
  bool grouped = vm.card == Cardinality::kManyToOne || vm.card == Cardinality::kOneToMany;
  if (vm.on || !vm.matching_labels.empty() || grouped) {
    out += fmt::format(" {} ({})", vm.on ? "on" : "ignoring", JoinLabels(vm.matching_labels));
    if (grouped) {
      out += vm.card == Cardinality::kManyToOne ? " group_left" : " group_right";
      // An empty list is printed when the right operand itself starts with '('.
      if (!vm.include.empty() || b.rhs->kind == ExprKind::kParen) {
        out += StrCat(" (", JoinLabels(vm.include), ")");
      }
    }
  }
  auto same = [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); };
  if (vm.fill_left && vm.fill_right && same(*vm.fill_left, *vm.fill_right)) {
    out += StrCat(" fill(", FormatNumber(*vm.fill_left), ")");
  } else {
    if (vm.fill_left) out += StrCat(" fill_left(", FormatNumber(*vm.fill_left), ")");
    if (vm.fill_right) out += StrCat(" fill_right(", FormatNumber(*vm.fill_right), ")");
  }
  return out;
}

}  // namespace

std::string FormatLabelName(std::string_view name) {
  return model::IsValidLabelName(name) ? std::string(name) : Quote(name);
}

std::string FormatNumber(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  // Shortest round-trip digits, then Go's %v layout: %e when exp < -4 || exp >= 6.
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string sci(buf, r.ptr);
  size_t e = sci.find('e');
  int exp = std::atoi(sci.c_str() + e + 1);
  std::string mantissa = sci.substr(0, e);
  bool negative = mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits.push_back(c);
  }
  std::string out = negative ? "-" : "";
  if (exp < -4 || exp >= 6) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += StrCat(".", digits.substr(1));
    out += fmt::format("e{}{:02d}", exp < 0 ? '-' : '+', std::abs(exp));
  } else if (exp < 0) {
    out += StrCat("0.", std::string(static_cast<size_t>(-exp - 1), '0'), digits);
  } else if (static_cast<size_t>(exp) + 1 >= digits.size()) {
    out += digits + std::string(static_cast<size_t>(exp) + 1 - digits.size(), '0');
  } else {
    out += StrCat(digits.substr(0, exp + 1), ".", digits.substr(exp + 1));
  }
  return out;
}

std::string Format(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kNumberLiteral: {
      auto& n = *e.As<NumberLiteral>();
      // Duration literals hold ms / 1000.0, which need not be exact in binary.
      double ms = std::round(n.value * 1000.0);
      if (n.is_duration && std::fabs(ms) < 9e18 && ms / 1000.0 == n.value) {
        return FormatDuration(Duration(static_cast<int64_t>(ms)));
      }
      // Unsigned, unlike Go's "+Inf": `+Inf ^ 2` would re-parse as +(Inf ^ 2).
      if (std::isinf(n.value) && n.value > 0) return "Inf";
      return FormatNumber(n.value);
    }
    case ExprKind::kStringLiteral:
      return Quote(e.As<StringLiteral>()->value);
    case ExprKind::kVectorSelector:
      return FormatSelector(*e.As<VectorSelector>(), "");
    case ExprKind::kMatrixSelector: {
      auto& m = *e.As<MatrixSelector>();
      return FormatSelector(*m.selector,
                            StrCat("[", FormatDurationPart(m.range, m.range_expr), "]"));
    }
    case ExprKind::kSubquery: {
      auto& s = *e.As<SubqueryExpr>();
      std::string step =
          s.step_expr || s.step.count() != 0 ? FormatDurationPart(s.step, s.step_expr) : "";
      return StrCat(Format(*s.expr), "[", FormatDurationPart(s.range, s.range_expr), ":", step, "]",
                    FormatAt(s.at), FormatOffset(s.offset, s.offset_expr));
    }
    case ExprKind::kCall: {
      auto& c = *e.As<Call>();
      std::vector<std::string> args;
      for (const ExprPtr& a : c.args) args.push_back(Format(*a));
      return fmt::format("{}({})", c.func->name, fmt::join(args, ", "));
    }
    case ExprKind::kAggregate: {
      auto& a = *e.As<AggregateExpr>();
      std::string out(AggregateOpName(a.op));
      if (a.without) {
        out += StrCat(" without (", JoinLabels(a.grouping), ") ");
      } else if (!a.grouping.empty()) {
        out += StrCat(" by (", JoinLabels(a.grouping), ") ");
      }
      out += "(";
      if (a.param) out += StrCat(Format(*a.param), ", ");
      return StrCat(out, Format(*a.expr), ")");
    }
    case ExprKind::kBinary: {
      auto& b = *e.As<BinaryExpr>();
      return StrCat(Format(*b.lhs), " ", BinaryOpString(b.op), FormatBinaryModifiers(b), " ",
                    Format(*b.rhs));
    }
    case ExprKind::kUnary: {
      auto& u = *e.As<UnaryExpr>();
      return StrCat(u.op == UnaryOp::kNeg ? "-" : "+", Format(*u.expr));
    }
    case ExprKind::kParen:
      return StrCat("(", Format(*e.As<ParenExpr>()->expr), ")");
  }
  return "";
}

std::string BinaryOperatorText(const BinaryExpr& b) {
  return StrCat(BinaryOpString(b.op), FormatBinaryModifiers(b));
}

}  // namespace hw::promql
