// The PromQL function table: every function Prometheus 3.x knows, with its argument
// and return types, so the parser can type-check calls and the engine can dispatch.
//
// Arguments: position i has type arg_types[min(i, arg_types.size() - 1)], i.e. extra
// variadic arguments repeat the last listed type. A call must have between min_args
// and max_args arguments (max_args < 0: unbounded).
//
// Experimental functions (Prometheus' --enable-feature=promql-experimental-functions)
// are flagged so callers can refuse them unless enabled; `legacy` marks 2.x functions
// removed in 3.0 (holt_winters), accepted only for the 2.x compatibility mode.
//
// Thread-safety: the table is immutable after first use; lookups are safe from any
// thread.
#pragma once

#include <string_view>
#include <vector>

#include "promql/ast.h"

namespace hw::promql {

struct Function {
  std::string_view name;
  std::vector<ValueType> arg_types;
  int min_args = 0;
  int max_args = 0;  // < 0: unbounded
  ValueType return_type = ValueType::kVector;
  bool experimental = false;
  bool legacy = false;

  // The expected type of argument `i` (0-based).
  ValueType ArgType(int i) const {
    if (arg_types.empty()) return ValueType::kNone;
    return arg_types[static_cast<size_t>(i) < arg_types.size() ? i : arg_types.size() - 1];
  }
};

// The function called `name` (case-sensitive), or nullptr.
const Function* LookupFunction(std::string_view name);

// Every function, sorted by name.
const std::vector<Function>& AllFunctions();

}  // namespace hw::promql
