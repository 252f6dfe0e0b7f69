// PostingsIndex: the head's inverted index. It maps each series reference to its
// labels and each (label name, value) pair to the sorted list of series carrying it,
// and resolves a selector's matchers to the series they select.
//
// Matcher semantics are Prometheus' (PostingsForMatchers): a series lacking a label is
// treated as having it set to "", so a matcher that matches the empty string
// (`foo=""`, `foo!="bar"`, `foo=~"x|"`, `foo=~".*"`) also selects series without foo.
// A selector made only of such matchers resolves against every series; rejecting it
// (PromQL's "vector selector must contain at least one non-empty matcher") is the
// caller's job.
//
// Thread-safety: thread-safe. One std::shared_mutex guards everything: Add and Remove
// take it exclusively, readers shared, and every read returns a copy, so results stay
// valid (as a snapshot) after the call. ForMatchers holds the shared lock for the
// whole resolution, so it sees one consistent state; regex matchers run under it.
// Labels of the head arrive at series creation only (not per sample), so a single
// lock is not on the sample path.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/labels.h"
#include "model/matcher.h"
#include "tsdb/postings.h"

namespace hw::tsdb {

class PostingsIndex {
 public:
  PostingsIndex() = default;
  PostingsIndex(const PostingsIndex&) = delete;
  PostingsIndex& operator=(const PostingsIndex&) = delete;

  // Indexes a series. False (and no change) if ref is already indexed. The caller
  // guarantees that refs are unique per labelset (the head's series map does this).
  bool Add(SeriesRef ref, const model::Labels& labels);
  // Forgets a series; false if it was not indexed. O(number of series) for the
  // all-series list: to forget many, use the batch form.
  bool Remove(SeriesRef ref);
  // Forgets every series in `refs` (any order; unknown refs are skipped) in one pass
  // over the all-series list and over each postings list they appear in, so a batch
  // costs about as much as one Remove. Returns how many were indexed.
  std::size_t Remove(std::vector<SeriesRef> refs);

  std::size_t NumSeries() const;
  std::optional<model::Labels> SeriesLabels(SeriesRef ref) const;

  // Series with label name=value (value non-empty).
  Postings Get(std::string_view name, std::string_view value) const;
  // Every indexed series.
  Postings All() const;
  // The series selected by all of `matchers` (their intersection); see the file
  // comment for empty-value semantics. No matchers select every series.
  Postings ForMatchers(const std::vector<model::Matcher>& matchers) const;

  // Sorted label names / values of name over all series.
  std::vector<std::string> LabelNames() const;
  std::vector<std::string> LabelValues(std::string_view name) const;
  // The same, restricted to the given series (e.g. the result of ForMatchers).
  std::vector<std::string> LabelNamesFor(const Postings& refs) const;
  std::vector<std::string> LabelValuesFor(std::string_view name, const Postings& refs) const;

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

  // The sorted refs of one label value, in 16 bytes, the first ref inline: most values
  // of a high-cardinality label (ids, pods) belong to one series, and a one-element
  // std::vector costs 24 bytes plus a 32-byte heap block. At most 2^32 - 1 refs.
  class ValueRefs {
   public:
    ValueRefs() = default;
    ValueRefs(ValueRefs&& o) noexcept;
    ValueRefs& operator=(ValueRefs&& o) noexcept;
    ~ValueRefs();

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const SeriesRef* begin() const { return cap_ > 1 ? heap_ : &one_; }
    const SeriesRef* end() const { return begin() + size_; }
    SeriesRef front() const { return *begin(); }
    Postings ToPostings() const { return Postings(begin(), end()); }
    // Inserts ref in order (amortised O(1) at the end); false if present.
    bool Insert(SeriesRef ref);
    // Removes the refs in `sorted` (ascending); shrinks when mostly empty.
    void Subtract(const Postings& sorted);

   private:
    void Free();  // back to empty and inline
    void Assign(const SeriesRef* first, std::size_t n);

    union {
      SeriesRef one_ = 0;  // when cap_ == 1
      SeriesRef* heap_;    // when cap_ > 1
    };
    std::uint32_t size_ = 0;
    std::uint32_t cap_ = 1;
  };
  // value -> refs, per label name. A key is a view into the labels of a series in its
  // list (kept true on removal by re-pointing it), so a value's characters are stored
  // once, in the Labels blocks the head holds anyway.
  using ValueMap = std::unordered_map<std::string_view, ValueRefs, StringHash, std::equal_to<>>;

  // The union of the postings of m.name()'s values that m matches. Requires mu_ held.
  Postings ForMatcherLocked(const model::Matcher& m) const;

  // The position of ref in all_, or all_.size() when absent. Requires mu_ held.
  std::size_t FindLocked(SeriesRef ref) const;

  mutable std::shared_mutex mu_;
  StringMap<ValueMap> postings_;  // guarded by mu_: name -> value -> refs
  // Every indexed series, ascending, and beside it its labels (labels_[i] belongs to
  // all_[i]): a copy of a Labels is one pointer to the shared block, so this costs 16
  // bytes a series where a ref -> labels hash map cost ~56.
  Postings all_;                       // guarded by mu_
  std::vector<model::Labels> labels_;  // guarded by mu_
};

}  // namespace hw::tsdb
