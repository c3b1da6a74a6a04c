#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace newswatch::text {

/// U+FFFD, what invalid input becomes.
inline constexpr char32_t replacement_character = 0xFFFD;

/// One code point read from UTF-8 and the number of bytes it took (at least 1, also when invalid).
struct DecodedCodePoint {
  char32_t code_point = replacement_character;
  std::size_t length = 1;
  bool valid = false;
};

/// Appends `code_point` as UTF-8; surrogates and values above U+10FFFF become U+FFFD.
void append_utf8(std::string& out, char32_t code_point);

/// Decodes the code point starting at `text[pos]` (Unicode §3.9 Table 3-7 well-formed sequences).
/// An ill-formed sequence yields U+FFFD and the length of its maximal subpart (Unicode §3.9, U+FFFD substitution).
DecodedCodePoint decode_utf8(std::string_view text, std::size_t pos) noexcept;

/// True when `text` is entirely well-formed UTF-8.
bool is_valid_utf8(std::string_view text) noexcept;

/// True when `text` is well-formed UTF-8 with at least one multi-byte sequence.
bool is_multibyte_utf8(std::string_view text) noexcept;

/// Appends `text` with every ill-formed sequence replaced by U+FFFD.
void append_valid_utf8(std::string& out, std::string_view text);

/// `text` with every ill-formed sequence replaced by U+FFFD.
std::string to_valid_utf8(std::string_view text);

}  // namespace newswatch::text
