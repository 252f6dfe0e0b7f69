#include "alerting/matchers.h"

#include <fmt/format.h>

namespace hw::alerting {

Result<std::vector<model::Matcher>> CompileMatchers(const std::vector<config::AmMatcher>& ms) {
  std::vector<model::Matcher> out;
  for (const config::AmMatcher& m : ms) {
    model::MatchType t = model::MatchType::kEqual;
    switch (m.op) {
      case config::AmMatcher::Op::kEqual: t = model::MatchType::kEqual; break;
      case config::AmMatcher::Op::kNotEqual: t = model::MatchType::kNotEqual; break;
      case config::AmMatcher::Op::kRegex: t = model::MatchType::kRegexMatch; break;
      case config::AmMatcher::Op::kNotRegex: t = model::MatchType::kRegexNoMatch; break;
    }
    Result<model::Matcher> c = model::Matcher::Make(t, m.name, m.value);
    if (!c.ok()) return c.status();
    out.push_back(std::move(c).value());
  }
  return out;
}

bool MatchesAll(const std::vector<model::Matcher>& ms, const model::Labels& labels) {
  for (const model::Matcher& m : ms) {
    if (!m.Matches(labels.Get(m.name()))) return false;
  }
  return true;
}

namespace {

bool NameChar(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (!first && c >= '0' && c <= '9');
}

void SkipSpace(std::string_view s, std::size_t* i) {
  while (*i < s.size() && (s[*i] == ' ' || s[*i] == '\t')) ++*i;
}

}  // namespace

Result<std::vector<model::Matcher>> ParseMatchers(std::string_view text) {
  auto fail = [&](std::string_view why) {
    return Status::BadData(fmt::format("bad matcher \"{}\": {}", text, why));
  };
  std::string_view s = text;
  std::size_t i = 0;
  SkipSpace(s, &i);
  const bool braced = i < s.size() && s[i] == '{';
  if (braced) {
    ++i;
    std::size_t end = s.find_last_not_of(" \t");
    if (end == std::string_view::npos || s[end] != '}') return fail("missing closing '}'");
    s = s.substr(0, end);
  }
  std::vector<model::Matcher> out;
  while (true) {
    SkipSpace(s, &i);
    if (i >= s.size()) break;
    std::size_t start = i;
    // Names: Prometheus label names, or a quoted name.
    std::string name;
    if (s[i] == '"') {
      std::size_t close = s.find('"', i + 1);
      if (close == std::string_view::npos) return fail("unterminated quoted name");
      name = std::string(s.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      while (i < s.size() && NameChar(s[i], i == start)) ++i;
      name = std::string(s.substr(start, i - start));
    }
    if (name.empty()) return fail("expected a label name");
    SkipSpace(s, &i);
    model::MatchType type;
    if (s.substr(i, 2) == "=~") {
      type = model::MatchType::kRegexMatch;
      i += 2;
    } else if (s.substr(i, 2) == "!~") {
      type = model::MatchType::kRegexNoMatch;
      i += 2;
    } else if (s.substr(i, 2) == "!=") {
      type = model::MatchType::kNotEqual;
      i += 2;
    } else if (s.substr(i, 1) == "=") {
      type = model::MatchType::kEqual;
      i += 1;
    } else {
      return fail("expected one of = != =~ !~");
    }
    SkipSpace(s, &i);
    std::string value;
    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        char c = s[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && i < s.size()) {
          char e = s[i++];
          value += e == 'n' ? '\n' : e == 't' ? '\t' : e;
          continue;
        }
        value += c;
      }
      if (!closed) return fail("unterminated quoted value");
    } else {
      std::size_t vstart = i;
      while (i < s.size() && s[i] != ',') ++i;
      std::string_view v = s.substr(vstart, i - vstart);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
      value = std::string(v);
    }
    Result<model::Matcher> m = model::Matcher::Make(type, name, value);
    if (!m.ok()) return fail(m.status().message());
    out.push_back(std::move(m).value());
    SkipSpace(s, &i);
    if (i < s.size()) {
      if (s[i] != ',') return fail("expected ',' between matchers");
      ++i;
    }
  }
  if (out.empty()) return fail("no matchers");
  return out;
}

}  // namespace hw::alerting
