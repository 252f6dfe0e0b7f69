// Labels: the identity of a series — a set of name/value pairs sorted by name.
//
// A Labels value is immutable once built and cheap to copy: all copies share one
// intrusively reference-counted block, allocated once per set and laid out as
//   [refcount, count, hash | Label views × count | name value name value ... chars]
// with the views pointing into the chars of the same block, so a set costs one heap
// allocation and a copy costs one atomic increment. sizeof(Labels) is one pointer.
// Label names are unique; a label with an empty value is the same as no label
// (Prometheus semantics), so constructors and the builder drop empty values.
//
// Hash() is xxHash64 (seed 0) of that buffer, i.e. of name\xff value\xff for each label
// in order — the same function and bytes as Prometheus' labels.Labels.Hash(), stable
// across runs and hosts (see model/hash.h). It is computed once at construction.
//
// Ordering (operator<=>) is Prometheus' labels.Compare: pairwise by name, then by value,
// and a set that is a prefix of another sorts first.
//
// Thread-safety: a Labels is immutable, so concurrent reads of one value, and copies
// of it made and destroyed on different threads, are safe (the count is atomic; the
// last owner frees the block). Like any object, one Labels *variable* must not be
// assigned on one thread while another reads it. LabelsBuilder is not thread-safe.
//
// Limit: the reference count is 32 bits, so one set may have at most 2^32 - 1 live
// copies (32 GiB of Labels objects alone).
#pragma once

#include <atomic>
#include <compare>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hw::model {

// The label that holds the metric name.
inline constexpr std::string_view kMetricName = "__name__";

// A view of one pair inside a Labels; valid while that Labels (or a copy) lives.
struct Label {
  std::string_view name;
  std::string_view value;
  bool operator==(const Label&) const = default;
};

class Labels {
 public:
  using const_iterator = const Label*;

  Labels() = default;  // the empty set
  Labels(const Labels& o) noexcept : rep_(o.rep_) { Ref(); }
  Labels(Labels&& o) noexcept : rep_(std::exchange(o.rep_, nullptr)) {}
  Labels& operator=(const Labels& o) noexcept {
    Labels(o).swap(*this);
    return *this;
  }
  Labels& operator=(Labels&& o) noexcept {
    Labels(std::move(o)).swap(*this);
    return *this;
  }
  ~Labels() { Unref(); }
  void swap(Labels& o) noexcept { std::swap(rep_, o.rep_); }

  // From pairs in any order. A name given twice keeps its last value; pairs with an
  // empty value are dropped.
  static Labels FromPairs(std::vector<std::pair<std::string_view, std::string_view>> pairs);
  static Labels FromPairs(
      std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
    return FromPairs(std::vector<std::pair<std::string_view, std::string_view>>(pairs));
  }

  std::size_t size() const { return rep_ ? rep_->count : 0; }
  bool empty() const { return rep_ == nullptr; }
  const_iterator begin() const { return rep_ ? rep_->labels() : nullptr; }
  const_iterator end() const { return rep_ ? rep_->labels() + rep_->count : nullptr; }
  const Label& operator[](std::size_t i) const { return rep_->labels()[i]; }

  // The value of `name`, or "" when absent.
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const;
  // Get(kMetricName).
  std::string_view MetricName() const { return Get(kMetricName); }

  // Stable xxHash64 of the set (see the file comment). Empty set: 0xef46db3751d8e999.
  std::uint64_t Hash() const;

  // For writers that hold labels as pairs (remote write, scrape): the Hash() the set
  // would have, and whether this set equals it, without building a Labels. `pairs`
  // must be in canonical form: sorted by name, names unique, no empty values
  // (IsCanonical checks).
  static std::uint64_t HashPairs(std::span<const std::pair<std::string_view, std::string_view>> pairs);
  static bool IsCanonical(std::span<const std::pair<std::string_view, std::string_view>> pairs);
  bool EqualsPairs(std::span<const std::pair<std::string_view, std::string_view>> pairs) const;

  // Prometheus' Labels.String(): {__name__="up", job="api"} with Go-quoted values.
  std::string ToString() const;
  // The form PromQL prints: up{job="api"}; {job="api"} when there is no name; names
  // that are not valid legacy names are quoted: {"my.metric", "a.b"="c"}.
  std::string ToSeriesString() const;

  friend bool operator==(const Labels& a, const Labels& b);
  friend std::strong_ordering operator<=>(const Labels& a, const Labels& b);

 private:
  friend class LabelsBuilder;
  // The block header; `count` Labels follow it, then their characters. Never empty:
  // the empty set is a null rep_.
  struct Rep {
    std::atomic<std::uint32_t> refs;
    std::uint32_t count;
    std::uint64_t hash;
    const Label* labels() const { return reinterpret_cast<const Label*>(this + 1); }
  };
  static_assert(sizeof(Rep) % alignof(Label) == 0);

  void Ref() const noexcept {
    if (rep_) rep_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  void Unref() noexcept {
    if (rep_ && rep_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) Free(rep_);
  }
  static void Free(Rep* rep) noexcept;

  // `pairs` must be sorted by name, unique, with no empty values.
  static Labels FromSortedUnique(
      const std::vector<std::pair<std::string_view, std::string_view>>& pairs);

  Rep* rep_ = nullptr;  // null for the empty set
};

// Builds a Labels from a base set by setting and deleting labels. Not thread-safe.
class LabelsBuilder {
 public:
  explicit LabelsBuilder(const Labels& base = Labels()) { Reset(base); }

  void Reset(const Labels& base);
  // Sets name to value; an empty value deletes the label.
  LabelsBuilder& Set(std::string_view name, std::string_view value);
  LabelsBuilder& Del(std::string_view name);
  // The current value of name, or "".
  std::string_view Get(std::string_view name) const;
  Labels Build() const;

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;  // sorted by name, unique
};

// Legacy (pre-UTF-8) Prometheus names: label names [a-zA-Z_][a-zA-Z0-9_]*, metric
// names [a-zA-Z_:][a-zA-Z0-9_:]*. Names starting with "__" are reserved for internal
// use but are valid here (the caller decides whether to accept them).
bool IsValidLabelName(std::string_view name);
bool IsValidMetricName(std::string_view name);

// Appends s to out as a double-quoted string the way Go's strconv.Quote does: \\, \",
// \a \b \f \n \r \t \v, other control bytes and invalid UTF-8 bytes as \xHH; valid
// UTF-8 sequences are kept as they are.
void AppendQuoted(std::string* out, std::string_view s);

}  // namespace hw::model
