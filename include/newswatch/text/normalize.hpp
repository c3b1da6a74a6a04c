#pragma once

#include "newswatch/text/utf8.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace newswatch::text {

/// Normalises text for matching: NFKC, full case folding, diacritics removed (é→e, ß→ss), Turkish
/// dotted/dotless i folded to i, Arabic alef forms, teh marbuta, alef maksura, tatweel and harakat
/// unified. Separators stay (normalised too); invalid UTF-8 bytes become U+FFFD. Rules and items go
/// through the same function, so whatever it does, both sides agree.
std::string normalize(std::string_view utf8);

/// The most code points one input code point expands to (utf8proc's longest mapping is 18).
inline constexpr std::size_t max_expansion = 32;

/// The normalised form of one input code point.
struct NormalizedChars {
  std::array<char32_t, max_expansion> code_points{};
  std::size_t count = 0;
};

/// Decodes the code point at `utf8[offset]` (an invalid byte reads as U+FFFD and consumes one byte),
/// writes its normalised form to `out` and returns the bytes consumed.
std::size_t normalize_next(std::string_view utf8, std::size_t offset, NormalizedChars& out);

/// Case-folds an ASCII byte; the ASCII fast path of normalisation.
constexpr char32_t fold_ascii(unsigned char byte) noexcept {
  return (byte >= 'A' && byte <= 'Z') ? static_cast<char32_t>(byte - 'A' + 'a') : static_cast<char32_t>(byte);
}

/// Streams the normalised code points of `utf8`: sink(code_point, begin, end) with [begin, end) the
/// byte range of the input code point it came from. ASCII never leaves this loop.
template <typename Sink>
void for_each_normalized(std::string_view utf8, Sink&& sink) {
  NormalizedChars chars;
  std::size_t offset = 0;
  while (offset < utf8.size()) {
    const auto byte = static_cast<unsigned char>(utf8[offset]);
    if (byte < 0x80) {
      sink(fold_ascii(byte), static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(offset + 1));
      ++offset;
      continue;
    }
    const std::size_t length = normalize_next(utf8, offset, chars);
    for (std::size_t i = 0; i < chars.count; ++i) {
      sink(chars.code_points[i], static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(offset + length));
    }
    offset += length;
  }
}

}  // namespace newswatch::text
