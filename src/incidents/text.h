// What people type into an incident (titles, notes, post-mortems, action items) is
// checked before it is stored: it is paged to phones, listed by the CLI one line per
// incident and served to every reader, so it must be text, of a sensible size.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace hw::incidents {

inline constexpr std::size_t kMaxTitleBytes = 1024;  // PagerDuty's summary limit
inline constexpr std::size_t kMaxNoteBytes = 64 * 1024;
// Post-mortems of real incidents run to tens of KiB; the bound also bounds the
// markdown renderer's work per preview.
inline constexpr std::size_t kMaxPostmortemBytes = 256 * 1024;
inline constexpr std::size_t kMaxActionItemBytes = 1024;
inline constexpr std::size_t kMaxOwnerBytes = 256;

// kLine: no control characters at all; kMultiline: newlines, carriage returns and tabs.
enum class TextShape { kLine, kMultiline };

// BadData naming `what` ("title") when `text` is blank (required only), longer than
// `max_bytes`, not UTF-8, or holds a control character its shape does not allow.
Status CheckText(std::string_view what, std::string_view text, std::size_t max_bytes,
                 TextShape shape, bool required = true);

// The first line of `text` as text that passes CheckText's kLine: invalid bytes and
// control characters as U+FFFD, cut to at most `max_bytes` (on a character boundary,
// ending in "…" when cut). For what the server writes from stored or received text.
std::string OneLine(std::string_view text, std::size_t max_bytes);

}  // namespace hw::incidents
