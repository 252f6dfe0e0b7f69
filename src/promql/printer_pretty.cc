// Multi-line printing (Prettify): a lighter version of Prometheus' prettier. A node that
// fits in the width at its indentation is printed on one line; otherwise aggregations,
// calls and parentheses put their contents on indented lines and binary expressions
// put each operand and the operator on lines of their own.
#include <fmt/format.h>

#include "promql/functions.h"
#include "promql/printer.h"
#include "promql/str_cat.h"

namespace hw::promql {
namespace {

constexpr int kIndentWidth = 2;

class Prettifier {
 public:
  explicit Prettifier(int max_width) : max_width_(max_width) {}

  std::string Print(const Expr& e, int depth) {
    std::string pad(static_cast<size_t>(depth * kIndentWidth), ' ');
    std::string flat = Format(e);
    if (static_cast<int>(pad.size() + flat.size()) <= max_width_) return StrCat(pad, flat);
    switch (e.kind) {
      case ExprKind::kAggregate: {
        auto& a = *e.As<AggregateExpr>();
        std::string head(AggregateOpName(a.op));
        std::string labels;
        for (size_t i = 0; i < a.grouping.size(); ++i) {
          labels += StrCat(i > 0 ? ", " : "", FormatLabelName(a.grouping[i]));
        }
        if (a.without) {
          head += StrCat(" without (", labels, ") ");
        } else if (!a.grouping.empty()) {
          head += StrCat(" by (", labels, ") ");
        }
        std::string out = StrCat(pad, head, "(\n");
        if (a.param) out += StrCat(Print(*a.param, depth + 1), ",\n");
        return StrCat(out, Print(*a.expr, depth + 1), "\n", pad, ")");
      }
      case ExprKind::kCall: {
        auto& c = *e.As<Call>();
        std::string out = StrCat(pad, c.func->name, "(\n");
        for (size_t i = 0; i < c.args.size(); ++i) {
          out += StrCat(Print(*c.args[i], depth + 1), i + 1 < c.args.size() ? ",\n" : "\n");
        }
        return StrCat(out, pad, ")");
      }
      case ExprKind::kParen:
        return StrCat(pad, "(\n", Print(*e.As<ParenExpr>()->expr, depth + 1), "\n", pad, ")");
      case ExprKind::kBinary: {
        auto& b = *e.As<BinaryExpr>();
        return StrCat(Print(*b.lhs, depth), "\n", pad, BinaryOperatorText(b), "\n",
                      Print(*b.rhs, depth));
      }
      case ExprKind::kUnary: {
        auto& u = *e.As<UnaryExpr>();
        std::string inner = Print(*u.expr, depth);
        return StrCat(pad, u.op == UnaryOp::kNeg ? "-" : "+", inner.substr(pad.size()));
      }
      case ExprKind::kSubquery: {
        // The inner expression pretty-printed, the brackets and modifiers after it.
        auto& s = *e.As<SubqueryExpr>();
        std::string inner_flat = Format(*s.expr);
        std::string suffix = flat.substr(inner_flat.size());
        return StrCat(Print(*s.expr, depth), suffix);
      }
      default:
        return StrCat(pad, flat);
    }
  }

 private:
  int max_width_;
};

}  // namespace

std::string Prettify(const Expr& e, int max_width) { return Prettifier(max_width).Print(e, 0); }

}  // namespace hw::promql
