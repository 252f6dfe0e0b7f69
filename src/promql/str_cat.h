// StrCat: concatenation without temporaries. (GCC 12 warns -Wrestrict, falsely, on
// `"literal" + std::string&&`; building strings by appending avoids that pattern.)
// Internal to src/promql.
#pragma once

#include <string>
#include <string_view>

namespace hw::promql {

template <typename... Parts>
std::string StrCat(const Parts&... parts) {
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}

}  // namespace hw::promql
