// libFuzzer target for the TextParser (clang only; see CMakeLists.txt):
//   ./text_parser_fuzz -max_len=4096 NEW_DIR src/scrape/fuzz_corpus/text
//   (new inputs go to the first directory; keep the seed corpus out of it)
// Checks what the robustness test checks: no crash, no sanitizer report, errors are
// kBadData and name a line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "scrape/text_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  hw::scrape::TextParser parser(body);
  while (true) {
    hw::Result<hw::scrape::Entry> e = parser.Next();
    if (!e.ok()) {
      if (e.status().code() != hw::StatusCode::kBadData ||
          e.status().message().rfind("line ", 0) != 0) {
        std::abort();
      }
      break;
    }
    if (*e == hw::scrape::Entry::kEof) break;
    if (*e == hw::scrape::Entry::kSample && parser.sample().name.empty()) std::abort();
  }
  (void)hw::scrape::ParseAll(body, hw::scrape::Format::kPrometheusText);
  return 0;
}
