// promql_conformance FILE...: runs Prometheus' PromQL test scripts against the engine
// and prints per-file counts, each failure, and a final "N passed, N failed, N skipped".
// --v2 selects Prometheus 2.x semantics (for the v2.42.0 set); -v lists skipped cases.
#include <cstdio>
#include <string>

#include "promql/promqltest.h"

int main(int argc, char** argv) {
  hw::promql::PromqlTestOptions opts;
  bool verbose = false;
  int passed = 0, failed = 0, skipped = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--v2") { opts.v2 = true; continue; }
    if (arg == "-v") { verbose = true; continue; }
    auto rep = hw::promql::RunPromqlTestFile(arg, opts);
    if (!rep.ok()) {
      std::fprintf(stderr, "%s\n", rep.status().message().c_str());
      ++failed;
      continue;
    }
    std::printf("%s: %d passed, %d failed, %d skipped\n", rep->file.c_str(), rep->passed,
                rep->failed, rep->skipped);
    for (const auto& c : rep->cases) {
      bool show = c.status == hw::promql::CaseStatus::kFailed ||
                  (verbose && c.status == hw::promql::CaseStatus::kSkipped);
      if (!show) continue;
      std::printf("  %s %s:%d: %s\n    %s\n",
                  c.status == hw::promql::CaseStatus::kFailed ? "FAIL" : "SKIP", rep->file.c_str(),
                  c.line, c.query.c_str(), c.message.c_str());
    }
    passed += rep->passed;
    failed += rep->failed;
    skipped += rep->skipped;
  }
  std::printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  return failed > 0 ? 1 : 0;
}
