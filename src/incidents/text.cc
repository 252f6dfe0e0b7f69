#include "incidents/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

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

std::string OneLine(std::string_view text, std::size_t max_bytes) {
  constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
  const std::size_t newline = text.find('\n');
  std::string line;
  for (std::size_t i = 0; i < text.size() && i < newline;) {
    const std::size_t start = i;
    std::uint32_t rune;
    if (DecodeUtf8(text, &i, &rune) && rune >= 0x20 && rune != 0x7F) {
      line.append(text.substr(start, i - start));
    } else {
      line += "\xEF\xBF\xBD";
    }
  }
  if (newline == std::string_view::npos && line.size() <= max_bytes) return line;
  // Cut on a character boundary, leaving room for the ellipsis.
  std::size_t keep = max_bytes >= kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  keep = std::min(keep, line.size());
  while (keep > 0 && (static_cast<unsigned char>(line[keep]) & 0xC0) == 0x80) --keep;
  line.resize(keep);
  if (line.size() + kEllipsis.size() <= max_bytes) line += kEllipsis;
  return line;
}

}  // namespace hw::incidents
