#include "incidents/text.h"

#include <fmt/format.h>

#include "base/utf8.h"

namespace hw::incidents {

Status CheckText(std::string_view what, std::string_view text, std::size_t max_bytes,
                 TextShape shape, bool required) {
  if (text.size() > max_bytes) {
    return Status::BadData(
        fmt::format("{}: {} bytes, at most {} are allowed", what, text.size(), max_bytes));
  }
  if (!ValidUtf8(text)) return Status::BadData(fmt::format("{}: not valid UTF-8", what));
  bool blank = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space) blank = false;
    const bool control = c < 0x20 || c == 0x7F;
    const bool allowed = shape == TextShape::kMultiline && space;
    if (control && !allowed) {
      return Status::BadData(fmt::format("{}: control character U+{:04X} at byte {}{}", what, c,
                                         i, shape == TextShape::kLine ? " (one line expected)" : ""));
    }
  }
  if (required && blank) return Status::BadData(fmt::format("{}: is empty", what));
  return Status::Ok();
}

}  // namespace hw::incidents
