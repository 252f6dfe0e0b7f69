// Matcher: one label condition of a series selector, `name op "value"` with op one of
// =, !=, =~, !~ (PromQL, Alertmanager).
//
// Semantics are Prometheus': a series without the label is matched as if its value were
// "" (so `foo=""` and `foo!="bar"` select series lacking foo). Regex matchers are RE2,
// fully anchored, with `.` matching newline — Prometheus' `^(?s:value)$`.
//
// Construction classifies the pattern once so that common shapes avoid the regex
// engine; each shortcut gives exactly the answer the regex would:
//   literal (`foo`, `a\.b`)          -> string equality
//   alternation of literals (`a|b`)  -> sorted-set lookup
//   `prefix.*` / `.*suffix` / `.*infix.*` -> starts_with / ends_with / find
//   `.*` -> everything; `.+` -> non-empty
// Everything else runs the compiled RE2. The regex is always compiled, so an invalid
// one is rejected by Make() with a message naming it.
//
// A Matcher is an immutable value, cheap to copy (the compiled regex is shared);
// Matches() may be called from any number of threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace re2 {
class RE2;
}

namespace hw::model {

enum class MatchType { kEqual, kNotEqual, kRegexMatch, kRegexNoMatch };

// "=", "!=", "=~", "!~".
std::string_view MatchTypeString(MatchType type);

class Matcher {
 public:
  // Fails with kBadData ("cannot compile matcher job=~\"(\": invalid regex ...") when a
  // regex matcher's value is not a valid RE2 regex.
  static Result<Matcher> Make(MatchType type, std::string_view name, std::string_view value);
  // Shorthands for = and !=, which cannot fail.
  static Matcher Equal(std::string_view name, std::string_view value);
  static Matcher NotEqual(std::string_view name, std::string_view value);

  MatchType type() const { return type_; }
  const std::string& name() const { return name_; }
  const std::string& value() const { return value_; }
  bool negated() const { return type_ == MatchType::kNotEqual || type_ == MatchType::kRegexNoMatch; }

  // Whether a label value s satisfies the matcher ("" stands for an absent label).
  bool Matches(std::string_view s) const { return PositiveMatches(s) != negated(); }
  bool MatchesEmpty() const { return positive_matches_empty_ != negated(); }  // cached

  // The same condition with the operator negated (= <-> !=, =~ <-> !~).
  Matcher Inverse() const;

  // For = and =~ matchers whose pattern is a literal or an alternation of literals:
  // the exact sorted set of values matched. nullptr otherwise (and for != and !~).
  const std::vector<std::string>* SetMatches() const;
  // True for =~".*" (matches every value); false when it cannot tell.
  bool MatchesEverything() const;

  // name="value" in PromQL syntax, e.g. job=~"api|web".
  std::string ToString() const;

  // How the positive pattern is evaluated; exposed for tests and index planning.
  enum class Kind { kSet, kPrefix, kSuffix, kContains, kAny, kNonEmpty, kRegex };
  Kind kind() const { return kind_; }

 private:
  Matcher() = default;
  bool PositiveMatches(std::string_view s) const;

  MatchType type_ = MatchType::kEqual;
  std::string name_;
  std::string value_;
  Kind kind_ = Kind::kSet;
  std::vector<std::string> set_;      // kSet: sorted, unique
  std::string literal_;               // kPrefix, kSuffix, kContains
  std::shared_ptr<const re2::RE2> re_;  // regex types only; immutable, shared
  bool positive_matches_empty_ = false;  // PositiveMatches(""), computed once
};

}  // namespace hw::model
