#include "config/yaml_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace hw::config {
namespace {

std::string_view KindName(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null: return "null";
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Undefined: return "nothing";
  }
  return "something else";
}

}  // namespace

void YamlContext::Error(const YAML::Node& at, std::string_view key_path,
                        std::string_view message) {
  ErrorAt(at.Mark(), key_path, message);
}

void YamlContext::ErrorAt(const YAML::Mark& mark, std::string_view key_path,
                          std::string_view message) {
  std::string where = file_;
  if (!mark.is_null()) where += fmt::format(":{}:{}", mark.line + 1, mark.column + 1);
  if (key_path.empty()) {
    errors_.push_back(fmt::format("{}: {}", where, message));
  } else {
    errors_.push_back(fmt::format("{}: {}: {}", where, key_path, message));
  }
}

std::string JoinPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return fmt::format("{}.{}", parent, key);
}

MapReader::MapReader(YamlContext& ctx, const YAML::Node& node, std::string path)
    : ctx_(ctx), node_(node), path_(std::move(path)) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    ctx_.Error(node, path_, fmt::format("expected a map, got {}", KindName(node)));
    return;
  }
  is_map_ = true;
  // yaml-cpp keeps the last of duplicate keys silently; a config with two values
  // for one key is a mistake worth naming.
  std::set<std::string> seen;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) {
      ctx_.Error(kv.first, path_, "keys must be plain strings");
      continue;
    }
    if (!seen.insert(kv.first.Scalar()).second) {
      ctx_.Error(kv.first, JoinPath(path_, kv.first.Scalar()), "duplicate key");
    }
  }
}

YAML::Node MapReader::Take(std::string_view key) {
  if (!is_map_) return YAML::Node(YAML::NodeType::Undefined);
  taken_.emplace(key);
  for (const auto& kv : node_) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.second;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

bool MapReader::Has(std::string_view key) const {
  if (!is_map_) return false;
  for (const auto& kv : node_) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return true;
  }
  return false;
}

bool ReadScalarString(YamlContext& ctx, const YAML::Node& n, std::string_view path,
                      std::string* out) {
  if (!n.IsScalar()) {
    ctx.Error(n, path, fmt::format("expected a string, got {}", KindName(n)));
    return false;
  }
  *out = n.Scalar();
  return true;
}

bool MapReader::String(std::string_view key, std::string* out) {
  YAML::Node n = Take(key);
  if (!n.IsDefined()) return false;
  return ReadScalarString(ctx_, n, JoinPath(path_, key), out);
}

bool MapReader::Duration(std::string_view key, hw::Duration* out) {
  std::string s;
  if (!String(key, &s)) return false;
  Result<hw::Duration> d = ParseDuration(s);
  if (!d.ok()) {
    ctx_.Error(Take(key), JoinPath(path_, key), d.status().message());
    return false;
  }
  *out = *d;
  return true;
}

bool MapReader::Bytes(std::string_view key, std::uint64_t* out) {
  std::string s;
  if (!String(key, &s)) return false;
  Result<std::uint64_t> b = ParseBytes(s);
  if (!b.ok()) {
    ctx_.Error(Take(key), JoinPath(path_, key), b.status().message());
    return false;
  }
  *out = *b;
  return true;
}

bool MapReader::Int(std::string_view key, std::int64_t* out, std::int64_t min,
                    std::int64_t max) {
  YAML::Node n = Take(key);
  if (!n.IsDefined()) return false;
  std::string path = JoinPath(path_, key);
  std::int64_t v = 0;
  if (!n.IsScalar() || !YAML::convert<std::int64_t>::decode(n, v)) {
    ctx_.Error(n, path, fmt::format("expected an integer, got {}",
                                    n.IsScalar() ? "\"" + n.Scalar() + "\"" : KindName(n)));
    return false;
  }
  if (v < min || v > max) {
    ctx_.Error(n, path, fmt::format("{} is out of range [{}, {}]", v, min, max));
    return false;
  }
  *out = v;
  return true;
}

bool MapReader::Bool(std::string_view key, bool* out) {
  YAML::Node n = Take(key);
  if (!n.IsDefined()) return false;
  bool v = false;
  if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
    ctx_.Error(n, JoinPath(path_, key), "expected true or false");
    return false;
  }
  *out = v;
  return true;
}

bool MapReader::Enum(std::string_view key, const std::vector<std::string_view>& allowed,
                     std::string* out) {
  std::string s;
  if (!String(key, &s)) return false;
  for (std::string_view a : allowed) {
    if (s == a) {
      *out = s;
      return true;
    }
  }
  ctx_.Error(Take(key), JoinPath(path_, key),
             fmt::format("\"{}\" is not one of: {}", s, fmt::join(allowed, ", ")));
  return false;
}

bool MapReader::List(std::string_view key,
                     const std::function<void(const YAML::Node&, const std::string&)>& fn) {
  YAML::Node n = Take(key);
  if (!n.IsDefined() || n.IsNull()) return false;
  std::string path = JoinPath(path_, key);
  if (!n.IsSequence()) {
    ctx_.Error(n, path, fmt::format("expected a list, got {}", KindName(n)));
    return false;
  }
  for (size_t i = 0; i < n.size(); ++i) fn(n[i], fmt::format("{}[{}]", path, i));
  return true;
}

void MapReader::Finish() {
  if (!is_map_) return;
  for (const auto& kv : node_) {
    if (!kv.first.IsScalar()) continue;
    const std::string& k = kv.first.Scalar();
    if (taken_.find(k) == taken_.end()) {
      ctx_.Error(kv.first, JoinPath(path_, k), "unknown key");
    }
  }
}

}  // namespace hw::config
