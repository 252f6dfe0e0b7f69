// Data-driven: every query of Prometheus' PromQL test scripts (current and v2.42.0)
// must parse, print back to a query that parses to the same tree, and prettify the
// same way. Queries the scripts expect to fail must still parse unless the failure is
// a parse-time one (listed below), in which case our message must match theirs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>

#include "promql/parser.h"
#include "promql/printer.h"

namespace hw::promql {
namespace {

namespace fs = std::filesystem;

struct EvalCase {
  std::string file;
  int line = 0;
  std::string expr;
  bool expect_fail = false;
  std::string fail_message;  // from `expect fail msg:` / expected_fail_message
};

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::vector<EvalCase> ReadCases(const fs::path& file) {
  static const std::regex kEval(
      R"(^eval(_fail|_warn|_ordered|_info)?\s+(?:instant\s+at\s+\S+|range\s+from\s+\S+\s+to\s+\S+\s+step\s+\S+)\s+(.+)$)");
  static const std::regex kExpectFail(R"(^expect\s+fail(?:\s+(?:msg|regex):\s*(.*))?$)");
  std::vector<EvalCase> out;
  std::ifstream in(file);
  std::string raw;
  int line_no = 0;
  EvalCase* open = nullptr;
  while (std::getline(in, raw)) {
    ++line_no;
    std::string line = Trim(raw);
    if (line.empty() || line[0] == '#') {
      open = nullptr;
      continue;
    }
    std::smatch m;
    if (std::regex_match(line, m, kEval)) {
      EvalCase c;
      c.file = file.parent_path().filename().string() + "/" + file.filename().string();
      c.line = line_no;
      c.expr = m[2];
      c.expect_fail = m[1] == "_fail";
      out.push_back(std::move(c));
      open = &out.back();
    } else if (open != nullptr && std::regex_match(line, m, kExpectFail)) {
      open->expect_fail = true;
      open->fail_message = Trim(m[1]);
    } else if (open != nullptr && line.rfind("expected_fail_message", 0) == 0) {
      open->fail_message = Trim(line.substr(std::string("expected_fail_message").size()));
    } else if (line.rfind("load", 0) == 0 || line == "clear") {
      open = nullptr;
    }
  }
  return out;
}

// Queries the scripts expect to fail that Prometheus (and we) reject while parsing.
const std::set<std::string>& ParseTimeFailures() {
  static const std::set<std::string> kSet = {
      "deriv(foo[3m] smoothed)",
      "resets(foo[3m] smoothed)",
      "changes(foo[3m] smoothed)",
      "max_over_time(foo[3m] smoothed)",
      "predict_linear(foo[3m] smoothed, 4)",
      "deriv(foo[3m] anchored)",
      "max_over_time(foo[3m] anchored)",
      "predict_linear(foo[3m] anchored, 4)",
  };
  return kSet;
}

void CheckRoundTrip(const Expr& e, const ParseOptions& options, const EvalCase& c) {
  for (const std::string& printed : {Format(e), Prettify(e)}) {
    Result<ExprPtr> again = ParseExpr(printed, options);
    ASSERT_TRUE(again.ok()) << c.file << ":" << c.line << ": " << c.expr << "\nprinted as "
                            << printed << "\n"
                            << again.status().message();
    EXPECT_TRUE(Equal(e, **again))
        << c.file << ":" << c.line << ": " << c.expr << "\nprinted as " << printed;
  }
}

TEST(PromqlTestdataTest, EveryEvalExpressionParsesAndRoundTrips) {
  fs::path dir = HW_PROMQL_TESTDATA_DIR;
  if (const char* env = std::getenv("HW_PROMQL_TESTDATA_DIR")) dir = env;
  if (!fs::exists(dir)) GTEST_SKIP() << "no test data at " << dir;
  int total = 0, parsed = 0, rejected = 0, expected_failures_parsed = 0;
  for (const fs::path& sub : {dir, dir / "v2.42.0"}) {
    ParseOptions options = ParseOptions::AllEnabled();
    options.legacy_functions = sub.filename() == "v2.42.0";
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(sub)) {
      if (entry.path().extension() == ".test") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      for (const EvalCase& c : ReadCases(file)) {
        ++total;
        Result<ExprPtr> e = ParseExpr(c.expr, options);
        if (c.expect_fail && ParseTimeFailures().count(c.expr) > 0) {
          ++rejected;
          ASSERT_FALSE(e.ok()) << c.file << ":" << c.line << ": " << c.expr;
          EXPECT_NE(e.status().message().find(c.fail_message), std::string::npos)
              << e.status().message() << " does not contain " << c.fail_message;
          continue;
        }
        ASSERT_TRUE(e.ok()) << c.file << ":" << c.line << ": " << c.expr << "\n"
                            << e.status().message();
        ++parsed;
        if (c.expect_fail) ++expected_failures_parsed;
        CheckRoundTrip(**e, options, c);
      }
    }
  }
  std::cout << "[ testdata ] " << total << " eval expressions: " << parsed << " parsed and "
            << "round-tripped (" << expected_failures_parsed
            << " of them fail only at evaluation), " << rejected
            << " rejected at parse time as expected\n";
  RecordProperty("eval_expressions", total);
  RecordProperty("parsed", parsed);
  EXPECT_GT(total, 2500);
}

}  // namespace
}  // namespace hw::promql
