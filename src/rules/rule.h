// What alerting and recording rules share: the query function they evaluate through
// and the samples they produce. Rules never see the engine, the storage or the
// notifier types (docs/STYLE.md, "Rules take a query function"); src/server wires
// concrete ones in.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "promql/value.h"

namespace hw::rules {

using Vector = std::vector<promql::VectorSample>;

// Evaluates `expr` as an instant query at t_ms. A scalar result should be returned as
// one sample with no labels.
using QueryFunc = std::function<Result<Vector>(std::string_view expr, std::int64_t t_ms)>;

// Context every rule of a group shares.
struct RuleContext {
  std::map<std::string, std::string> external_labels;  // $externalLabels
  std::string external_url;                            // $externalURL
};

}  // namespace hw::rules
