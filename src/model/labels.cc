#include "model/labels.h"

#include <algorithm>
#include <new>

#include "base/utf8.h"
#include "model/hash.h"

namespace hw::model {
namespace {

constexpr char kSep = '\xff';

using Pairs = std::vector<std::pair<std::string_view, std::string_view>>;

void AppendName(std::string* out, std::string_view name) {
  if (IsValidLabelName(name)) {
    out->append(name);
  } else {
    AppendQuoted(out, name);
  }
}

}  // namespace

Labels Labels::FromPairs(Pairs pairs) {
  // Stable sort keeps the input order among equal names, so "last wins" below.
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  Pairs unique;
  unique.reserve(pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (i + 1 < pairs.size() && pairs[i + 1].first == pairs[i].first) continue;
    if (pairs[i].second.empty()) continue;
    unique.push_back(pairs[i]);
  }
  return FromSortedUnique(unique);
}

Labels Labels::FromSortedUnique(const Pairs& pairs) {
  Labels out;
  if (pairs.empty()) return out;
  std::size_t chars = 0;
  for (const auto& [n, v] : pairs) chars += n.size() + v.size();

  // One block: header, views, characters.
  std::size_t size = sizeof(Rep) + pairs.size() * sizeof(Label) + chars;
  void* mem = ::operator new(size);
  Rep* rep = new (mem) Rep;
  rep->refs.store(1, std::memory_order_relaxed);
  rep->count = static_cast<std::uint32_t>(pairs.size());
  // The hash is over name \xff value \xff ...; the block keeps the characters without
  // the separators.
  rep->hash = HashPairs(pairs);
  Label* labels = reinterpret_cast<Label*>(rep + 1);
  char* p = reinterpret_cast<char*>(labels + pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto& [n, v] = pairs[i];
    std::string_view name(p, n.size());
    p = std::copy(n.begin(), n.end(), p);
    std::string_view value(p, v.size());
    p = std::copy(v.begin(), v.end(), p);
    new (labels + i) Label{name, value};
  }
  out.rep_ = rep;
  return out;
}

void Labels::Free(Rep* rep) noexcept {
  // Label and Rep's members are trivially destructible; only the storage goes.
  rep->~Rep();
  ::operator delete(rep);
}

std::string_view Labels::Get(std::string_view name) const {
  auto it = std::lower_bound(begin(), end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  return it != end() && it->name == name ? it->value : std::string_view();
}

bool Labels::Has(std::string_view name) const { return !Get(name).empty(); }

std::uint64_t Labels::Hash() const {
  static const std::uint64_t kEmptyHash = XxHash64("");
  return rep_ ? rep_->hash : kEmptyHash;
}

std::uint64_t Labels::HashPairs(
    std::span<const std::pair<std::string_view, std::string_view>> pairs) {
  std::size_t size = 0;
  for (const auto& [n, v] : pairs) size += n.size() + v.size() + 2;
  char stack_buf[512];
  std::string heap_buf;
  char* joined = stack_buf;
  if (size > sizeof(stack_buf)) {
    heap_buf.resize(size);
    joined = heap_buf.data();
  }
  char* j = joined;
  for (const auto& [n, v] : pairs) {
    j = std::copy(n.begin(), n.end(), j);
    *j++ = kSep;
    j = std::copy(v.begin(), v.end(), j);
    *j++ = kSep;
  }
  return XxHash64(std::string_view(joined, size));
}

bool Labels::IsCanonical(std::span<const std::pair<std::string_view, std::string_view>> pairs) {
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (pairs[i].second.empty()) return false;
    if (i > 0 && !(pairs[i - 1].first < pairs[i].first)) return false;
  }
  return true;
}

bool Labels::EqualsPairs(
    std::span<const std::pair<std::string_view, std::string_view>> pairs) const {
  if (size() != pairs.size()) return false;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const Label& l = (*this)[i];
    if (l.name != pairs[i].first || l.value != pairs[i].second) return false;
  }
  return true;
}

std::string Labels::ToString() const {
  std::string out = "{";
  bool first = true;
  for (const Label& l : *this) {
    if (!first) out += ", ";
    first = false;
    AppendName(&out, l.name);
    out += '=';
    AppendQuoted(&out, l.value);
  }
  out += '}';
  return out;
}

std::string Labels::ToSeriesString() const {
  std::string out;
  std::string_view name = MetricName();
  bool legacy_name = !name.empty() && IsValidMetricName(name);
  if (legacy_name) out.append(name);
  out += '{';
  bool first = true;
  if (!name.empty() && !legacy_name) {
    AppendQuoted(&out, name);
    first = false;
  }
  for (const Label& l : *this) {
    if (l.name == kMetricName) continue;
    if (!first) out += ", ";
    first = false;
    AppendName(&out, l.name);
    out += '=';
    AppendQuoted(&out, l.value);
  }
  out += '}';
  if (legacy_name && out.size() == name.size() + 2) out.resize(name.size());  // "up{}" -> "up"
  return out;
}

bool operator==(const Labels& a, const Labels& b) {
  if (a.rep_ == b.rep_) return true;
  if (a.Hash() != b.Hash() || a.size() != b.size()) return false;
  // Pairwise rather than buffer comparison: values may contain the \xff separator.
  return std::equal(a.begin(), a.end(), b.begin());
}

std::strong_ordering operator<=>(const Labels& a, const Labels& b) {
  std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (auto c = a[i].name.compare(b[i].name); c != 0) return c <=> 0;
    if (auto c = a[i].value.compare(b[i].value); c != 0) return c <=> 0;
  }
  return a.size() <=> b.size();
}

void LabelsBuilder::Reset(const Labels& base) {
  pairs_.clear();
  pairs_.reserve(base.size() + 2);
  for (const Label& l : base) pairs_.emplace_back(l.name, l.value);
}

LabelsBuilder& LabelsBuilder::Set(std::string_view name, std::string_view value) {
  if (value.empty()) return Del(name);
  auto it = std::lower_bound(pairs_.begin(), pairs_.end(), name,
                             [](const auto& p, std::string_view n) { return p.first < n; });
  if (it != pairs_.end() && it->first == name) {
    it->second.assign(value);
  } else {
    pairs_.emplace(it, std::string(name), std::string(value));
  }
  return *this;
}

LabelsBuilder& LabelsBuilder::Del(std::string_view name) {
  auto it = std::lower_bound(pairs_.begin(), pairs_.end(), name,
                             [](const auto& p, std::string_view n) { return p.first < n; });
  if (it != pairs_.end() && it->first == name) pairs_.erase(it);
  return *this;
}

std::string_view LabelsBuilder::Get(std::string_view name) const {
  auto it = std::lower_bound(pairs_.begin(), pairs_.end(), name,
                             [](const auto& p, std::string_view n) { return p.first < n; });
  return it != pairs_.end() && it->first == name ? std::string_view(it->second)
                                                 : std::string_view();
}

Labels LabelsBuilder::Build() const {
  Pairs views;
  views.reserve(pairs_.size());
  for (const auto& [n, v] : pairs_) views.emplace_back(n, v);
  return Labels::FromSortedUnique(views);
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool IsValidMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

void AppendQuoted(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      std::size_t next = i;
      std::uint32_t rune;
      if (DecodeUtf8(s, &next, &rune)) {
        out->append(s.substr(i, next - i));
        i = next;
        continue;
      }
    }
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\a': out->append("\\a"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\v': out->append("\\v"); break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          out->append("\\x");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

}  // namespace hw::model
