#include "newswatch/text/tokenizer.hpp"

#include <utf8proc.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <array>
#include <bit>
#include <cstring>
#include <optional>
#include <vector>

#include "newswatch/text/normalize.hpp"
#include "newswatch/text/utf8.hpp"

namespace newswatch::text {
namespace {

bool is_ideograph(char32_t c) noexcept {
  return (c >= 0x2E80 && c <= 0x2FDF) ||    // CJK and Kangxi radicals
         c == 0x3005 || c == 0x3007 ||      // iteration mark, ideographic zero
         (c >= 0x3021 && c <= 0x3029) ||    // Hangzhou numerals
         (c >= 0x3038 && c <= 0x303B) ||    //
         (c >= 0x3040 && c <= 0x30FF) ||    // Hiragana, Katakana
         (c >= 0x31F0 && c <= 0x31FF) ||    // Katakana phonetic extensions
         (c >= 0x3400 && c <= 0x4DBF) ||    // CJK extension A
         (c >= 0x4E00 && c <= 0x9FFF) ||    // CJK unified ideographs
         (c >= 0xF900 && c <= 0xFAFF) ||    // CJK compatibility ideographs
         (c >= 0xFF66 && c <= 0xFF9F) ||    // halfwidth Katakana (NFKC widens it, kept for safety)
         (c >= 0x1B000 && c <= 0x1B16F) ||  // Kana supplement and extended
         (c >= 0x20000 && c <= 0x3FFFF);    // CJK extensions B and later
}

bool is_letter_or_digit(char32_t c) noexcept {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: return true;
    default: return false;
  }
}

}  // namespace

CharClass classify(char32_t code_point) noexcept {
  if (code_point < 0x80) {
    const bool alnum = (code_point >= U'a' && code_point <= U'z') || (code_point >= U'0' && code_point <= U'9') ||
                       (code_point >= U'A' && code_point <= U'Z');
    return alnum ? CharClass::word : CharClass::separator;
  }
  if (is_ideograph(code_point)) {
    return CharClass::ideograph;
  }
  return is_letter_or_digit(code_point) ? CharClass::word : CharClass::separator;
}

namespace {

constexpr std::uint64_t every_byte(std::uint8_t byte) noexcept {
  return 0x0101010101010101ULL * byte;
}

constexpr std::uint64_t high_bits = every_byte(0x80);

// The fast path reads eight bytes as one little-endian word: byte i of the text is bits 8i..8i+7.
static_assert(std::endian::native == std::endian::little, "the ASCII fast path assumes a little-endian machine");

// For eight ASCII bytes (all below 0x80): 0x80 in each byte within [low, high], 0 elsewhere.
// Adding 0x80 - low sets a byte's high bit iff it is >= low, adding 0x7F - high iff it is > high;
// no byte carries into the next since every sum stays below 0x100.
constexpr std::uint64_t bytes_in_range(std::uint64_t word, std::uint8_t low, std::uint8_t high) noexcept {
  const std::uint64_t at_least_low = word + every_byte(static_cast<std::uint8_t>(0x80 - low));
  const std::uint64_t above_high = word + every_byte(static_cast<std::uint8_t>(0x7F - high));
  return at_least_low & ~above_high & high_bits;
}

#if defined(__SSE2__)
// For 16 ASCII bytes: stores them case-folded at `out` and gives bit i set for a letter or digit
// at byte i.
std::uint32_t fold_ascii_bytes(__m128i bytes, char* out) noexcept {
  // Signed compares: every byte is below 0x80 here.
  const auto in_range = [](__m128i values, char low, char high) {
    return _mm_and_si128(_mm_cmpgt_epi8(values, _mm_set1_epi8(static_cast<char>(low - 1))),
                         _mm_cmplt_epi8(values, _mm_set1_epi8(static_cast<char>(high + 1))));
  };
  const __m128i folded = _mm_or_si128(bytes, _mm_and_si128(in_range(bytes, 'A', 'Z'), _mm_set1_epi8(0x20)));
  const __m128i token_bytes = _mm_or_si128(in_range(folded, 'a', 'z'), in_range(bytes, '0', '9'));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), folded);
  return static_cast<std::uint32_t>(_mm_movemask_epi8(token_bytes));
}

// As fold_ascii_bytes() for the 16 bytes at `in`; nullopt (and nothing stored) when one is not ASCII.
std::optional<std::uint32_t> fold_ascii_block(const char* in, char* out) noexcept {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
  if (_mm_movemask_epi8(bytes) != 0) {
    return std::nullopt;
  }
  return fold_ascii_bytes(bytes, out);
}

// As fold_ascii_block() for 64 bytes: bit i set for a letter or digit at byte i.
std::optional<std::uint64_t> fold_ascii_wide_block(const char* in, char* out) noexcept {
  const auto load = [in](std::size_t quarter) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 16 * quarter));
  };
  const __m128i first = load(0);
  const __m128i second = load(1);
  const __m128i third = load(2);
  const __m128i fourth = load(3);
  if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(first, second), _mm_or_si128(third, fourth))) != 0) {
    return std::nullopt;
  }
  return std::uint64_t{fold_ascii_bytes(first, out)} | std::uint64_t{fold_ascii_bytes(second, out + 16)} << 16U |
         std::uint64_t{fold_ascii_bytes(third, out + 32)} << 32U |
         std::uint64_t{fold_ascii_bytes(fourth, out + 48)} << 48U;
}
#endif

// The normalised form and class of every code point below fold_table_size, computed once: Latin,
// Greek, Cyrillic, Hebrew, Arabic, the Indic scripts and general punctuation then cost a lookup
// instead of a decomposition and a category query per character. normalize_next() and classify()
// are context-free, so an entry is exactly what they give and the two paths cannot disagree.
constexpr char32_t fold_table_size = 0x3000;
constexpr std::size_t folded_inline = 3;

struct FoldedCodePoint {
  std::array<char32_t, folded_inline> code_points{};
  std::array<CharClass, folded_inline> kinds{};
  std::uint8_t count = 0;
  bool cached = false;  ///< False: it expands to more code points than fit, take the slow path.
};

// Blocks above the table that normalize_next() leaves unchanged, one code point for one: no
// compatibility or canonical decomposition, no case, no marks. Chinese, Japanese and Korean text is
// mostly these, and this way skips a decomposition per character.
constexpr bool folds_to_itself(char32_t code_point) noexcept {
  return (code_point >= 0x3400 && code_point <= 0x4DBF) ||  // CJK unified ideographs extension A
         (code_point >= 0x4E00 && code_point <= 0x9FFF) ||  // CJK unified ideographs
         (code_point >= 0xAC00 && code_point <= 0xD7A3);    // Hangul syllables (kept precomposed)
}

const std::vector<FoldedCodePoint>& fold_table() {
  static const std::vector<FoldedCodePoint> table = [] {
    std::vector<FoldedCodePoint> entries(fold_table_size);
    NormalizedChars chars;
    std::array<char, 4> bytes{};
    for (char32_t code_point = 0x80; code_point < fold_table_size; ++code_point) {
      const std::size_t length = encode_utf8(code_point, bytes.data());
      normalize_next(std::string_view(bytes.data(), length), 0, chars);
      if (chars.count > folded_inline) {
        continue;
      }
      FoldedCodePoint& entry = entries[code_point];
      entry.cached = true;
      entry.count = static_cast<std::uint8_t>(chars.count);
      for (std::size_t i = 0; i < chars.count; ++i) {
        entry.code_points.at(i) = chars.code_points.at(i);
        entry.kinds.at(i) = classify(chars.code_points.at(i));
      }
    }
    return entries;
  }();
  return table;
}

// A token being built: where it starts in the output text and in the input.
struct TokenBuilder {
  TokenList& out;
  bool in_token = false;
  TokenRef current;

  void open(std::size_t text_at, std::size_t begin, std::size_t end) {
    current = TokenRef{static_cast<std::uint32_t>(text_at), 0, static_cast<std::uint32_t>(begin),
                       static_cast<std::uint32_t>(end)};
    in_token = true;
  }
  void close(std::size_t text_at) {
    if (in_token) {
      current.text_end = static_cast<std::uint32_t>(text_at);
      out.tokens.push_back(current);
      in_token = false;
    }
  }
  /// Opens and closes tokens at the boundaries of an ASCII run read at `offset` and written at
  /// `written`: bit `at * stride` of `boundaries` marks byte `at`, whose token-ness differs from
  /// the byte's before it. Boundaries alternate between a token's start and the byte after its
  /// end, so after the first one (which closes the open token, if any) they are taken in pairs:
  /// one branch per token instead of one per boundary.
  template <unsigned stride, typename Bits>
  void walk(Bits boundaries, std::size_t offset, std::size_t written) {
    if (boundaries == 0) {
      return;
    }
    if (in_token) {
      const auto at = static_cast<std::size_t>(std::countr_zero(boundaries)) / stride;
      // At byte 0 the token's last character came before this run and already set its end (a
      // default-ignorable such as a soft hyphen may sit between them).
      if (at > 0) {
        current.end = static_cast<std::uint32_t>(offset + at);
      }
      close(written + at);
      boundaries &= boundaries - 1;
    }
    while (boundaries != 0) {
      const auto start = static_cast<std::size_t>(std::countr_zero(boundaries)) / stride;
      boundaries &= boundaries - 1;
      if (boundaries == 0) {
        open(written + start, offset + start, 0);  // It goes on past this run.
        return;
      }
      const auto stop = static_cast<std::size_t>(std::countr_zero(boundaries)) / stride;
      boundaries &= boundaries - 1;
      out.tokens.push_back(
          TokenRef{static_cast<std::uint32_t>(written + start), static_cast<std::uint32_t>(written + stop),
                   static_cast<std::uint32_t>(offset + start), static_cast<std::uint32_t>(offset + stop)});
    }
  }
  /// Takes `width` ASCII bytes read at `offset` and written at `written`, whose letters and digits
  /// are the set bits of `token_bytes`: bit `i * stride + stride - 1` for byte i.
  template <std::size_t width, unsigned stride, typename Bits>
  void take_ascii_run(Bits token_bytes, std::size_t offset, std::size_t written) {
    constexpr std::size_t bits = width * stride;
    constexpr Bits in_run = bits == 8 * sizeof(Bits) ? ~Bits{0} : static_cast<Bits>((Bits{1} << bits) - 1U);
    constexpr Bits first_bit = Bits{1} << (stride - 1);
    // A boundary is a byte whose token-ness differs from the byte before it.
    const auto before = static_cast<Bits>(((token_bytes << stride) & in_run) | (in_token ? first_bit : Bits{0}));
    walk<stride>(static_cast<Bits>(token_bytes ^ before), offset, written);
    if ((token_bytes >> (bits - 1)) != 0) {
      current.end = static_cast<std::uint32_t>(offset + width);
    }
  }
};

}  // namespace

void tokenize_into(std::string_view utf8, TokenList& out) {
  // out.text is used as a buffer with `written` bytes in use and slack behind them, so that eight
  // bytes can always be stored at once; it is cut to size at the end. ASCII maps byte for byte, so
  // separators are copied along with token bytes: only the token ranges are read back.
  static constexpr std::size_t chunk = 8;
  [[maybe_unused]] static constexpr std::size_t block = 16;
  [[maybe_unused]] static constexpr std::size_t wide_block = 64;
  static constexpr std::size_t slow_path_room = 4 * max_expansion + chunk;
  out.tokens.clear();
  // At most one token per two bytes ("a b c"): reserving that avoids regrowing the list.
  out.tokens.reserve(utf8.size() / 2 + 1);
  out.text.resize(utf8.size() + slow_path_room);
  std::size_t written = 0;
  TokenBuilder builder{out, false, {}};
  NormalizedChars chars;
  const std::vector<FoldedCodePoint>& table = fold_table();
  std::size_t offset = 0;
  while (offset < utf8.size()) {
#if defined(__SSE2__)
    // Sixty-four ASCII bytes at a time, as four blocks of sixteen with one mask for all of them:
    // running text has a word boundary every few bytes, and this walks them with fewer branches.
    if (offset + wide_block <= utf8.size() && written + wide_block <= out.text.size()) {
      if (const auto token_bytes = fold_ascii_wide_block(utf8.data() + offset, out.text.data() + written)) {
        builder.take_ascii_run<wide_block, 1>(*token_bytes, offset, written);
        offset += wide_block;
        written += wide_block;
        continue;
      }
    }
    // Sixteen ASCII bytes at a time, as the eight below but one bit per byte.
    if (offset + block <= utf8.size() && written + block <= out.text.size()) {
      if (const auto token_bytes = fold_ascii_block(utf8.data() + offset, out.text.data() + written)) {
        builder.take_ascii_run<block, 1>(*token_bytes, offset, written);
        offset += block;
        written += block;
        continue;
      }
    }
#endif
    std::uint64_t word = 0;
    if (offset + chunk <= utf8.size()) {
      std::memcpy(&word, utf8.data() + offset, chunk);
    }
    // Expansions in the slow path can leave less than a chunk of room behind `written`.
    if (offset + chunk <= utf8.size() && written + chunk <= out.text.size() && (word & high_bits) == 0) {
      // Fast path, eight ASCII bytes at a time: classify and case-fold them as a word, then walk
      // only the token boundaries.
      const std::uint64_t letters = bytes_in_range(word | every_byte(0x20), 'a', 'z');
      const std::uint64_t token_bytes = letters | bytes_in_range(word, '0', '9');
      const std::uint64_t folded = word | (bytes_in_range(word, 'A', 'Z') >> 2U);
      std::memcpy(out.text.data() + written, &folded, chunk);
      builder.take_ascii_run<chunk, 8>(token_bytes, offset, written);
      offset += chunk;
      written += chunk;
      continue;
    }
    if (out.text.size() < written + slow_path_room) {
      out.text.resize(2 * out.text.size() + slow_path_room);
    }
    const auto byte = static_cast<unsigned char>(utf8[offset]);
    std::size_t length = 1;
    const FoldedCodePoint* folded = nullptr;
    if (byte < 0x80) {
      chars.code_points[0] = fold_ascii(byte);
      chars.count = 1;
    } else {
      const DecodedCodePoint decoded = decode_utf8(utf8, offset);
      if (decoded.valid && decoded.code_point < fold_table_size && table[decoded.code_point].cached) {
        folded = &table[decoded.code_point];
        length = decoded.length;
      } else if (decoded.valid && folds_to_itself(decoded.code_point)) {
        chars.code_points[0] = decoded.code_point;
        chars.count = 1;
        length = decoded.length;
      } else {
        length = normalize_next(utf8, offset, chars);
      }
    }
    const std::size_t end = offset + length;
    const std::size_t count = folded != nullptr ? folded->count : chars.count;
    for (std::size_t i = 0; i < count; ++i) {
      const char32_t code_point = folded != nullptr ? folded->code_points.at(i) : chars.code_points.at(i);
      const CharClass kind = folded != nullptr ? folded->kinds.at(i) : classify(code_point);
      if (kind == CharClass::separator) {
        builder.close(written);
        continue;
      }
      if (kind == CharClass::ideograph) {
        builder.close(written);
      }
      if (!builder.in_token) {
        builder.open(written, offset, end);
      }
      builder.current.end = static_cast<std::uint32_t>(end);
      written += encode_utf8(code_point, out.text.data() + written);
      if (kind == CharClass::ideograph) {
        builder.close(written);
      }
    }
    offset = end;
  }
  builder.close(written);
  out.text.resize(written);
}

void tokenize_fields(std::string_view title, std::string_view summary, std::string_view content, FieldTokens& out) {
  tokenize_into(title, out.title);
  tokenize_into(summary, out.summary);
  tokenize_into(content, out.content);
}

std::vector<Token> tokenize(std::string_view utf8) {
  TokenList list;
  tokenize_into(utf8, list);
  std::vector<Token> tokens;
  tokens.reserve(list.tokens.size());
  for (std::size_t i = 0; i < list.tokens.size(); ++i) {
    tokens.push_back(Token{std::string(list.token_text(i)), list.tokens[i].begin, list.tokens[i].end});
  }
  return tokens;
}

std::size_t count_code_points(std::string_view utf8) noexcept {
  std::size_t count = 0;
  for (const char byte : utf8) {
    if ((static_cast<unsigned char>(byte) & 0xC0) != 0x80) {
      ++count;
    }
  }
  return count;
}

}  // namespace newswatch::text
