// Out-of-line destructors: the key functions that anchor each interface's vtable in
// one object file. Nothing else belongs here (interface.h holds interfaces only).
#include "storage/interface.h"

namespace hw::storage {

Appender::~Appender() = default;

Result<SeriesRef> Appender::AppendPairs(
    std::span<const std::pair<std::string_view, std::string_view>> pairs, std::int64_t t,
    double v) {
  return Append(model::Labels::FromPairs({pairs.begin(), pairs.end()}), t, v);
}
Appendable::~Appendable() = default;
SampleIterator::~SampleIterator() = default;
Series::~Series() = default;
SeriesSet::~SeriesSet() = default;
Querier::~Querier() = default;
Queryable::~Queryable() = default;

}  // namespace hw::storage
