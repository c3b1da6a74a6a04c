#include "newswatch/text/html_to_text.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "newswatch/text/ascii.hpp"
#include "newswatch/text/entities.hpp"
#include "newswatch/text/utf8.hpp"

namespace newswatch::text {
namespace {

/// What a byte means to the scanner; everything not listed is plain ASCII text copied in runs.
enum class ByteClass : std::uint8_t { plain, space, open_angle, ampersand, non_ascii };

constexpr std::array<ByteClass, 256> make_byte_classes() {
  std::array<ByteClass, 256> classes{};
  for (std::size_t byte = 0; byte < 0x20; ++byte) {
    classes[byte] = ByteClass::space;  // control characters read as whitespace
  }
  classes[' '] = ByteClass::space;
  classes[0x7F] = ByteClass::space;
  classes['<'] = ByteClass::open_angle;
  classes['&'] = ByteClass::ampersand;
  for (std::size_t byte = 0x80; byte < 0x100; ++byte) {
    classes[byte] = ByteClass::non_ascii;
  }
  return classes;
}

constexpr std::array<ByteClass, 256> byte_classes = make_byte_classes();

/// Bytes classified at once by classify_block.
constexpr std::size_t block_size = 16;

/// One bit per byte of a block, bit i for byte i.
struct BlockMasks {
  std::uint32_t special = 0;  ///< Bytes that are not ByteClass::plain (spaces included).
  std::uint32_t spaces = 0;   ///< Bytes that are ' '.
};

/// Classifies `block_size` bytes at `data`. Text between tags is mostly plain words and single spaces,
/// so finding the next byte that needs attention a block at a time is what makes html_to_text fast.
BlockMasks classify_block(const char* data) noexcept {
#if defined(__SSE2__)
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data));
  // A signed compare: bytes >= 0x80 are negative, so one compare finds controls, space and non-ASCII.
  const __m128i below_printable = _mm_cmplt_epi8(bytes, _mm_set1_epi8(0x21));
  const __m128i markup =
      _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('<')), _mm_cmpeq_epi8(bytes, _mm_set1_epi8('&')));
  const __m128i special =
      _mm_or_si128(_mm_or_si128(below_printable, markup), _mm_cmpeq_epi8(bytes, _mm_set1_epi8(0x7F)));
  return {static_cast<std::uint32_t>(_mm_movemask_epi8(special)),
          static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(' '))))};
#else
  BlockMasks masks;
  for (std::size_t i = 0; i < block_size; ++i) {
    const auto byte = static_cast<unsigned char>(data[i]);
    masks.special |= byte_classes[byte] != ByteClass::plain ? 1U << i : 0U;
    masks.spaces |= byte == ' ' ? 1U << i : 0U;
  }
  return masks;
#endif
}

/// A lower-case tag name of up to 8 ASCII bytes packed into an integer, so that looking a name up
/// in the tables below is a handful of integer compares instead of string compares.
constexpr std::uint64_t pack_name(std::string_view name) {
  std::uint64_t key = 0;
  for (std::size_t i = 0; i < name.size() && i < 8; ++i) {
    key |= static_cast<std::uint64_t>(static_cast<unsigned char>(name[i])) << (8 * i);
  }
  return key;
}

/// The packed names, sorted so that contains() is a binary search.
template <std::size_t N>
constexpr std::array<std::uint64_t, N> pack_names(const std::array<std::string_view, N>& names) {
  std::array<std::uint64_t, N> keys{};
  for (std::size_t i = 0; i < N; ++i) {
    keys[i] = pack_name(names[i]);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

/// Elements that end a line (HTML Living Standard §15.3.3 display: block, plus br and li).
constexpr auto block_elements = pack_names(std::array<std::string_view, 38>{
    "address", "article", "aside", "blockquote", "br",         "center", "dd",     "details", "dialog", "dir",
    "div",     "dl",      "dt",    "fieldset",   "figcaption", "figure", "footer", "form",    "h1",     "h2",
    "h3",      "h4",      "h5",    "h6",         "header",     "hr",     "li",     "main",    "menu",   "nav",
    "ol",      "p",       "pre",   "section",    "summary",    "table",  "tr",     "ul"});

/// Elements whose content is not text at all.
constexpr auto dropped_elements =
    pack_names(std::array<std::string_view, 5>{"head", "noscript", "script", "style", "template"});

/// Elements that separate words without ending a line.
constexpr auto spacing_elements = pack_names(std::array<std::string_view, 3>{"img", "td", "th"});

template <std::size_t N>
bool contains(const std::array<std::uint64_t, N>& keys, std::uint64_t key) noexcept {
  return std::binary_search(keys.begin(), keys.end(), key);
}

/// Unicode White_Space characters beyond ASCII that collapse like a space (NBSP, the U+2000 block, ...).
bool is_unicode_space(char32_t code_point) noexcept {
  return code_point == 0x85 || code_point == 0xA0 || code_point == 0x1680 ||
         (code_point >= 0x2000 && code_point <= 0x200A) || code_point == 0x2028 || code_point == 0x2029 ||
         code_point == 0x202F || code_point == 0x205F || code_point == 0x3000 ||
         (code_point >= 0x80 && code_point <= 0x9F);
}

/// Writes text into `out` collapsing whitespace: pending separators are written only between words.
class TextSink {
 public:
  explicit TextSink(std::string& out) : out_(out), start_(out.size()) {}

  void space() noexcept {
    if (pending_ == Pending::none) {
      pending_ = Pending::space;
    }
  }
  void line_break() noexcept { pending_ = Pending::line_break; }

  void text(std::string_view run) {
    if (run.empty()) {
      return;
    }
    if (pending_ != Pending::none && out_.size() > start_) {
      out_.push_back(pending_ == Pending::line_break ? '\n' : ' ');
    }
    pending_ = Pending::none;
    out_.append(run);
  }

 private:
  enum class Pending : std::uint8_t { none, space, line_break };
  std::string& out_;
  std::size_t start_;
  Pending pending_ = Pending::none;
};

class HtmlTextExtractor {
 public:
  HtmlTextExtractor(TextSink& sink, bool markup) : sink_(sink), markup_(markup) {}

  void run(std::string_view input) {
    input_ = input;
    pos_ = 0;
    while (pos_ < input_.size()) {
      switch (byte_classes[static_cast<unsigned char>(input_[pos_])]) {
        case ByteClass::plain: plain_run(); break;
        case ByteClass::space:
          sink_.space();
          ++pos_;
          break;
        case ByteClass::open_angle:
          if (markup_) {
            tag();
          } else {
            sink_.text("<");
            ++pos_;
          }
          break;
        case ByteClass::ampersand: reference(); break;
        case ByteClass::non_ascii: {
          const std::size_t before = pos_;
          plain_run();
          if (pos_ == before) {
            non_ascii();  // a Unicode space or an ill-formed sequence
          }
          break;
        }
      }
    }
  }

 private:
  /// Copies a run of text in one append: ASCII text, single spaces between words (nothing to collapse)
  /// and well-formed UTF-8 other than Unicode spaces. Plain stretches are skipped a block at a time.
  void plain_run() {
    const std::size_t start = pos_;
    const std::size_t size = input_.size();
    while (pos_ < size) {
      const std::size_t before = pos_;
      pos_ = skip_plain_blocks(pos_);
      if (pos_ != before && input_[pos_ - 1] == ' ') {
        --pos_;  // a run never ends in a space: what follows decides whether it collapses
      }
      if (pos_ >= size) {
        break;
      }
      const auto byte = static_cast<unsigned char>(input_[pos_]);
      const ByteClass kind = byte_classes[byte];
      if (kind == ByteClass::plain) {
        ++pos_;
      } else if (byte == ' ' && pos_ + 1 < size &&
                 byte_classes[static_cast<unsigned char>(input_[pos_ + 1])] == ByteClass::plain) {
        pos_ += 2;
      } else if (kind == ByteClass::non_ascii) {
        const DecodedCodePoint decoded = decode_utf8(input_, pos_);
        if (!decoded.valid || is_unicode_space(decoded.code_point)) {
          break;
        }
        pos_ += decoded.length;
      } else {
        break;
      }
    }
    sink_.text(input_.substr(start, pos_ - start));
    // The single space a run stopped before (ahead of a tag or reference) is taken here: one trip
    // less through run()'s dispatch for most tags.
    if (pos_ < size && input_[pos_] == ' ') {
      sink_.space();
      ++pos_;
    }
  }

  /// Advances over whole blocks of plain text and returns the first byte in them that a run cannot
  /// simply copy: anything but printable ASCII other than '<' and '&', or the second of two spaces.
  [[nodiscard]] std::size_t skip_plain_blocks(std::size_t pos) const noexcept {
    std::uint32_t previous_space = pos > 0 && input_[pos - 1] == ' ' ? 1U : 0U;
    while (pos + block_size <= input_.size()) {
      const BlockMasks masks = classify_block(input_.data() + pos);
      const std::uint32_t doubled_spaces = masks.spaces & ((masks.spaces << 1) | previous_space);
      const std::uint32_t stops = (masks.special & ~masks.spaces) | doubled_spaces;
      if (stops != 0) {
        return pos + static_cast<std::size_t>(std::countr_zero(stops));
      }
      previous_space = masks.spaces >> (block_size - 1);
      pos += block_size;
    }
    return pos;
  }

  void non_ascii() {
    const DecodedCodePoint decoded = decode_utf8(input_, pos_);
    if (!decoded.valid) {
      sink_.text("\xEF\xBF\xBD");
    } else if (is_unicode_space(decoded.code_point)) {
      sink_.space();
    } else {
      sink_.text(input_.substr(pos_, decoded.length));
    }
    pos_ += decoded.length;
  }

  void reference() {
    scratch_.clear();
    const std::size_t consumed = decode_one_entity(scratch_, input_.substr(pos_));
    if (consumed == 0) {
      sink_.text("&");
      ++pos_;
      return;
    }
    pos_ += consumed;
    // The decoded characters are text, never markup: classify them like input bytes but without tags.
    std::size_t at = 0;
    while (at < scratch_.size()) {
      const DecodedCodePoint decoded = decode_utf8(scratch_, at);
      const char32_t code_point = decoded.code_point;
      if (code_point <= 0x20 || code_point == 0x7F || is_unicode_space(code_point)) {
        sink_.space();
      } else {
        sink_.text(std::string_view(scratch_).substr(at, decoded.length));
      }
      at += decoded.length;
    }
  }

  /// Handles markup at input_[pos_] == '<': comments, CDATA, declarations, start and end tags.
  void tag() {
    const std::string_view rest = input_.substr(pos_);
    if (rest.size() > 1 && (rest[1] == '!' || rest[1] == '?')) {
      declaration(rest);
      return;
    }
    const bool closing = rest.size() > 1 && rest[1] == '/';
    const std::size_t name_start = pos_ + (closing ? 2 : 1);
    if (name_start >= input_.size() || !is_ascii_letter(input_[name_start])) {
      sink_.text("<");  // "a < b" is text, not a tag (HTML5 §13.2.5.6)
      ++pos_;
      return;
    }
    std::array<char, 16> name_buffer{};
    std::size_t name_length = 0;
    std::size_t at = name_start;
    while (at < input_.size() && (is_ascii_letter(input_[at]) || (input_[at] >= '0' && input_[at] <= '9'))) {
      if (name_length < name_buffer.size()) {
        name_buffer[name_length++] = lower_ascii(input_[at]);
      }
      ++at;
    }
    const std::string_view name(name_buffer.data(), name_length);
    // Names longer than 8 bytes ("blockquote", "figcaption") compare by their first 8.
    const std::uint64_t key = pack_name(name);
    pos_ = tag_end(at);
    if (contains(block_elements, key)) {
      sink_.line_break();
    } else if (contains(spacing_elements, key)) {
      sink_.space();
    } else if (!closing && contains(dropped_elements, key)) {
      skip_element_content(name);
    }
  }

  /// Handles `rest` starting with "<!" or "<?": comments, CDATA sections, doctypes and processing instructions.
  void declaration(std::string_view rest) {
    if (rest.starts_with("<!--")) {
      skip_past("-->", pos_ + 4);
      return;
    }
    if (rest.starts_with("<![CDATA[")) {
      const std::size_t end = input_.find("]]>", pos_ + 9);
      const std::size_t stop = end == std::string_view::npos ? input_.size() : end;
      const std::size_t resume = end == std::string_view::npos ? input_.size() : end + 3;
      HtmlTextExtractor inner(sink_, false);
      inner.run_plain(input_.substr(pos_ + 9, stop - pos_ - 9));
      pos_ = resume;
      return;
    }
    skip_past(">", pos_ + 2);
  }

  /// Position just past the '>' closing a tag whose attributes start at `at`; quoted values may hold '>'.
  std::size_t tag_end(std::size_t at) const noexcept {
    char quote = 0;
    for (; at < input_.size(); ++at) {
      const char c = input_[at];
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        return at + 1;
      }
    }
    return input_.size();
  }

  /// Skips to just after the end tag of `name` (matched case-insensitively), or to the end of input.
  void skip_element_content(std::string_view name) {
    while (pos_ < input_.size()) {
      const void* found = std::memchr(input_.data() + pos_, '<', input_.size() - pos_);
      if (found == nullptr) {
        break;
      }
      const auto open = static_cast<std::size_t>(static_cast<const char*>(found) - input_.data());
      pos_ = open + 1;
      if (open + 2 + name.size() > input_.size() || input_[open + 1] != '/') {
        continue;
      }
      bool same = true;
      for (std::size_t i = 0; i < name.size() && same; ++i) {
        same = lower_ascii(input_[open + 2 + i]) == name[i];
      }
      if (same) {
        pos_ = tag_end(open + 2 + name.size());
        return;
      }
    }
    pos_ = input_.size();
  }

  void skip_past(std::string_view terminator, std::size_t from) {
    const std::size_t end = input_.find(terminator, from);
    pos_ = end == std::string_view::npos ? input_.size() : end + terminator.size();
  }

  /// Text without markup or references (a CDATA section): only whitespace and UTF-8 handling.
 public:
  void run_plain(std::string_view text) {
    input_ = text;
    pos_ = 0;
    while (pos_ < input_.size()) {
      const ByteClass kind = byte_classes[static_cast<unsigned char>(input_[pos_])];
      if (kind == ByteClass::space) {
        sink_.space();
        ++pos_;
      } else if (kind == ByteClass::non_ascii) {
        non_ascii();
      } else {
        const std::size_t start = pos_++;
        while (pos_ < input_.size() && byte_classes[static_cast<unsigned char>(input_[pos_])] != ByteClass::space &&
               byte_classes[static_cast<unsigned char>(input_[pos_])] != ByteClass::non_ascii) {
          ++pos_;
        }
        sink_.text(input_.substr(start, pos_ - start));
      }
    }
  }

 private:
  TextSink& sink_;
  bool markup_;
  std::string_view input_;
  std::size_t pos_ = 0;
  std::string scratch_;
};

}  // namespace

void append_html_to_text(std::string& out, std::string_view html) {
  TextSink sink(out);
  HtmlTextExtractor extractor(sink, true);
  extractor.run(html);
}

std::string html_to_text(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  append_html_to_text(out, html);
  return out;
}

std::string collapse_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  TextSink sink(out);
  HtmlTextExtractor extractor(sink, false);
  extractor.run(text);
  return out;
}

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  TextSink sink(out);
  HtmlTextExtractor extractor(sink, false);
  extractor.run_plain(text);
  return out;
}

}  // namespace newswatch::text
