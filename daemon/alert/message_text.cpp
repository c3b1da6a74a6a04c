#include "newswatch/alert/message_text.hpp"

#include <utf8proc.h>

#include <vector>

#include "newswatch/text/utf8.hpp"

namespace newswatch::alert {
namespace {

std::size_t units_of(char32_t code_point, std::size_t utf8_length, LengthUnit unit) noexcept {
  switch (unit) {
    case LengthUnit::bytes: return utf8_length;
    case LengthUnit::code_points: return 1;
    case LengthUnit::utf16: return code_point >= 0x10000 ? 2 : 1;
  }
  return utf8_length;
}

/// Characters that never reach a message (see clean_text()).
bool is_dropped(char32_t code_point) noexcept {
  if (code_point < 0x20) {
    return code_point != '\t' && code_point != '\n';
  }
  if (code_point >= 0x7F && code_point <= 0x9F) {
    return true;
  }
  // Explicit bidirectional formatting (Unicode UAX #9 §2.1, §2.2): LRE RLE PDF LRO RLO, LRI RLI FSI PDI.
  if ((code_point >= 0x202A && code_point <= 0x202E) || (code_point >= 0x2066 && code_point <= 0x2069)) {
    return true;
  }
  return code_point == 0xFEFF || code_point == 0xFFFE || code_point == 0xFFFF;
}

bool is_space(char32_t code_point) noexcept {
  return code_point == ' ' || code_point == '\t' || code_point == '\n';
}

}  // namespace

std::size_t text_length(std::string_view text, LengthUnit unit) noexcept {
  if (unit == LengthUnit::bytes) {
    return text.size();
  }
  std::size_t length = 0;
  for (const char byte : text) {
    const auto value = static_cast<unsigned char>(byte);
    if ((value & 0xC0U) != 0x80U) {
      ++length;  // A lead byte starts one code point...
      if (unit == LengthUnit::utf16 && value >= 0xF0U) {
        ++length;  // ...and one above U+FFFF takes a surrogate pair in UTF-16.
      }
    }
  }
  return length;
}

std::string truncate_text(std::string_view text, std::size_t limit, LengthUnit unit) {
  if (text_length(text, unit) <= limit) {
    return std::string(text);
  }
  const std::size_t ellipsis_units = text_length(ellipsis, unit);
  if (limit < ellipsis_units) {
    return {};
  }
  const std::size_t budget = limit - ellipsis_units;
  std::size_t used = 0;
  std::size_t grapheme_cut = 0;    // Last cluster boundary that fits the budget.
  std::size_t code_point_cut = 0;  // Last code point boundary that fits, for a cluster longer than the budget.
  utf8proc_int32_t state = 0;
  char32_t previous = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto decoded = text::decode_utf8(text, pos);
    const bool boundary =
        pos == 0 || utf8proc_grapheme_break_stateful(static_cast<utf8proc_int32_t>(previous),
                                                     static_cast<utf8proc_int32_t>(decoded.code_point), &state);
    if (boundary) {
      grapheme_cut = pos;
    }
    code_point_cut = pos;
    used += units_of(decoded.code_point, decoded.length, unit);
    if (used > budget) {
      break;
    }
    previous = decoded.code_point;
    pos += decoded.length;
  }
  // A single cluster can be arbitrarily long (combining marks stacked without end); cutting inside
  // it beats sending nothing but the ellipsis.
  std::size_t cut = grapheme_cut > 0 ? grapheme_cut : code_point_cut;
  while (cut > 0 && (text[cut - 1] == ' ' || text[cut - 1] == '\n' || text[cut - 1] == '\t')) {
    --cut;
  }
  std::string out(text.substr(0, cut));
  out += ellipsis;
  return out;
}

std::string clean_text(std::string_view text, bool single_line) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto decoded = text::decode_utf8(text, pos);
    const std::string_view bytes = text.substr(pos, decoded.length);
    pos += decoded.length;
    char32_t code_point = decoded.valid ? decoded.code_point : text::replacement_character;
    if (code_point == '\r') {
      // CR LF and a lone CR are both one line break.
      if (pos < text.size() && text[pos] == '\n') {
        continue;
      }
      code_point = '\n';
    }
    if (code_point == 0x2028 || code_point == 0x2029) {
      code_point = '\n';
    }
    if (is_dropped(code_point)) {
      continue;
    }
    if (single_line && is_space(code_point)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    if (code_point == '\n' || code_point == '\t') {
      out.push_back(static_cast<char>(code_point));
    } else if (decoded.valid) {
      out.append(bytes);
    } else {
      text::append_utf8(out, text::replacement_character);
    }
  }
  const auto last = out.find_last_not_of(" \t\n");
  out.erase(last == std::string::npos ? 0 : last + 1);
  const auto first = out.find_first_not_of(" \t\n");
  out.erase(0, first == std::string::npos ? out.size() : first);
  return out;
}

}  // namespace newswatch::alert
