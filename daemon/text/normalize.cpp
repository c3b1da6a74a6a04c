#include "newswatch/text/normalize.hpp"

#include <utf8proc.h>

namespace newswatch::text {
namespace {

// NFKD + full case folding + marks stripped + default-ignorables (soft hyphen, ZWJ) dropped. With
// the marks gone, canonical recomposition has nothing left to compose except Hangul, which
// normalize_next keeps precomposed; so the result equals NFKC_Casefold with diacritics removed.
constexpr auto decompose_options = static_cast<utf8proc_option_t>(
    UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);

constexpr char32_t no_code_point = 0xFFFFFFFF;

// Foldings Unicode case folding leaves alone: Turkish dotless i, and the Arabic-script unifications
// search engines apply (as Lucene's ArabicNormalizer and PersianNormalizer do).
constexpr char32_t fold_special(char32_t code_point) noexcept {
  switch (code_point) {
    case 0x0131: return U'i';           // dotless i (İ already folds to i + U+0307, whose mark is stripped)
    case 0x0671:                        // alef wasla
    case 0x0672:                        // alef with wavy hamza above
    case 0x0673: return 0x0627;         // alef with wavy hamza below
    case 0x0629: return 0x0647;         // teh marbuta -> heh
    case 0x0649: return 0x064A;         // alef maksura -> yeh
    case 0x06CC: return 0x064A;         // Farsi yeh -> yeh
    case 0x06A9: return 0x0643;         // keheh -> kaf
    case 0x0640: return no_code_point;  // tatweel: elongation only
    default: return code_point;
  }
}

bool is_hangul_syllable(char32_t code_point) noexcept {
  return code_point >= 0xAC00 && code_point <= 0xD7A3;
}

}  // namespace

std::size_t normalize_next(std::string_view utf8, std::size_t offset, NormalizedChars& out) {
  out.count = 0;
  utf8proc_int32_t decoded = 0;
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(utf8.data() + offset);
  utf8proc_ssize_t length = utf8proc_iterate(bytes, static_cast<utf8proc_ssize_t>(utf8.size() - offset), &decoded);
  char32_t code_point = static_cast<char32_t>(decoded);
  if (length <= 0) {
    length = 1;
    code_point = replacement_character;
  }
  if (is_hangul_syllable(code_point)) {
    out.code_points[0] = code_point;
    out.count = 1;
    return static_cast<std::size_t>(length);
  }
  std::array<utf8proc_int32_t, max_expansion> buffer{};
  int boundary_class = 0;
  const utf8proc_ssize_t written =
      utf8proc_decompose_char(static_cast<utf8proc_int32_t>(code_point), buffer.data(),
                              static_cast<utf8proc_ssize_t>(buffer.size()), decompose_options, &boundary_class);
  if (written < 0 || static_cast<std::size_t>(written) > buffer.size()) {
    out.code_points[0] = replacement_character;
    out.count = 1;
    return static_cast<std::size_t>(length);
  }
  for (utf8proc_ssize_t i = 0; i < written; ++i) {
    const char32_t folded = fold_special(static_cast<char32_t>(buffer[static_cast<std::size_t>(i)]));
    if (folded != no_code_point) {
      out.code_points[out.count++] = folded;
    }
  }
  return static_cast<std::size_t>(length);
}

std::string normalize(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for_each_normalized(utf8,
                      [&out](char32_t code_point, std::uint32_t, std::uint32_t) { append_utf8(out, code_point); });
  return out;
}

}  // namespace newswatch::text
