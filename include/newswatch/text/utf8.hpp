#pragma once

#include <array>
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

/// Writes `code_point` as UTF-8 to `out` (room for 4 bytes) and returns the bytes written;
/// surrogates and values above U+10FFFF become U+FFFD.
inline std::size_t encode_utf8(char32_t code_point, char* out) noexcept {
  if ((code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF) {
    code_point = replacement_character;
  }
  if (code_point < 0x80) {
    out[0] = static_cast<char>(code_point);
    return 1;
  }
  if (code_point < 0x800) {
    out[0] = static_cast<char>(0xC0 | (code_point >> 6));
    out[1] = static_cast<char>(0x80 | (code_point & 0x3F));
    return 2;
  }
  if (code_point < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (code_point >> 12));
    out[1] = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (code_point & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (code_point >> 18));
  out[1] = static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (code_point & 0x3F));
  return 4;
}

/// Appends `code_point` as UTF-8; surrogates and values above U+10FFFF become U+FFFD.
inline void append_utf8(std::string& out, char32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
    return;
  }
  std::array<char, 4> bytes{};
  out.append(bytes.data(), encode_utf8(code_point, bytes.data()));
}

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
