// UTF-8, as Go's unicode/utf8 reads it (the reference for Prometheus' label values and
// PromQL strings, Alertmanager's matchers and the JSON the API writes): overlong
// forms, surrogates and code points past U+10FFFF are invalid.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hw {

// Decodes the sequence at s[*i] (*i < s.size()) into *rune and advances *i past it;
// for an invalid one, *rune is U+FFFD, *i advances one byte and the result is false.
bool DecodeUtf8(std::string_view s, std::size_t* i, std::uint32_t* rune);

// Appends the encoding of `rune` (at most U+10FFFF).
void AppendUtf8(std::uint32_t rune, std::string* out);

bool ValidUtf8(std::string_view s);

// `s` with each invalid byte replaced by U+FFFD (as Go's encoding/json writes invalid
// bytes), so text that came in as raw bytes can be written as JSON.
std::string ToValidUtf8(std::string_view s);

}  // namespace hw
