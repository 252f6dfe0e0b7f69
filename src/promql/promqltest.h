// The conformance runner for Prometheus' PromQL test scripts (the `.test` DSL:
// load / load_with_nhcb / clear / eval instant|range with expect lines; see
// /work/shared/promql-tests/FORMAT.md). Each `clear` starts a fresh tsdb::Head; each
// eval runs through Engine and is compared with the expected result (floats with
// relative epsilon 1e-6, NaN equal to NaN, vectors unordered unless ordered).
//
// Cases that need native histograms (`{{...}}` literals, series loaded with them,
// the NHCB series load_with_nhcb creates), start-timestamp storage (`@st` lines), the
// type-and-unit-labels feature, or experimental PromQL (queries that parse only with
// experimental options on) are skipped and counted as skipped, never as passed.
//
// Thread-safety: the functions are reentrant; each run owns its storage and engine.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hw::promql {

struct PromqlTestOptions {
  // Prometheus 2.x semantics (closed windows, holt_winters, no delayed name removal).
  bool v2 = false;
};

enum class CaseStatus { kPassed, kFailed, kSkipped };

struct CaseResult {
  int line = 0;
  std::string query;
  CaseStatus status = CaseStatus::kPassed;
  std::string message;  // failure: the first difference; skipped: why
};

struct FileReport {
  std::string file;
  int passed = 0, failed = 0, skipped = 0;
  std::vector<CaseResult> cases;
};

// Runs one script (`name` is used in messages). Malformed commands are failures.
FileReport RunPromqlTestScript(std::string_view name, std::string_view content,
                               const PromqlTestOptions& options);
Result<FileReport> RunPromqlTestFile(const std::string& path, const PromqlTestOptions& options);

// Runs each file and prints "<file>: N passed, N failed, N skipped", every failure (and
// with `verbose` every skip) with its line and first difference, then the totals line
// "N passed, N failed, N skipped". Returns the exit code: 1 if anything failed.
int RunPromqlTests(const std::vector<std::string>& files, const PromqlTestOptions& options,
                   bool verbose);

}  // namespace hw::promql
