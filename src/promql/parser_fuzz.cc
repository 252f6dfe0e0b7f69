// libFuzzer entry point for the PromQL parser (clang only; see CMakeLists.txt).
// Properties: no crash, errors carry a position, and whatever parses prints back to a
// query that parses to an equal tree.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "promql/parser.h"
#include "promql/printer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hw::promql;
  std::string input(reinterpret_cast<const char*>(data), size);
  ParseOptions options = ParseOptions::AllEnabled();
  ParseError err;
  hw::Result<ExprPtr> e = ParseExpr(input, options, &err);
  if (!e.ok()) {
    if (err.pos.start < 0 || err.pos.start > static_cast<int>(size) || err.line < 1) abort();
    return 0;
  }
  hw::Result<ExprPtr> again = ParseExpr(Format(**e), options);
  if (!again.ok() || !Equal(**e, **again)) abort();
  return 0;
}
