// Out-of-line destructors: the key functions that anchor each interface's vtable in
// one object file. Nothing else belongs here (interface.h holds interfaces only).
#include "storage/interface.h"

namespace hw::storage {

Appender::~Appender() = default;
Appendable::~Appendable() = default;
SampleIterator::~SampleIterator() = default;
Series::~Series() = default;
SeriesSet::~SeriesSet() = default;
Querier::~Querier() = default;
Queryable::~Queryable() = default;

}  // namespace hw::storage
