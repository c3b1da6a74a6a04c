#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace newswatch::url::detail {

/// True for a 7-bit byte.
constexpr bool is_ascii(char c) noexcept {
  return static_cast<unsigned char>(c) < 0x80;
}

/// True for A-Z and a-z.
constexpr bool is_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// True for 0-9.
constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

/// The value of a hexadecimal digit.
constexpr unsigned hex_value(char c) noexcept {
  if (is_digit(c)) {
    return static_cast<unsigned>(c - '0');
  }
  return static_cast<unsigned>((c | 0x20) - 'a' + 10);
}

// Character classes of RFC 3986 §2, one bit each, looked up per byte in character_classes.
/// HEXDIG (§2.1).
inline constexpr std::uint8_t hex_class = 1U << 0U;
/// unreserved (§2.3).
inline constexpr std::uint8_t unreserved_class = 1U << 1U;
/// sub-delims (§2.2).
inline constexpr std::uint8_t sub_delim_class = 1U << 2U;
/// What stands for itself inside a component: unreserved, sub-delims, ':', '@', '/', '?' (§3.3
/// pchar, §3.4, §3.5).
inline constexpr std::uint8_t literal_class = 1U << 3U;

/// The class bits of every byte.
inline constexpr std::array<std::uint8_t, 256> character_classes = [] {
  std::array<std::uint8_t, 256> classes{};
  for (int c = 0; c < 128; ++c) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    const bool hex = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    const bool unreserved = alpha || digit || c == '-' || c == '.' || c == '_' || c == '~';
    const bool sub_delim = c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' ||
                           c == '+' || c == ',' || c == ';' || c == '=';
    const bool literal = unreserved || sub_delim || c == ':' || c == '@' || c == '/' || c == '?';
    std::uint8_t bits = 0;
    bits |= hex ? hex_class : 0;
    bits |= unreserved ? unreserved_class : 0;
    bits |= sub_delim ? sub_delim_class : 0;
    bits |= literal ? literal_class : 0;
    classes[static_cast<std::size_t>(c)] = bits;
  }
  return classes;
}();

/// True when `c` is in the class `bits` names.
constexpr bool is_in(char c, std::uint8_t bits) noexcept {
  return (character_classes[static_cast<unsigned char>(c)] & bits) != 0;
}

/// True for a hexadecimal digit of either case (RFC 3986 §2.1).
constexpr bool is_hex_digit(char c) noexcept {
  return is_in(c, hex_class);
}

/// RFC 3986 §2.3 unreserved: letters, digits, '-', '.', '_', '~'.
constexpr bool is_unreserved(char c) noexcept {
  return is_in(c, unreserved_class);
}

/// RFC 3986 §2.2 sub-delims.
constexpr bool is_sub_delim(char c) noexcept {
  return is_in(c, sub_delim_class);
}

/// True for a byte that stands for itself inside a component (see literal_class).
constexpr bool is_literal(char c) noexcept {
  return is_in(c, literal_class);
}

/// A-Z lowered; every other byte unchanged.
constexpr char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// True when `a` and `b` are equal but for the case of ASCII letters.
constexpr bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

/// Appends `text` with A-Z lowered.
inline void append_lower(std::string& out, std::string_view text) {
  for (const char c : text) {
    out.push_back(lower(c));
  }
}

}  // namespace newswatch::url::detail
