#include "base/utf8.h"

#include <cstring>

namespace hw {

bool DecodeUtf8(std::string_view s, std::size_t* i, std::uint32_t* rune) {
  const auto c = static_cast<unsigned char>(s[*i]);
  if (c < 0x80) {
    *rune = c;
    ++*i;
    return true;
  }
  auto invalid = [&] {
    *rune = 0xFFFD;
    ++*i;
    return false;
  };
  std::size_t len;
  std::uint32_t r;
  if ((c & 0xE0) == 0xC0) {
    len = 2, r = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, r = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, r = c & 0x07;
  } else {
    return invalid();
  }
  if (*i + len > s.size()) return invalid();
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[*i + k]);
    if ((b & 0xC0) != 0x80) return invalid();
    r = (r << 6) | (b & 0x3F);
  }
  static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (r < kMin[len] || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) return invalid();
  *rune = r;
  *i += len;
  return true;
}

void AppendUtf8(std::uint32_t rune, std::string* out) {
  if (rune < 0x80) {
    out->push_back(static_cast<char>(rune));
  } else if (rune < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (rune >> 6)));
    out->push_back(static_cast<char>(0x80 | (rune & 0x3F)));
  } else if (rune < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (rune >> 12)));
    out->push_back(static_cast<char>(0x80 | ((rune >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (rune & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (rune >> 18)));
    out->push_back(static_cast<char>(0x80 | ((rune >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((rune >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (rune & 0x3F)));
  }
}

bool ValidUtf8(std::string_view s) {
  // Every string of every JSON answer passes here: ASCII is checked 8 bytes at a time.
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if (word & 0x8080808080808080ULL) break;
  }
  std::uint32_t rune;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
    } else if (!DecodeUtf8(s, &i, &rune)) {
      return false;
    }
  }
  return true;
}

std::string ToValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::uint32_t rune;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    if (DecodeUtf8(s, &i, &rune)) {
      out.append(s.substr(start, i - start));
    } else {
      out += "\xEF\xBF\xBD";
    }
  }
  return out;
}

}  // namespace hw
