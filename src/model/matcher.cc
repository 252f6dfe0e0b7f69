#include "model/matcher.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <re2/re2.h>

#include "model/labels.h"

namespace hw::model {
namespace {

// RE2 metacharacters: outside them, a pattern character matches itself.
bool IsMeta(char c) {
  switch (c) {
    case '\\': case '.': case '+': case '*': case '?': case '(': case ')':
    case '|': case '[': case ']': case '{': case '}': case '^': case '$':
      return true;
    default:
      return false;
  }
}

// Parses a pattern made only of literal characters and escaped ASCII punctuation
// (`a\.b`), split at unescaped `|` into alternatives. Returns false when anything else
// appears. `alts` receives one string per alternative (a plain literal gives one).
bool ParseLiteralAlternation(std::string_view p, std::vector<std::string>* alts) {
  alts->assign(1, std::string());
  for (std::size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '|') {
      alts->emplace_back();
    } else if (c == '\\') {
      if (i + 1 >= p.size()) return false;
      unsigned char next = static_cast<unsigned char>(p[i + 1]);
      if (next >= 0x80 || !std::ispunct(next)) return false;  // \d, \Q, \pL ...
      alts->back().push_back(static_cast<char>(next));
      ++i;
    } else if (IsMeta(c)) {
      return false;
    } else {
      alts->back().push_back(c);
    }
  }
  return true;
}

// A single literal (no alternation).
bool ParseLiteral(std::string_view p, std::string* out) {
  std::vector<std::string> alts;
  if (!ParseLiteralAlternation(p, &alts) || alts.size() != 1) return false;
  *out = std::move(alts[0]);
  return true;
}

}  // namespace

std::string_view MatchTypeString(MatchType type) {
  switch (type) {
    case MatchType::kEqual: return "=";
    case MatchType::kNotEqual: return "!=";
    case MatchType::kRegexMatch: return "=~";
    case MatchType::kRegexNoMatch: return "!~";
  }
  return "=";
}

Result<Matcher> Matcher::Make(MatchType type, std::string_view name, std::string_view value) {
  Matcher m;
  m.type_ = type;
  m.name_.assign(name);
  m.value_.assign(value);
  if (type == MatchType::kEqual || type == MatchType::kNotEqual) {
    m.kind_ = Kind::kSet;
    m.set_.assign(1, m.value_);
    m.positive_matches_empty_ = m.value_.empty();
    return m;
  }
  // Always compile: validates the pattern and serves the general case. dot_nl plus a
  // full match is Prometheus' ^(?s:value)$ without splicing the pattern into a string.
  RE2::Options opts;
  opts.set_dot_nl(true);
  opts.set_log_errors(false);
  auto re = std::make_shared<const RE2>(re2::StringPiece(value.data(), value.size()), opts);
  if (!re->ok()) {
    std::string quoted;
    AppendQuoted(&quoted, value);
    return Status::BadData(fmt::format("cannot compile matcher {}: invalid regex {}: {}",
                                       m.ToString(), quoted, re->error()));
  }
  m.re_ = std::move(re);

  std::string_view p = value;
  std::vector<std::string> alts;
  if (p == ".*") {
    m.kind_ = Kind::kAny;
  } else if (p == ".+") {
    m.kind_ = Kind::kNonEmpty;
  } else if (ParseLiteralAlternation(p, &alts)) {
    std::sort(alts.begin(), alts.end());
    alts.erase(std::unique(alts.begin(), alts.end()), alts.end());
    m.kind_ = Kind::kSet;
    m.set_ = std::move(alts);
  } else if (p.size() > 4 && p.starts_with(".*") && p.ends_with(".*") &&
             ParseLiteral(p.substr(2, p.size() - 4), &m.literal_)) {
    m.kind_ = Kind::kContains;
  } else if (p.size() > 2 && p.ends_with(".*") && ParseLiteral(p.substr(0, p.size() - 2), &m.literal_)) {
    m.kind_ = Kind::kPrefix;
  } else if (p.size() > 2 && p.starts_with(".*") && ParseLiteral(p.substr(2), &m.literal_)) {
    m.kind_ = Kind::kSuffix;
  } else {
    m.kind_ = Kind::kRegex;
  }
  m.positive_matches_empty_ = m.PositiveMatches("");
  return m;
}

Matcher Matcher::Equal(std::string_view name, std::string_view value) {
  return *Make(MatchType::kEqual, name, value);
}

Matcher Matcher::NotEqual(std::string_view name, std::string_view value) {
  return *Make(MatchType::kNotEqual, name, value);
}

bool Matcher::PositiveMatches(std::string_view s) const {
  switch (kind_) {
    case Kind::kSet:
      if (set_.size() == 1) return s == set_[0];
      return std::binary_search(set_.begin(), set_.end(), s);
    case Kind::kPrefix: return s.starts_with(literal_);
    case Kind::kSuffix: return s.ends_with(literal_);
    case Kind::kContains: return s.find(literal_) != std::string_view::npos;
    case Kind::kAny: return true;
    case Kind::kNonEmpty: return !s.empty();
    case Kind::kRegex: return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), *re_);
  }
  return false;
}

Matcher Matcher::Inverse() const {
  Matcher m = *this;
  switch (type_) {
    case MatchType::kEqual: m.type_ = MatchType::kNotEqual; break;
    case MatchType::kNotEqual: m.type_ = MatchType::kEqual; break;
    case MatchType::kRegexMatch: m.type_ = MatchType::kRegexNoMatch; break;
    case MatchType::kRegexNoMatch: m.type_ = MatchType::kRegexMatch; break;
  }
  return m;
}

const std::vector<std::string>* Matcher::SetMatches() const {
  return !negated() && kind_ == Kind::kSet ? &set_ : nullptr;
}

bool Matcher::MatchesEverything() const {
  return type_ == MatchType::kRegexMatch && kind_ == Kind::kAny;
}

std::string Matcher::ToString() const {
  std::string out;
  if (IsValidLabelName(name_)) {
    out = name_;
  } else {
    AppendQuoted(&out, name_);
  }
  out.append(MatchTypeString(type_));
  AppendQuoted(&out, value_);
  return out;
}

}  // namespace hw::model
