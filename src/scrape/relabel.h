// Relabeling: Prometheus' relabel_configs / metric_relabel_configs applied to a label
// set, action by action (replace, keep, drop, keepequal, dropequal, hashmod,
// labelmap, labeldrop, labelkeep, lowercase, uppercase), with Prometheus' semantics:
//   - the source value is the source labels' values joined by `separator` (a missing
//     label counts as "");
//   - `regex` is RE2, fully anchored: ^(?s:regex)$;
//   - `replacement` and a replace's `target_label` expand $1, ${1}, $name and ${name}
//     exactly as Go's regexp.Expand does ($$ is a literal $; a reference to a group
//     that did not match, or does not exist, expands to ""; `$1x` names group "1x");
//   - replace with a regex that does not match leaves the labels alone; an expanded
//     target that is not a valid label name skips the step; an empty result deletes
//     the target label;
//   - hashmod is the MD5 of the source value, its last 8 bytes big-endian, mod modulus.
//
// RelabelRules is immutable after Compile and safe to use from many threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/config.h"
#include "model/labels.h"

namespace re2 {
class RE2;
}

namespace hw::scrape {

// One compiled rule.
struct RelabelRule {
  config::RelabelConfig config;
  std::shared_ptr<const re2::RE2> regex;  // ^(?s:config.regex)$
};

class RelabelRules {
 public:
  RelabelRules() = default;
  // Compiles every rule; a bad regex is a kBadData error naming it.
  static Result<RelabelRules> Compile(const std::vector<config::RelabelConfig>& configs);

  bool empty() const { return rules_.empty(); }
  std::size_t size() const { return rules_.size(); }

  // Applies the rules in order to `labels`. Returns false when a keep/drop rule
  // dropped the set (then *out is left empty); true with the result otherwise.
  bool Process(const model::Labels& labels, model::Labels* out) const;

 private:
  std::vector<RelabelRule> rules_;
};

// Go's regexp.Expand: appends `tmpl` to *out with $-references replaced by the
// submatches of `re` in `src`. `groups` holds 1 + NumberOfCapturingGroups() pieces
// (data() null for a group that did not participate), as RE2::Match fills them.
void ExpandTemplate(const re2::RE2& re, std::string_view tmpl, const std::string_view* groups,
                    int ngroups, std::string* out);

// MD5 of `s`, the last 8 bytes read big-endian (Prometheus' sum64(md5.Sum(...))).
std::uint64_t HashModSum(std::string_view s);

}  // namespace hw::scrape
