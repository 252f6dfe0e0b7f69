// Parsing of the PromQL test DSL into commands (see promqltest_internal.h).
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <regex>

#include "base/units.h"
#include "promql/promqltest_internal.h"
#include "promql/str_cat.h"

namespace hw::promql::testdsl {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A quoted string at s[*pos] ("...", '...' or `...`), Go escapes.
bool ParseQuoted(std::string_view s, std::size_t* pos, std::string* out) {
  char q = s[*pos];
  std::size_t i = *pos + 1;
  out->clear();
  while (i < s.size() && s[i] != q) {
    char c = s[i];
    if (c == '\\' && q != '`' && i + 1 < s.size()) {
      char e = s[++i];
      switch (e) {
        case 'n': out->push_back('\n'); break;
        case 't': out->push_back('\t'); break;
        case 'r': out->push_back('\r'); break;
        case 'x':
          if (i + 2 < s.size()) {
            out->push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
            i += 2;
          }
          break;
        default: out->push_back(e);
      }
      ++i;
      continue;
    }
    out->push_back(c);
    ++i;
  }
  if (i >= s.size()) return false;
  *pos = i + 1;
  return true;
}

// A float in the DSL's notation: [sign] (number | Inf | NaN).
bool ParseNumber(std::string_view s, std::size_t* pos, double* out) {
  std::size_t i = *pos;
  double sign = 1;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    sign = s[i] == '-' ? -1 : 1;
    ++i;
  }
  auto word = [&](std::string_view w) {
    if (s.size() - i < w.size()) return false;
    for (std::size_t k = 0; k < w.size(); ++k) {
      if (std::tolower(static_cast<unsigned char>(s[i + k])) != w[k]) return false;
    }
    return true;
  };
  if (word("inf")) {
    *out = sign * std::numeric_limits<double>::infinity();
    *pos = i + (word("infinity") ? 8 : 3);
    return true;
  }
  if (word("nan")) {
    *out = std::numeric_limits<double>::quiet_NaN();
    *pos = i + 3;
    return true;
  }
  std::size_t start = i;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
  if (i == start) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    std::size_t digits = j;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    if (j > digits) i = j;
  }
  *out = sign * std::strtod(std::string(s.substr(start, i - start)).c_str(), nullptr);
  *pos = i;
  return true;
}

Status ExpandToken(std::string_view tok, std::vector<Slot>* out) {
  auto bad = [&] { return Status::BadData(StrCat("cannot parse series value \"", tok, "\"")); };
  if (tok == "stale") {
    out->push_back({Slot::Kind::kStale, 0});
    return Status::Ok();
  }
  if (tok[0] == '_') {
    std::size_t n = 1;
    if (tok.size() > 1) {
      if (tok[1] != 'x') return bad();
      n = std::strtoull(std::string(tok.substr(2)).c_str(), nullptr, 10);
    }
    for (std::size_t k = 0; k < n; ++k) out->push_back({Slot::Kind::kMissing, 0});
    return Status::Ok();
  }
  std::size_t pos = 0;
  double a;
  if (!ParseNumber(tok, &pos, &a)) return bad();
  if (pos == tok.size()) {
    out->push_back({Slot::Kind::kValue, a});
    return Status::Ok();
  }
  double b = 0;
  if (tok[pos] == '+' || tok[pos] == '-') {
    double sign = tok[pos] == '-' ? -1 : 1;
    ++pos;
    if (!ParseNumber(tok, &pos, &b)) return bad();
    b *= sign;
  }
  if (pos >= tok.size() || tok[pos] != 'x') return bad();
  std::string count(tok.substr(pos + 1));
  if (count.empty() || count.find_first_not_of("0123456789") != std::string::npos) return bad();
  std::size_t n = std::strtoull(count.c_str(), nullptr, 10);
  for (std::size_t k = 0; k <= n; ++k) out->push_back({Slot::Kind::kValue, a + b * static_cast<double>(k)});
  return Status::Ok();
}

}  // namespace

Result<std::int64_t> ParseTestDuration(std::string_view s) {
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s.remove_prefix(1);
  Result<Duration> d = ParseDuration(s);
  if (!d.ok()) return d.status();
  return neg ? -d->count() : d->count();
}

Result<SeriesLine> ParseSeriesLine(std::string_view line) {
  SeriesLine out;
  std::size_t pos = 0;
  std::vector<std::pair<std::string, std::string>> labels;
  std::string name;
  while (pos < line.size() && line[pos] != '{' && !std::isspace(static_cast<unsigned char>(line[pos]))) {
    name.push_back(line[pos++]);
  }
  if (pos < line.size() && line[pos] == '{') {
    ++pos;
    while (true) {
      while (pos < line.size() && (std::isspace(static_cast<unsigned char>(line[pos])) || line[pos] == ',')) ++pos;
      if (pos >= line.size()) return Status::BadData("unterminated label set");
      if (line[pos] == '}') {
        ++pos;
        break;
      }
      std::string lname;
      if (line[pos] == '"' || line[pos] == '\'') {
        if (!ParseQuoted(line, &pos, &lname)) return Status::BadData("bad quoted label name");
      } else {
        while (pos < line.size() && line[pos] != '=' && line[pos] != '}' && line[pos] != ',' &&
               !std::isspace(static_cast<unsigned char>(line[pos]))) {
          lname.push_back(line[pos++]);
        }
      }
      while (pos < line.size() && std::isspace(static_cast<unsigned char>(line[pos]))) ++pos;
      if (pos < line.size() && line[pos] == '=') {
        ++pos;
        while (pos < line.size() && std::isspace(static_cast<unsigned char>(line[pos]))) ++pos;
        std::string value;
        if (pos >= line.size() || !ParseQuoted(line, &pos, &value)) {
          return Status::BadData("bad label value");
        }
        labels.emplace_back(lname, value);
      } else {
        name = lname;  // {"metric.name"}
      }
    }
  }
  if (!name.empty()) labels.emplace_back(std::string(model::kMetricName), name);
  std::vector<std::pair<std::string_view, std::string_view>> views(labels.begin(), labels.end());
  out.labels = model::Labels::FromPairs(views);
  std::string_view rest = Trim(line.substr(pos));
  if (rest.find("{{") != std::string_view::npos) {
    out.histogram = true;
    return out;
  }
  while (!rest.empty()) {
    std::size_t sp = 0;
    while (sp < rest.size() && !std::isspace(static_cast<unsigned char>(rest[sp]))) ++sp;
    HW_RETURN_IF_ERROR(ExpandToken(rest.substr(0, sp), &out.slots));
    rest = Trim(rest.substr(sp));
  }
  return out;
}

}  // namespace hw::promql::testdsl
