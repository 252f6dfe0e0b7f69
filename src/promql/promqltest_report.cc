#include <cstdio>

#include "promql/promqltest.h"

namespace hw::promql {

int RunPromqlTests(const std::vector<std::string>& files, const PromqlTestOptions& opts,
                   bool verbose) {
  int passed = 0, failed = 0, skipped = 0;
  for (const std::string& file : files) {
    Result<FileReport> rep = RunPromqlTestFile(file, opts);
    if (!rep.ok()) {
      std::fprintf(stderr, "%s\n", rep.status().message().c_str());
      ++failed;
      continue;
    }
    std::printf("%s: %d passed, %d failed, %d skipped\n", rep->file.c_str(), rep->passed,
                rep->failed, rep->skipped);
    for (const CaseResult& c : rep->cases) {
      bool show = c.status == CaseStatus::kFailed || (verbose && c.status == CaseStatus::kSkipped);
      if (!show) continue;
      std::printf("  %s %s:%d: %s\n    %s\n", c.status == CaseStatus::kFailed ? "FAIL" : "SKIP",
                  rep->file.c_str(), c.line, c.query.c_str(), c.message.c_str());
    }
    passed += rep->passed;
    failed += rep->failed;
    skipped += rep->skipped;
  }
  std::printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  return failed > 0 ? 1 : 0;
}

}  // namespace hw::promql
