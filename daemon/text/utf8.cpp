#include "newswatch/text/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace newswatch::text {
namespace {

unsigned char byte_at(std::string_view text, std::size_t pos) noexcept {
  return static_cast<unsigned char>(text[pos]);
}

/// Length of the run of ASCII bytes starting at `pos`, eight bytes at a time where possible.
std::size_t ascii_run(std::string_view text, std::size_t pos) noexcept {
  const std::size_t start = pos;
  while (pos + 8 <= text.size()) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + pos, sizeof word);
    if ((word & 0x8080808080808080ULL) != 0) {
      break;
    }
    pos += 8;
  }
  while (pos < text.size() && byte_at(text, pos) < 0x80U) {
    ++pos;
  }
  return pos - start;
}

}  // namespace

DecodedCodePoint decode_utf8(std::string_view text, std::size_t pos) noexcept {
  const unsigned char lead = byte_at(text, pos);
  if (lead < 0x80U) {
    return {lead, 1, true};
  }
  std::size_t needed = 0;
  char32_t value = 0;
  // Table 3-7: the second byte's range depends on the lead byte (no overlongs, no surrogates, <= U+10FFFF).
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2U && lead <= 0xDFU) {
    needed = 1;
    value = lead & 0x1FU;
  } else if (lead >= 0xE0U && lead <= 0xEFU) {
    needed = 2;
    value = lead & 0x0FU;
    low = lead == 0xE0U ? 0xA0 : 0x80;
    high = lead == 0xEDU ? 0x9F : 0xBF;
  } else if (lead >= 0xF0U && lead <= 0xF4U) {
    needed = 3;
    value = lead & 0x07U;
    low = lead == 0xF0U ? 0x90 : 0x80;
    high = lead == 0xF4U ? 0x8F : 0xBF;
  } else {
    return {};
  }
  std::size_t length = 1;
  for (std::size_t i = 0; i < needed; ++i) {
    if (pos + length >= text.size()) {
      return {replacement_character, length, false};
    }
    const unsigned char next = byte_at(text, pos + length);
    if (next < low || next > high) {
      return {replacement_character, length, false};
    }
    low = 0x80;
    high = 0xBF;
    value = (value << 6) | (next & 0x3FU);
    ++length;
  }
  return {value, length, true};
}

bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t pos = 0;
  while (pos < text.size()) {
    pos += ascii_run(text, pos);
    if (pos >= text.size()) {
      break;
    }
    const DecodedCodePoint decoded = decode_utf8(text, pos);
    if (!decoded.valid) {
      return false;
    }
    pos += decoded.length;
  }
  return true;
}

bool is_multibyte_utf8(std::string_view text) noexcept {
  bool multibyte = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    pos += ascii_run(text, pos);
    if (pos >= text.size()) {
      break;
    }
    const DecodedCodePoint decoded = decode_utf8(text, pos);
    if (!decoded.valid) {
      return false;
    }
    multibyte = true;
    pos += decoded.length;
  }
  return multibyte;
}

void append_valid_utf8(std::string& out, std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t run_end = pos + ascii_run(text, pos);
    // Copy every well-formed sequence in one go; stop at the first ill-formed one.
    while (run_end < text.size()) {
      const DecodedCodePoint decoded = decode_utf8(text, run_end);
      if (!decoded.valid) {
        break;
      }
      run_end += decoded.length;
      run_end += ascii_run(text, run_end);
    }
    out.append(text.substr(pos, run_end - pos));
    pos = run_end;
    if (pos < text.size()) {
      append_utf8(out, replacement_character);
      pos += decode_utf8(text, pos).length;
    }
  }
}

std::string to_valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_valid_utf8(out, text);
  return out;
}

}  // namespace newswatch::text
