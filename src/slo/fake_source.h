// A QuerySource for tests: answers from tables keyed by the exact PromQL text.
#pragma once

#include <map>
#include <string>
#include <tuple>

#include "slo/budget.h"

namespace hw::slo {

class FakeSource : public QuerySource {
 public:
  // Instant queries: (expr, t) -> value; any t when t is -1.
  std::map<std::pair<std::string, std::int64_t>, double> instant;
  // Range queries: expr -> points (the request's bounds must contain them).
  std::map<std::string, std::vector<std::pair<std::int64_t, double>>> range;
  mutable std::vector<std::string> asked;

  Result<std::optional<double>> Instant(const std::string& expr, std::int64_t t) const override {
    asked.push_back(expr);
    for (std::int64_t key : {t, std::int64_t{-1}}) {
      auto it = instant.find({expr, key});
      if (it != instant.end()) return std::optional<double>(it->second);
    }
    return std::optional<double>();
  }
  Result<std::vector<std::pair<std::int64_t, double>>> Range(const std::string& expr,
                                                             std::int64_t start, std::int64_t end,
                                                             std::int64_t step) const override {
    asked.push_back(expr);
    std::vector<std::pair<std::int64_t, double>> out;
    auto it = range.find(expr);
    if (it == range.end()) return out;
    for (const auto& p : it->second) {
      if (p.first >= start && p.first <= end && (p.first - start) % step == 0) out.push_back(p);
    }
    return out;
  }
};

}  // namespace hw::slo
