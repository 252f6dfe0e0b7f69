// promql_conformance [--v2] [-v] FILE...: the conformance runner without the rest of
// hastewatch (`hastewatch promql-test` is the same). --v2 selects Prometheus 2.x
// semantics (for the v2.42.0 set); -v lists skipped cases.
#include <string>
#include <vector>

#include "promql/promqltest.h"

int main(int argc, char** argv) {
  hw::promql::PromqlTestOptions opts;
  bool verbose = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--v2") {
      opts.v2 = true;
    } else if (arg == "-v") {
      verbose = true;
    } else {
      files.push_back(arg);
    }
  }
  return hw::promql::RunPromqlTests(files, opts, verbose);
}
