#include "scrape/relabel.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <re2/re2.h>

namespace hw::scrape {
namespace {

using Action = config::RelabelConfig::Action;

// A mutable label set for the duration of one Process call, kept sorted by name.
class Working {
 public:
  explicit Working(const model::Labels& in) {
    pairs_.reserve(in.size() + 2);
    for (const model::Label& l : in) pairs_.emplace_back(l.name, l.value);
  }
  std::string_view Get(std::string_view name) const {
    auto it = Find(name);
    return it != pairs_.end() && it->first == name ? std::string_view(it->second) : "";
  }
  void Set(std::string_view name, std::string_view value) {
    if (value.empty()) return Del(name);
    auto it = Find(name);
    if (it != pairs_.end() && it->first == name) {
      it->second = value;
    } else {
      pairs_.emplace(it, std::string(name), std::string(value));
    }
  }
  void Del(std::string_view name) {
    auto it = Find(name);
    if (it != pairs_.end() && it->first == name) pairs_.erase(it);
  }
  std::vector<std::pair<std::string, std::string>>& pairs() { return pairs_; }
  model::Labels Build() const {
    std::vector<std::pair<std::string_view, std::string_view>> v;
    v.reserve(pairs_.size());
    for (const auto& [n, val] : pairs_) v.emplace_back(n, val);
    return model::Labels::FromPairs(std::move(v));
  }

 private:
  std::vector<std::pair<std::string, std::string>>::iterator Find(std::string_view name) {
    return std::lower_bound(pairs_.begin(), pairs_.end(), name,
                            [](const auto& p, std::string_view n) { return p.first < n; });
  }
  std::vector<std::pair<std::string, std::string>>::const_iterator Find(
      std::string_view name) const {
    return std::lower_bound(pairs_.begin(), pairs_.end(), name,
                            [](const auto& p, std::string_view n) { return p.first < n; });
  }
  std::vector<std::pair<std::string, std::string>> pairs_;
};

bool IsLabelName(std::string_view s) { return model::IsValidLabelName(s); }

bool IsNameByte(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

// Matches the whole of `s` with `re`, filling groups[0..n). False when no match.
bool MatchGroups(const re2::RE2& re, std::string_view s, std::vector<re2::StringPiece>* sp,
                 std::vector<std::string_view>* groups) {
  int n = 1 + re.NumberOfCapturingGroups();
  sp->assign(static_cast<size_t>(n), re2::StringPiece());
  if (!re.Match(re2::StringPiece(s.data(), s.size()), 0, s.size(), re2::RE2::ANCHOR_BOTH,
                sp->data(), n)) {
    return false;
  }
  groups->clear();
  for (const re2::StringPiece& p : *sp) groups->emplace_back(p.data(), p.size());
  return true;
}

std::string SourceValue(const Working& w, const config::RelabelConfig& c) {
  std::string v;
  for (size_t i = 0; i < c.source_labels.size(); ++i) {
    if (i > 0) v += c.separator;
    v += w.Get(c.source_labels[i]);
  }
  return v;
}

// Applies one rule; false when the set is dropped.
bool Apply(const RelabelRule& rule, Working& w) {
  const config::RelabelConfig& c = rule.config;
  const re2::RE2& re = *rule.regex;
  std::vector<re2::StringPiece> sp;
  std::vector<std::string_view> groups;
  auto matches = [&](std::string_view s) {
    return re2::RE2::FullMatch(re2::StringPiece(s.data(), s.size()), re);
  };
  switch (c.action) {
    case Action::kDrop: return !matches(SourceValue(w, c));
    case Action::kKeep: return matches(SourceValue(w, c));
    case Action::kDropEqual: return w.Get(c.target_label) != SourceValue(w, c);
    case Action::kKeepEqual: return w.Get(c.target_label) == SourceValue(w, c);
    case Action::kReplace: {
      std::string value = SourceValue(w, c);
      if (!MatchGroups(re, value, &sp, &groups)) return true;
      std::string target;
      ExpandTemplate(re, c.target_label, groups.data(), static_cast<int>(groups.size()), &target);
      if (!IsLabelName(target)) return true;
      std::string res;
      ExpandTemplate(re, c.replacement, groups.data(), static_cast<int>(groups.size()), &res);
      w.Set(target, res);  // an empty result deletes the label
      return true;
    }
    case Action::kLowercase:
    case Action::kUppercase: {
      std::string value = SourceValue(w, c);
      for (char& ch : value) {
        unsigned char u = static_cast<unsigned char>(ch);
        ch = static_cast<char>(c.action == Action::kLowercase ? std::tolower(u) : std::toupper(u));
      }
      w.Set(c.target_label, value);
      return true;
    }
    case Action::kHashMod: {
      std::uint64_t mod = HashModSum(SourceValue(w, c)) % c.modulus;
      w.Set(c.target_label, std::to_string(mod));
      return true;
    }
    case Action::kLabelMap: {
      // Collect first: setting labels while iterating would revisit them.
      std::vector<std::pair<std::string, std::string>> add;
      for (const auto& [name, value] : w.pairs()) {
        if (!MatchGroups(re, name, &sp, &groups)) continue;
        std::string res;
        ExpandTemplate(re, c.replacement, groups.data(), static_cast<int>(groups.size()), &res);
        add.emplace_back(std::move(res), value);
      }
      for (const auto& [name, value] : add) w.Set(name, value);
      return true;
    }
    case Action::kLabelDrop:
    case Action::kLabelKeep: {
      bool drop_matching = c.action == Action::kLabelDrop;
      auto& p = w.pairs();
      p.erase(std::remove_if(p.begin(), p.end(),
                             [&](const auto& kv) { return matches(kv.first) == drop_matching; }),
              p.end());
      return true;
    }
  }
  return true;
}

}  // namespace

Result<RelabelRules> RelabelRules::Compile(const std::vector<config::RelabelConfig>& configs) {
  RelabelRules rules;
  for (const config::RelabelConfig& c : configs) {
    re2::RE2::Options opts;
    opts.set_log_errors(false);
    auto re = std::make_shared<const re2::RE2>("^(?s:" + c.regex + ")$", opts);
    if (!re->ok()) {
      return Status::BadData(
          fmt::format("cannot compile relabel regex \"{}\": {}", c.regex, re->error()));
    }
    if (c.action == Action::kHashMod && c.modulus == 0) {
      return Status::BadData("relabel configuration for hashmod requires non-zero modulus");
    }
    rules.rules_.push_back(RelabelRule{c, std::move(re)});
  }
  return rules;
}

bool RelabelRules::Process(const model::Labels& labels, model::Labels* out) const {
  Working w(labels);
  for (const RelabelRule& rule : rules_) {
    if (!Apply(rule, w)) {
      *out = model::Labels();
      return false;
    }
  }
  *out = w.Build();
  return true;
}

void ExpandTemplate(const re2::RE2& re, std::string_view tmpl, const std::string_view* groups,
                    int ngroups, std::string* out) {
  while (!tmpl.empty()) {
    size_t dollar = tmpl.find('$');
    if (dollar == std::string_view::npos) break;
    out->append(tmpl.substr(0, dollar));
    tmpl.remove_prefix(dollar + 1);
    if (!tmpl.empty() && tmpl.front() == '$') {  // $$ is a literal $
      out->push_back('$');
      tmpl.remove_prefix(1);
      continue;
    }
    // Go's extract(): a name of letters, digits and '_', optionally in braces.
    bool brace = !tmpl.empty() && tmpl.front() == '{';
    size_t start = brace ? 1 : 0;
    size_t i = start;
    while (i < tmpl.size() && IsNameByte(static_cast<unsigned char>(tmpl[i]))) ++i;
    std::string_view name = tmpl.substr(start, i - start);
    if (name.empty() || (brace && (i >= tmpl.size() || tmpl[i] != '}'))) {
      out->push_back('$');  // malformed: the $ is literal text
      continue;
    }
    tmpl.remove_prefix(brace ? i + 1 : i);
    int num = 0;
    for (char ch : name) {
      if (ch < '0' || ch > '9' || num >= 100'000'000) {
        num = -1;
        break;
      }
      num = num * 10 + (ch - '0');
    }
    if (name.size() > 1 && name.front() == '0') num = -1;  // no leading zeros
    if (num < 0) {
      const auto& named = re.NamedCapturingGroups();
      auto it = named.find(std::string(name));
      if (it == named.end()) continue;
      num = it->second;
    }
    if (num < ngroups && groups[num].data() != nullptr) out->append(groups[num]);
  }
  out->append(tmpl);
}

std::uint64_t HashModSum(std::string_view s) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), digest, &len, EVP_md5(), nullptr);
  std::uint64_t v = 0;
  for (int i = 8; i < 16; ++i) v = (v << 8) | digest[i];
  return v;
}

}  // namespace hw::scrape
