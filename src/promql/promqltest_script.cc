// Splitting a PromQL test script into load / clear / eval commands.
#include <cctype>
#include <regex>

#include "promql/promqltest_internal.h"
#include "promql/str_cat.h"

namespace hw::promql::testdsl {
namespace {

std::string Trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string> Lines(std::string_view content) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= content.size()) {
    std::size_t nl = content.find('\n', start);
    if (nl == std::string_view::npos) nl = content.size();
    std::string l = Trim(content.substr(start, nl - start));
    if (!l.empty() && l[0] == '#') l.clear();
    out.push_back(std::move(l));
    start = nl + 1;
  }
  return out;
}

bool Unquote(const std::string& s, std::string* out) {
  if (s.size() < 2 || (s[0] != '"' && s[0] != '`') || s.back() != s[0]) return false;
  std::string body = s.substr(1, s.size() - 2);
  if (s[0] == '`') {
    *out = body;
    return true;
  }
  out->clear();
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size()) {
      char e = body[++i];
      out->push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e);
    } else {
      out->push_back(body[i]);
    }
  }
  return true;
}

void ParseExpectLine(const std::string& l, EvalCmd* e) {
  static const std::regex kExpect(R"(^expect\s+(fail|warn|info|no_warn|no_info|ordered)(?:\s+(msg|regex):(.*))?$)");
  static const std::regex kRangeVec(R"(^expect\s+range\s+vector\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)$)");
  static const std::regex kString(R"(^expect\s+string\s+(.*)$)");
  std::smatch m;
  if (std::regex_match(l, m, kExpect)) {
    Expectation x{m[1], m[2], Trim(m[3].str())};
    if (x.kind == "fail") e->fail = true;
    if (x.kind == "ordered") e->ordered = true;
    e->expects.push_back(std::move(x));
    return;
  }
  if (std::regex_match(l, m, kRangeVec)) {
    auto a = ParseTestDuration(m[1].str()), b = ParseTestDuration(m[2].str()),
         c = ParseTestDuration(m[3].str());
    if (!a.ok() || !b.ok() || !c.ok()) {
      e->parse_error = "bad expect range vector line";
      return;
    }
    e->range_vector = true;
    e->rv_start = *a;
    e->rv_end = *b;
    e->rv_step = *c;
    return;
  }
  if (std::regex_match(l, m, kString)) {
    std::string s;
    if (!Unquote(Trim(m[1].str()), &s)) e->parse_error = "bad expect string line";
    e->str = s;
    return;
  }
  if (l.rfind("expected_fail_message", 0) == 0) {
    e->expects.push_back({"fail", "msg", Trim(l.substr(21))});
    return;
  }
  if (l.rfind("expected_fail_regexp", 0) == 0) {
    e->expects.push_back({"fail", "regex", Trim(l.substr(20))});
    return;
  }
  if (l.find("{{") != std::string::npos) {
    e->uses_histogram_literal = true;
    return;
  }
  // A bare number is a scalar result.
  if (l.find_first_of(" \t{") == std::string::npos) {
    char* end = nullptr;
    std::string lower = l;
    double v = std::strtod(l.c_str(), &end);
    if (end == l.c_str() + l.size()) {
      e->scalar = v;
      return;
    }
  }
  Result<SeriesLine> s = ParseSeriesLine(l);
  if (!s.ok()) {
    e->parse_error = s.status().message();
    return;
  }
  e->series.push_back(std::move(*s));
}

}  // namespace

std::vector<Command> ParseScript(std::string_view content) {
  static const std::regex kInstant(R"(^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+)?(\S+)\s+(.+)$)");
  static const std::regex kRange(R"(^eval(?:_(fail|warn|info))?\s+range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.+)$)");
  static const std::regex kLoad(R"(^load(_with_nhcb)?\s+(\S+)$)");
  std::vector<std::string> lines = Lines(content);
  std::vector<Command> out;
  std::size_t i = 0;
  while (i < lines.size()) {
    const std::string& l = lines[i];
    if (l.empty()) {
      ++i;
      continue;
    }
    Command c;
    c.line = static_cast<int>(i) + 1;
    std::smatch m;
    ++i;
    if (l == "clear") {
      c.kind = Command::Kind::kClear;
    } else if (std::regex_match(l, m, kLoad)) {
      c.kind = Command::Kind::kLoad;
      c.load.with_nhcb = m[1].matched;
      auto d = ParseTestDuration(m[2].str());
      if (!d.ok()) {
        c.kind = Command::Kind::kError;
        c.error = d.status().message();
      } else {
        c.load.interval_ms = *d;
      }
      for (; i < lines.size() && !lines[i].empty(); ++i) {
        const std::string& sl = lines[i];
        std::size_t sp = sl.find_first_of(" \t");
        std::string head = sl.substr(0, sp);
        if (head.size() > 3 && head.compare(head.size() - 3, 3, "@st") == 0) {
          auto s = ParseSeriesLine(head.substr(0, head.size() - 3));
          if (s.ok()) c.load.st_series.push_back(s->labels);
          continue;
        }
        auto s = ParseSeriesLine(sl);
        if (!s.ok()) {
          c.kind = Command::Kind::kError;
          c.error = StrCat("line ", std::to_string(i + 1), ": ", s.status().message());
          continue;
        }
        c.load.series.push_back(std::move(*s));
      }
    } else if (std::regex_match(l, m, kInstant) || std::regex_match(l, m, kRange)) {
      c.kind = Command::Kind::kEval;
      EvalCmd& e = c.eval;
      e.line = c.line;
      std::string mod = m[1].str();
      e.fail = mod == "fail";
      e.ordered = mod == "ordered";
      e.want_warn = mod == "warn";
      e.want_info = mod == "info";
      e.range = m.size() == 6;
      if (e.range) {
        auto a = ParseTestDuration(m[2].str()), b = ParseTestDuration(m[3].str()),
             s = ParseTestDuration(m[4].str());
        if (!a.ok() || !b.ok() || !s.ok()) e.parse_error = "bad range eval times";
        else { e.start = *a; e.end = *b; e.step = *s; }
        e.query = m[5].str();
      } else {
        auto a = ParseTestDuration(m[2].str());
        if (!a.ok()) e.parse_error = a.status().message();
        else e.at = *a;
        e.query = m[3].str();
      }
      for (; i < lines.size() && !lines[i].empty(); ++i) ParseExpectLine(lines[i], &e);
    } else {
      c.kind = Command::Kind::kError;
      c.error = StrCat("unknown command: ", l);
      while (i < lines.size() && !lines[i].empty()) ++i;
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace hw::promql::testdsl
