// Postings lists: sorted, duplicate-free lists of series references, and the set
// algebra the index uses to answer selectors.
//
// A list is a plain std::vector kept in ascending order; every function here takes
// lists that satisfy that and returns one that does. Pure functions; thread-safe.
#pragma once

#include <vector>

#include "storage/interface.h"

namespace hw::tsdb {

using storage::SeriesRef;
using Postings = std::vector<SeriesRef>;

// a ∩ b. Gallops (binary search) through the larger list when sizes differ a lot.
Postings Intersect(const Postings& a, const Postings& b);
// The intersection of all lists, smallest first; empty input gives an empty list.
Postings IntersectAll(std::vector<Postings> lists);
// a ∪ b.
Postings Union(const Postings& a, const Postings& b);
// The union of all lists.
Postings UnionAll(const std::vector<Postings>& lists);
// a \ b: the elements of a not in b.
Postings Subtract(const Postings& a, const Postings& b);

// Inserts ref keeping the list sorted (amortised O(1) when refs arrive in increasing
// order, as new series' references do). Returns false if ref was already present.
bool InsertSorted(Postings* list, SeriesRef ref);
// Removes ref; returns false if it was absent.
bool EraseSorted(Postings* list, SeriesRef ref);

}  // namespace hw::tsdb
