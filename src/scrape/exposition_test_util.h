// Test helpers shared by the scrape_test files: fixture loading and a compact,
// comparable rendering of a ParsedScrape.
#pragma once

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <string>

#include "scrape/exposition.h"

namespace hw::scrape::testing {

inline std::string ReadTestdata(const std::string& name) {
  std::ifstream in(std::string(HW_SCRAPE_TESTDATA) + "/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One line per sample: `name{a="b"} value[ @ts][ # {ex} value[ @ts]]`.
inline std::string Render(const ParsedScrape& scrape) {
  std::string out;
  for (const ParsedSample& s : scrape.samples) {
    if (!out.empty()) out += '\n';
    out += s.labels.ToSeriesString();
    out += fmt::format(" {}", s.value);
    if (s.timestamp_ms) out += fmt::format(" @{}", *s.timestamp_ms);
    if (s.exemplar) {
      out += fmt::format(" # {} {}", s.exemplar->labels.ToString(), s.exemplar->value);
      if (s.exemplar->timestamp_ms) out += fmt::format(" @{}", *s.exemplar->timestamp_ms);
    }
  }
  return out;
}

// Render(ParseAll(...)) or "error: <message>".
inline std::string ParseAndRender(std::string_view body, Format format,
                                  const ParseOptions& options = {}) {
  Result<ParsedScrape> r = ParseAll(body, format, options);
  if (!r.ok()) return "error: " + r.status().message();
  return Render(*r);
}

}  // namespace hw::scrape::testing
