// The parsed form of a PromQL test script (internal to the runner).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/labels.h"

namespace hw::promql::testdsl {

// One value slot of a series line: a number, a stale marker, or missing (`_`).
struct Slot {
  enum class Kind { kValue, kStale, kMissing };
  Kind kind = Kind::kValue;
  double v = 0;
};

struct SeriesLine {
  model::Labels labels;
  std::vector<Slot> slots;
  bool histogram = false;  // uses {{...}} literals
};

struct LoadCmd {
  std::int64_t interval_ms = 0;
  bool with_nhcb = false;
  std::vector<SeriesLine> series;
  std::vector<model::Labels> st_series;  // series with @st start-timestamp lines
};

struct Expectation {
  std::string kind;   // fail, warn, info, no_warn, no_info, ordered
  std::string match;  // "", "msg", "regex"
  std::string text;
};

struct EvalCmd {
  int line = 0;
  bool range = false;
  std::int64_t at = 0, start = 0, end = 0, step = 0;
  std::string query;
  bool fail = false, ordered = false, want_warn = false, want_info = false;
  std::vector<Expectation> expects;
  std::optional<double> scalar;
  std::optional<std::string> str;
  bool range_vector = false;  // `expect range vector`
  std::int64_t rv_start = 0, rv_end = 0, rv_step = 0;
  std::vector<SeriesLine> series;
  bool uses_histogram_literal = false;
  std::string parse_error;  // malformed expectation lines
};

struct Command {
  enum class Kind { kLoad, kClear, kEval, kError };
  Kind kind = Kind::kClear;
  int line = 0;
  LoadCmd load;
  EvalCmd eval;
  std::string error;
};

std::vector<Command> ParseScript(std::string_view content);

// `metric{a="b"}` / `{a="b"}` / `{}` followed by value notation.
Result<SeriesLine> ParseSeriesLine(std::string_view line);
Result<std::int64_t> ParseTestDuration(std::string_view s);

}  // namespace hw::promql::testdsl
