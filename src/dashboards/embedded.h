// The examples/hastecrm pack's dashboard files, compiled in: CMake generates
// embedded.cc from examples/hastecrm/dashboards/*.json (embed.cmake), so the pack's
// files are the only copy.
#pragma once

#include <cstddef>

namespace hw::dashboards::internal {

struct EmbeddedFile {
  const char* name;  // "system-overview.json"
  const char* text;
};

extern const EmbeddedFile kEmbeddedFiles[];
extern const std::size_t kEmbeddedFileCount;

}  // namespace hw::dashboards::internal
