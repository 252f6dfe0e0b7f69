#include "rules/recording_rule.h"

#include <algorithm>

#include <fmt/format.h>

namespace hw::rules {

RecordingRule::RecordingRule(Rule spec, const LabelMap& group_labels)
    : spec_(std::move(spec)), labels_(group_labels) {
  for (const auto& [k, v] : spec_.labels) labels_[k] = v;
}

Result<Vector> RecordingRule::Eval(std::int64_t t_ms, const QueryFunc& query,
                                   std::int64_t limit, std::int64_t offset_ms) const {
  std::int64_t t = t_ms - offset_ms;
  Result<Vector> r = query(spec_.expr, t);
  if (!r.ok()) {
    return r.status().Wrap(fmt::format("cannot evaluate recording rule \"{}\"", spec_.name));
  }
  Vector out;
  out.reserve(r->size());
  for (const promql::VectorSample& s : *r) {
    model::LabelsBuilder b(s.metric);
    b.Set(model::kMetricName, spec_.name);
    for (const auto& [k, v] : labels_) b.Set(k, v);
    out.push_back({b.Build(), t, s.v});
  }
  std::vector<const model::Labels*> sorted;
  for (const auto& s : out) sorted.push_back(&s.metric);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return *a < *b; });
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    if (*sorted[i] == *sorted[i - 1]) {
      return Status::Execution(fmt::format(
          "cannot evaluate recording rule \"{}\": vector contains metrics with the same "
          "labelset after applying rule labels: {}",
          spec_.name, sorted[i]->ToString()));
    }
  }
  if (limit > 0 && static_cast<std::int64_t>(out.size()) > limit) {
    return Status::Execution(fmt::format(
        "cannot evaluate recording rule \"{}\": exceeded limit of {} with {} series",
        spec_.name, limit, out.size()));
  }
  return out;
}

}  // namespace hw::rules
