// Element-wise arithmetic and comparison with PromQL's (Go's) float semantics.
// Internal to src/promql. Pure functions.
#pragma once

#include <cmath>

#include "promql/ast.h"

namespace hw::promql {

inline double Arith(BinaryOp op, double l, double r) {
  switch (op) {
    case BinaryOp::kAdd: return l + r;
    case BinaryOp::kSub: return l - r;
    case BinaryOp::kMul: return l * r;
    case BinaryOp::kDiv: return l / r;
    case BinaryOp::kMod: return std::fmod(l, r);
    case BinaryOp::kPow: return std::pow(l, r);
    case BinaryOp::kAtan2: return std::atan2(l, r);
    default: return std::nan("");
  }
}

inline bool Compare(BinaryOp op, double l, double r) {
  switch (op) {
    case BinaryOp::kEql: return l == r;
    case BinaryOp::kNeq: return l != r;
    case BinaryOp::kLte: return l <= r;
    case BinaryOp::kLss: return l < r;
    case BinaryOp::kGte: return l >= r;
    case BinaryOp::kGtr: return l > r;
    default: return false;
  }
}

}  // namespace hw::promql
