// Typed, position-aware reading of YAML config with yaml-cpp.
//
// Every config section is read through a MapReader, which checks each key's type and
// value, remembers which keys it consumed, and reports anything else as an unknown
// key. Errors never stop the read: they accumulate in YamlContext as
// "file:line:column: <key path>: <what is wrong>", so check-config shows all of them
// at once. Include this header only from config .cc files (yaml-cpp stays out of
// widely included headers).
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "base/units.h"

namespace hw::config {

class YamlContext {
 public:
  explicit YamlContext(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }
  // Records an error at the node's position (1-based line and column).
  void Error(const YAML::Node& at, std::string_view key_path, std::string_view message);
  void ErrorAt(const YAML::Mark& mark, std::string_view key_path, std::string_view message);
  const std::vector<std::string>& errors() const { return errors_; }
  bool ok() const { return errors_.empty(); }

 private:
  std::string file_;
  std::vector<std::string> errors_;
};

// "server" + "listen" -> "server.listen"; "" + "server" -> "server".
std::string JoinPath(std::string_view parent, std::string_view key);

class MapReader {
 public:
  // `node` must be a map (or null/absent, read as empty); otherwise an error is recorded.
  MapReader(YamlContext& ctx, const YAML::Node& node, std::string path);

  bool is_map() const { return is_map_; }
  const std::string& path() const { return path_; }
  YamlContext& ctx() { return ctx_; }

  // The value of `key`, marking it consumed; an undefined node if absent.
  YAML::Node Take(std::string_view key);
  bool Has(std::string_view key) const;

  // Each reads `key` if present: true when present and valid (then *out is set).
  // Absent keys leave *out alone (its default); invalid ones record an error.
  bool String(std::string_view key, std::string* out);
  bool Duration(std::string_view key, hw::Duration* out);
  bool Bytes(std::string_view key, std::uint64_t* out);
  bool Int(std::string_view key, std::int64_t* out, std::int64_t min, std::int64_t max);
  bool Bool(std::string_view key, bool* out);
  // One of `allowed`, case-sensitive.
  bool Enum(std::string_view key, const std::vector<std::string_view>& allowed,
            std::string* out);
  // A sequence: calls fn(item, "path[i]") for each element.
  bool List(std::string_view key,
            const std::function<void(const YAML::Node&, const std::string&)>& fn);

  // Reports each key that no accessor took. Call once, after reading.
  void Finish();

 private:
  YamlContext& ctx_;
  YAML::Node node_;
  std::string path_;
  bool is_map_ = false;
  std::set<std::string, std::less<>> taken_;
};

// Scalar checks shared by the readers above and by list items.
bool ReadScalarString(YamlContext& ctx, const YAML::Node& n, std::string_view path,
                      std::string* out);

}  // namespace hw::config
