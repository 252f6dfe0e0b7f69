// The values a PromQL query returns: a scalar, a string, an instant vector (one
// sample per series at the evaluation time) or a matrix (points per series, from a
// range query or an instant query whose expression is a range vector).
//
// Plain values: copyable, movable, not synchronised.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/labels.h"
#include "promql/ast.h"

namespace hw::promql {

struct Point {
  std::int64_t t = 0;  // milliseconds
  double v = 0;
};

// One element of an instant vector.
struct VectorSample {
  model::Labels metric;
  std::int64_t t = 0;
  double v = 0;
};

// One series of a matrix; points in increasing time order.
struct MatrixSeries {
  model::Labels metric;
  std::vector<Point> points;
};

// What a query evaluated to. `type` says which field holds the data:
//   kScalar -> scalar (at scalar_t), kString -> str, kVector -> vector,
//   kMatrix -> matrix (sorted by labels).
struct QueryValue {
  ValueType type = ValueType::kNone;
  double scalar = 0;
  std::int64_t scalar_t = 0;
  std::string str;
  std::vector<VectorSample> vector;
  std::vector<MatrixSeries> matrix;
};

}  // namespace hw::promql
