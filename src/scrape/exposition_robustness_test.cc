// Random-mutation robustness test (the gcc-buildable sibling of the libFuzzer
// targets): ~200k mutated slices of the fixtures go through both parsers. Nothing may
// crash, every error must be kBadData naming a line that exists, and every accepted
// sample must be well-formed. Fixed seed, so a failure reproduces.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <regex>

#include "scrape/exposition_test_util.h"
#include "scrape/openmetrics_parser.h"
#include "scrape/text_parser.h"

namespace hw::scrape {
namespace {

constexpr int kMutations = 200'000;
// Bytes that matter to the grammars, favoured when inserting.
constexpr std::string_view kSpecial = "{}\"=,# \t\n\\_.eE+-0123456789xpNaInf\r\xff\xc3";

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t nl = s.find('\n', start);
    if (nl == std::string::npos) nl = s.size();
    out.push_back(s.substr(start, nl - start + 1));
    start = nl + 1;
  }
  return out;
}

std::string Mutate(const std::vector<std::string>& lines, std::mt19937& rng) {
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  std::size_t first = pick(lines.size());
  std::size_t count = 1 + pick(12);
  std::string s;
  for (std::size_t i = first; i < lines.size() && i < first + count; ++i) s += lines[i];
  if (pick(3) == 0) s += "# EOF\n";
  int edits = 1 + static_cast<int>(pick(4));
  for (int e = 0; e < edits && !s.empty(); ++e) {
    std::size_t at = pick(s.size());
    switch (pick(7)) {
      case 0: s[at] = static_cast<char>(rng()); break;
      case 1: s.insert(at, 1, kSpecial[pick(kSpecial.size())]); break;
      case 2: s.erase(at, 1 + pick(8)); break;
      case 3: s.insert(at, s.substr(pick(s.size()), pick(20))); break;
      case 4: s.resize(at); break;
      case 5: s[at] = kSpecial[pick(kSpecial.size())]; break;
      default: s.insert(at, lines[pick(lines.size())]); break;
    }
  }
  return s;
}

std::size_t CountLines(std::string_view s) {
  std::size_t n = static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
  return n + (!s.empty() && s.back() != '\n');
}

// Drains a parser; returns the error message or "".
std::string Drain(Parser& p, std::string_view body, std::size_t* samples) {
  p.Reset(body);
  while (true) {
    Result<Entry> e = p.Next();
    if (!e.ok()) {
      EXPECT_EQ(e.status().code(), StatusCode::kBadData);
      return e.status().message();
    }
    if (*e == Entry::kEof) return "";
    if (*e == Entry::kSample) {
      const SampleView& s = p.sample();
      EXPECT_FALSE(s.name.empty());
      for (const LabelView& l : s.labels) EXPECT_FALSE(l.name.empty());
      ++*samples;
    }
  }
}

TEST(ExpositionRobustnessTest, RandomMutationsOfFixtures) {
  using testing::ReadTestdata;
  const std::vector<std::string> fixtures[] = {
      Lines(ReadTestdata("node_exporter.prom")),
      Lines(ReadTestdata("prom_client.prom")),
      Lines(ReadTestdata("openmetrics_client_python.om.txt")),
  };
  for (const auto& f : fixtures) ASSERT_FALSE(f.empty());
  std::mt19937 rng(20240601);
  TextParser text;
  OpenMetricsParser om;
  const std::regex kLinePrefix("^line ([0-9]+): .+");
  std::size_t errors = 0, samples = 0;
  for (int i = 0; i < kMutations; ++i) {
    std::string body = Mutate(fixtures[i % 3], rng);
    const std::size_t max_line = CountLines(body) + 1;
    for (Parser* p : {static_cast<Parser*>(&text), static_cast<Parser*>(&om)}) {
      std::string err = Drain(*p, body, &samples);
      if (err.empty()) continue;
      ++errors;
      std::smatch m;
      // Checking every message with a regex is slow; check a sample of them.
      if (i % 16 == 0) {
        ASSERT_TRUE(std::regex_match(err, m, kLinePrefix)) << err;
        ASSERT_LE(std::stoul(m[1]), max_line) << err;
      } else {
        ASSERT_EQ(err.rfind("line ", 0), 0u) << err;
      }
    }
    if (i % 64 == 0) {  // the whole-body path too
      (void)ParseAll(body, Format::kPrometheusText);
      (void)ParseAll(body, Format::kOpenMetrics);
    }
  }
  // Sanity: the mutations exercise both outcomes.
  EXPECT_GT(errors, static_cast<std::size_t>(kMutations / 10));
  EXPECT_GT(samples, static_cast<std::size_t>(kMutations));
}

}  // namespace
}  // namespace hw::scrape
